"""Our gateway to the WeChat server API, on top of wechatpy 1.8.18.

The access_token lives in Redis and is shared by every process: WeChat invalidates the previous token
whenever a new one is fetched, so processes that each fetched their own would keep breaking each other.
"""
import json
import logging
from urllib.parse import urlsplit

import requests
from redis.exceptions import LockError, LockNotOwnedError, RedisError, WatchError
from redis.lock import Lock
from urllib3.exceptions import MaxRetryError
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

logger = logging.getLogger(__name__)

WECHAT_API = "https://api.weixin.qq.com/"
TOKEN_ERRCODES = (40001, 40014, 42001)
LOGIN_CODE_ERRCODES = (40029, 40163, 41008)
# How long every process takes a refused token fetch as the answer before asking WeChat again: the
# refusal is our configuration (whitelist, secret, appid), which an operator fixes in minutes, not a
# request's fault, and each push fetching for itself would hammer the token endpoint for nothing.
TOKEN_REFUSAL_SECONDS = 60


class WeChatError(WeChatClientException):
    """WeChat refused a call; `errcode`/`errmsg` as WeChat sent them (errcode None when there was none)."""

    def __init__(self, errcode, errmsg):
        super().__init__(errcode, errmsg)


class InvalidLoginCode(WeChatError):
    """The wx.login() code is invalid or already used (40029, 40163)."""


class WeChatUnavailable(WeChatError):
    """WeChat could not be reached or is busy: network error, timeout, HTTP 5xx, errcode -1."""


class NoAnswer(WeChatUnavailable):
    """The request went out but WeChat's answer never came (read timeout, connection dropped): WeChat may
    have acted on it."""


class TokenRefused(WeChatError):
    """WeChat would not give us an access_token (40164 IP not whitelisted, 40125 bad secret, 40013 bad appid…):
    our configuration, not the call that needed the token, is at fault."""


class _NoLuaLock(Lock):
    """redis-py's Lock, released with WATCH/MULTI instead of a Lua script.

    fakeredis without the optional `lupa` package has no EVALSHA, so the stock release fails there.
    """

    def do_release(self, expected_token):
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(self.name)
                token = pipe.get(self.name)
                if isinstance(token, str):
                    token = token.encode()
                if token != expected_token:
                    raise LockNotOwnedError("Cannot release a lock that's no longer owned", lock_name=self.name)
                pipe.multi()
                pipe.delete(self.name)
                pipe.execute()
            except WatchError:
                raise LockNotOwnedError("Cannot release a lock that's no longer owned", lock_name=self.name) from None


def _translate(exc):
    """A wechatpy exception as one of ours, never carrying the request (its URL holds the secret)."""
    if exc.errcode is None:  # wechatpy's raise_for_status: an HTTP error status
        status = getattr(exc.response, "status_code", None)
        cls = WeChatUnavailable if status is None or status >= 500 else WeChatError
        return cls(None, f"HTTP {status}")
    if exc.errcode == -1:
        return WeChatUnavailable(exc.errcode, exc.errmsg)
    if exc.errcode in LOGIN_CODE_ERRCODES:
        return InvalidLoginCode(exc.errcode, exc.errmsg)
    return WeChatError(exc.errcode, exc.errmsg)


def _unreachable(exc, url, cls=WeChatUnavailable):
    # Not str(exc): requests puts the whole URL, secret included, in its messages.
    return cls(None, f"{type(exc).__name__} calling {urlsplit(url).path}")


def _never_sent(exc) -> bool:
    """Whether a request failed before it reached WeChat: no connection could be made (refused, DNS,
    connect timeout, TLS handshake). requests retries nothing, so urllib3 wraps exactly these failures in
    MaxRetryError; a read timeout or a dropped connection comes unwrapped, after the request went out."""
    return bool(exc.args) and isinstance(exc.args[0], MaxRetryError)


class RedisWeChatClient(WeChatClient):
    """wechatpy's client with a configurable base URL, the token shared in Redis, and a bounded retry."""

    def __init__(self, appid, secret, api_base_url, redis, timeout=5.0):
        super().__init__(appid, secret, session=RedisStorage(redis, prefix="wechatpy"),
                         timeout=timeout, auto_retry=False)
        self.redis = redis
        self.base_url = api_base_url.rstrip("/") + "/"
        self.API_BASE_URL = self.base_url + "cgi-bin/"
        for api in vars(self).values():  # wxa and the other API groups that carry their own base URL
            if isinstance(getattr(api, "API_BASE_URL", None), str) and api.API_BASE_URL.startswith(WECHAT_API):
                api.API_BASE_URL = self._rebase(api.API_BASE_URL)
        waits = sum(timeout) if isinstance(timeout, tuple) else 2 * timeout
        self.lock_timeout = waits + 5  # longer than one token fetch can take

    def _rebase(self, url):
        return self.base_url + url[len(WECHAT_API):] if url.startswith(WECHAT_API) else url

    @property
    def access_token(self):
        return self.session.get(self.access_token_key) or self.refresh_access_token()

    @property
    def _refusal_key(self):
        return f"wechatpy:{self.access_token_key}:refused"

    def token_refusal(self):
        """The TokenRefused WeChat answered a token fetch within the last TOKEN_REFUSAL_SECONDS, or None."""
        remembered = self.redis.get(self._refusal_key)
        return None if remembered is None else TokenRefused(*json.loads(remembered))

    def _remember_refusal(self, refusal):
        self.redis.set(self._refusal_key, json.dumps([refusal.errcode, refusal.errmsg]), ex=TOKEN_REFUSAL_SECONDS)
        logger.error("WeChat refused an access_token for %s (%s %s): check the AppSecret and the IP whitelist; "
                     "no token is asked for in the next %s s", self.appid, refusal.errcode, refusal.errmsg,
                     TOKEN_REFUSAL_SECONDS)

    def fetch_access_token(self):
        """Fetch a new token from WeChat and store it; no lock (use refresh_access_token)."""
        url = self.base_url + "cgi-bin/token"
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        try:
            res = self._http.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise _unreachable(exc, url) from None
        if res.status_code >= 400:
            raise (WeChatUnavailable if res.status_code >= 500 else TokenRefused)(None, f"HTTP {res.status_code}")
        try:
            result = res.json()
        except ValueError:
            raise WeChatUnavailable(None, "token answer is not JSON") from None
        if result.get("errcode"):
            errcode = result["errcode"]
            raise (WeChatUnavailable if errcode == -1 else TokenRefused)(errcode, result.get("errmsg"))
        expires_in = int(result.get("expires_in", 7200))
        # Drop it from Redis a little before WeChat expires it.
        self.session.set(self.access_token_key, result["access_token"], max(expires_in - 60, expires_in // 2))
        logger.info("fetched a new WeChat access_token for %s", self.appid)
        return result

    def refresh_access_token(self, stale=None):
        """The current token, fetching a new one under a Redis lock only when none is stored or the
        stored one is `stale` (the one WeChat just refused). Processes that race here fetch once.

        A refused fetch is remembered for TOKEN_REFUSAL_SECONDS: until then every process gets the same
        TokenRefused without asking WeChat."""
        lock = self.redis.lock(f"wechatpy:{self.access_token_key}:lock", timeout=self.lock_timeout,
                               blocking_timeout=self.lock_timeout, lock_class=_NoLuaLock)
        if not lock.acquire():
            raise WeChatUnavailable(None, "timed out waiting for the access_token lock")
        try:
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return current
            refusal = self.token_refusal()
            if refusal is not None:
                raise refusal
            try:
                return self.fetch_access_token()["access_token"]
            except TokenRefused as exc:
                self._remember_refusal(exc)
                raise
        finally:
            try:
                lock.release()
            except LockError:
                logger.warning("the access_token lock expired before it was released")

    def _request(self, method, url_or_endpoint, **kwargs):
        url = url_or_endpoint
        if not url.startswith(("http://", "https://")):
            url = kwargs.pop("api_base_url", self.API_BASE_URL) + url
        url = self._rebase(url)
        params = kwargs.get("params")
        if params is None:
            params = {}
        ours = isinstance(params, dict) and "access_token" not in params
        for attempt in (1, 2):
            call = dict(kwargs)
            token = None
            if ours:
                token = self.access_token
                call["params"] = {**params, "access_token": token}
            try:
                return super()._request(method, url, **call)
            except WeChatClientException as exc:
                if ours and attempt == 1 and exc.errcode in TOKEN_ERRCODES:
                    logger.info("WeChat refused the access_token (%s), refreshing it once", exc.errcode)
                    self.refresh_access_token(stale=token)
                    continue
                raise _translate(exc) from None
            except requests.RequestException as exc:
                raise _unreachable(exc, url, WeChatUnavailable if _never_sent(exc) else NoAnswer) from None


def _as_dict(result):
    if not isinstance(result, dict):
        raise WeChatUnavailable(None, "answer is not JSON")
    return result


class WeChatGateway:
    """The WeChat calls the app and the notification worker make."""

    def __init__(self, appid: str, secret: str, api_base_url: str, redis, timeout: float = 5.0):
        self._client = RedisWeChatClient(appid, secret, api_base_url, redis, timeout)

    @property
    def client(self) -> WeChatClient:
        return self._client

    def token_refused(self) -> bool:
        """Whether WeChat refused us an access_token moments ago, so calls would only be refused again.
        False when Redis cannot tell: the calls themselves will report what is wrong."""
        return self.token_refusal() is not None

    def token_refusal(self) -> TokenRefused | None:
        """WeChat's refusal of our access_token within the last TOKEN_REFUSAL_SECONDS (errcode, errmsg), or
        None, also when Redis cannot tell."""
        try:
            return self._client.token_refusal()
        except RedisError:
            return None

    def code_to_session(self, code: str) -> dict:
        """{openid, session_key, unionid?} for a wx.login() code."""
        if not code:
            raise InvalidLoginCode(41008, "missing code")
        result = _as_dict(self._client.wxa.code_to_session(code))
        if not result.get("openid"):
            raise WeChatError(None, "jscode2session answered without openid")
        return {key: result[key] for key in ("openid", "session_key", "unionid") if result.get(key)}

    def send_subscribe_message(self, openid, template_id, data: dict, page: str | None = None,
                               miniprogram_state: str | None = None) -> dict:
        body = {"touser": openid, "template_id": template_id, "data": data}
        if page is not None:
            body["page"] = page
        if miniprogram_state is not None:
            body["miniprogram_state"] = miniprogram_state
        return _as_dict(self._client.wxa._post("cgi-bin/message/subscribe/send", data=body))

    def send_text(self, openid, text) -> dict:
        """A customer-service text reply (only within 48 h of the user's last message)."""
        return _as_dict(self._client.message.send_text(openid, text))

    def get_phone_number(self, code: str) -> dict:
        """phone_info {phoneNumber, purePhoneNumber, countryCode, watermark} for a getPhoneNumber code."""
        result = _as_dict(self._client.wxa._post("wxa/business/getuserphonenumber", data={"code": code}))
        return result["phone_info"]
