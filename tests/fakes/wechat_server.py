"""A loopback fake of the WeChat server API (api.weixin.qq.com), for tests and benchmarks.

Like WeChat it answers HTTP 200 with a JSON body and puts errors in errcode/errmsg. Each
/cgi-bin/token call issues a new token and ends the previous one after `token_grace` seconds (default 0).
In tests use the `fake_wechat` fixture and its control methods (fail_next, fail_always, delay, delay_next,
invalidate_tokens, register_code, received, token_fetches...). Run it alone, e.g. for a benchmark, with
`python -m tests.fakes.wechat_server --port 8900`; then GET /__fake__/stats and POST /__fake__/reset.
"""
import argparse
import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

FAKE_APPID = "wx-demo-appid"  # the app's development defaults (api/config.py)
FAKE_SECRET = "demo-secret"

ERRMSGS = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40013: "invalid appid",
    40014: "invalid access_token",
    40029: "invalid code",
    40037: "invalid template_id",
    40066: "invalid url",
    40125: "invalid appsecret",
    40163: "code been used",
    40164: "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist",
    41008: "missing code",
    41030: "invalid page",
    42001: "access_token expired",
    43101: "user refuse to accept the msg",
    44002: "empty post data",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    47001: "data format error",
    47003: "argument invalid!",
}

_CN = "\u4e00-\u9fff"
_DATE = r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
_MOMENT = rf"(?:(?:{_DATE})(?: {_CLOCK})?|{_CLOCK})"
_TIME = re.compile(rf"{_MOMENT}(?: ?~ ?{_MOMENT})?")


def _fits(pattern, value):
    return re.fullmatch(pattern, value) is not None


def _valid_name(v):
    if re.search(f"[{_CN}]", v):
        return _fits(f"[{_CN}A-Za-z·]{{1,10}}", v)
    return _fits(r"[A-Za-z .'\-]{1,20}", v)


# Value rules of subscribe-message keywords, by key prefix (see shared/WECHAT.md).
VALUE_RULES = {
    "thing": lambda v: len(v) <= 20,
    "phrase": lambda v: _fits(f"[{_CN}]{{1,5}}", v),
    "character_string": lambda v: _fits(r"[\x21-\x7e]{1,32}", v),
    "number": lambda v: len(v) <= 32 and _fits(r"\d+(?:\.\d+)?", v),
    "letter": lambda v: _fits(r"[A-Za-z]{1,32}", v),
    "symbol": lambda v: _fits(r"(?:[^\w\s]|_){1,5}", v),
    "name": _valid_name,
    "phone_number": lambda v: _fits(r"[0-9+\-()*# ]{1,17}", v),
    "amount": lambda v: _fits(r"[¥￥$€£]\d{1,10}(?:\.\d{1,2})?元?", v),
    "time": lambda v: _TIME.fullmatch(v) is not None,
    "date": lambda v: _TIME.fullmatch(v) is not None,
    "car_number": lambda v: len(v) <= 8,
}
_KEY = re.compile(r"(%s)\d+" % "|".join(sorted(VALUE_RULES, key=len, reverse=True)))


def valid_value(key, value):
    """Whether `value` is acceptable for the subscribe-message keyword `key` (e.g. "thing1")."""
    m = _KEY.fullmatch(key)
    if not m or not isinstance(value, str) or not value or "\n" in value or "\r" in value:
        return False
    return bool(VALUE_RULES[m.group(1)](value))


def openid_for(code):
    """The openid the fake gives for an unregistered login code."""
    return "o" + hashlib.sha1(code.encode()).hexdigest()[:27]


def session_key_for(code):
    return base64.b64encode(hashlib.sha256(("sk:" + code).encode()).digest()[:16]).decode()


def phone_for(code):
    return "138" + str(int(hashlib.sha1(code.encode()).hexdigest(), 16))[-8:]


SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/send"

@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    json: object
    errcode: int | None = field(default=None)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class FakeWeChatServer:
    def __init__(self, host="127.0.0.1", port=0, appid=FAKE_APPID, secret=FAKE_SECRET,
                 token_grace=0.0, token_ttl=7200, verbose=False):
        self.host, self.port = host, port
        self.appid, self.secret = appid, secret
        self._defaults = {"token_grace": token_grace, "token_ttl": token_ttl}
        self._verbose = verbose
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._server = None
        self._thread = None
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------

    def bind(self):
        self._server = make_server(self.host, self.port, self.wsgi_app, threaded=True,
                                   request_handler=None if self._verbose else _QuietHandler)
        return self

    def start(self):
        """Serve from a background thread."""
        self.bind()
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-wechat", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self._server.server_port}/"

    def reset(self):
        """Forget all tokens, codes, records, failures and delays; restore the default settings."""
        with self._lock:
            self._wake.set()  # release requests still sleeping in delay()
            self._wake = threading.Event()
            self.token_grace = self._defaults["token_grace"]
            self.token_ttl = self._defaults["token_ttl"]
            self.template_ids = None  # None: any template id; a set, or a dict id -> keyword keys
            self.pages = None  # None: any page; else the set of valid page paths
            self._tokens = {}  # token -> monotonic deadline
            self._current_token = None
            self._codes = {}  # code -> {"openid", "unionid"?, "session_key"?}
            self._used_codes = set()
            self._phone_codes = {}
            self._used_phone_codes = set()
            self._fail_queue = {}
            self._fail_always = {}
            self._delays = {}
            self._next_delays = {}
            self._received = []
            self._sent_subscribe = []
            self._sent_custom = []
            self._sending_to = Counter()  # touser -> subscribe sends being answered right now
            self.most_sends_at_once_to_one_user = 0
            self.token_fetches = 0
            self._msgids = itertools.count(1000001)

    # -- control -----------------------------------------------------------------------------

    def fail_next(self, path, errcode, times=1, status=200):
        """The next `times` calls to `path` answer `errcode` (or HTTP `status`, when not 200)."""
        with self._lock:
            self._fail_queue.setdefault(_norm(path), []).extend([(errcode, status)] * times)

    def fail_always(self, path, errcode, status=200):
        with self._lock:
            self._fail_always[_norm(path)] = (errcode, status)

    def clear_failures(self):
        with self._lock:
            self._fail_queue.clear()
            self._fail_always.clear()

    def delay(self, path, seconds):
        """Every call to `path` waits `seconds` before answering (0 removes the delay)."""
        with self._lock:
            self._delays[_norm(path)] = seconds

    def delay_next(self, path, seconds):
        """The next call to `path` alone waits `seconds` before answering."""
        with self._lock:
            self._next_delays.setdefault(_norm(path), []).append(seconds)

    def invalidate_tokens(self):
        with self._lock:
            self._tokens.clear()
            self._current_token = None

    def register_code(self, code, openid, unionid=None, session_key=None):
        with self._lock:
            self._codes[code] = {"openid": openid, "unionid": unionid, "session_key": session_key}

    def register_phone_code(self, code, phone):
        with self._lock:
            self._phone_codes[code] = phone

    @property
    def received(self):
        with self._lock:
            return list(self._received)

    def sent_subscribe_messages(self):
        """Bodies of the subscribe messages the fake accepted."""
        with self._lock:
            return list(self._sent_subscribe)

    def sent_custom_messages(self):
        with self._lock:
            return list(self._sent_custom)

    @property
    def current_token(self):
        with self._lock:
            return self._current_token

    # -- HTTP --------------------------------------------------------------------------------

    def wsgi_app(self, environ, start_response):
        request = Request(environ)
        raw = request.get_data()
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = ...  # marks an unparsable body
        record = Recorded(request.method, request.path, request.args.to_dict(), None if body is ... else body)
        touser = body.get("touser") if isinstance(body, dict) and request.path == SUBSCRIBE_SEND else None
        with self._lock:
            self._received.append(record)
            if touser is not None:
                self._sending_to[touser] += 1
                self.most_sends_at_once_to_one_user = max(self.most_sends_at_once_to_one_user,
                                                          self._sending_to[touser])
            queued = self._next_delays.get(request.path)
            seconds = queued.pop(0) if queued else self._delays.get(request.path, 0)
            wake = self._wake
        try:
            return self._respond(request, record, raw, body, seconds, wake, environ, start_response)
        finally:
            if touser is not None:
                with self._lock:
                    self._sending_to[touser] -= 1

    def _respond(self, request, record, raw, body, seconds, wake, environ, start_response):
        if seconds:
            wake.wait(seconds)
            with self._lock:
                ended = wake is not self._wake  # reset while it slept: its test is over; the next one's
            if ended:                           # queued failures are not for it
                return Response("<html><body>503</body></html>", 503, mimetype="text/html")(environ, start_response)
        status, answer = self._answer(request.path, record.query, body, bool(raw))
        record.errcode = answer.get("errcode", 0) if isinstance(answer, dict) else None
        if status != 200:
            response = Response(f"<html><body>{status}</body></html>", status, mimetype="text/html")
        else:
            response = Response(json.dumps(answer, ensure_ascii=False), 200, mimetype="application/json")
        return response(environ, start_response)

    def _answer(self, path, query, body, has_body):
        with self._lock:
            if path == "/__fake__/stats":
                return 200, {"errcode": 0, "token_fetches": self.token_fetches, "received": len(self._received),
                             "subscribe_sent": len(self._sent_subscribe)}
            if path == "/__fake__/reset":
                self.reset()
                return 200, {"errcode": 0, "errmsg": "ok"}
            if path == "/cgi-bin/token":
                self.token_fetches += 1
            queued = self._fail_queue.get(path)
            injected = queued.pop(0) if queued else self._fail_always.get(path)
            if injected:
                errcode, status = injected
                return status, _error(errcode)
            route = _ROUTES.get(path)
            if route is None:
                return 200, _error(40066)
            name, needs_token, reads_body = route
            if needs_token:
                token_error = self._check_token(query.get("access_token"))
                if token_error:
                    return 200, _error(token_error)
            if not reads_body:
                return 200, getattr(self, name)(query)
            if not has_body:
                return 200, _error(44002)
            if not isinstance(body, dict):
                return 200, _error(47001)
            return 200, getattr(self, name)(body)

    # -- tokens ------------------------------------------------------------------------------

    def _credentials_error(self, appid, secret):
        if appid != self.appid:
            return _error(40013)
        if secret != self.secret:
            return _error(40125)
        return None

    def _issue_token(self):
        now = time.monotonic()
        for token, deadline in list(self._tokens.items()):
            if self.token_grace > 0:
                self._tokens[token] = min(deadline, now + self.token_grace)
            else:
                del self._tokens[token]
        token = "FAKE_" + secrets.token_urlsafe(24)
        self._tokens[token] = now + self.token_ttl
        self._current_token = token
        return {"access_token": token, "expires_in": self.token_ttl}

    def _check_token(self, token):
        deadline = self._tokens.get(token) if token else None
        if deadline is None:
            return 40001
        if time.monotonic() >= deadline:
            return 42001 if token == self._current_token else 40001
        return None

    def _token(self, query):
        if query.get("grant_type") != "client_credential":
            return _error(40002)
        return self._credentials_error(query.get("appid"), query.get("secret")) or self._issue_token()

    def _stable_token(self, body):
        if body.get("grant_type") != "client_credential":
            return _error(40002)
        error = self._credentials_error(body.get("appid"), body.get("secret"))
        if error:
            return error
        current = self._current_token
        if body.get("force_refresh") or current is None or self._check_token(current):
            return self._issue_token()
        return {"access_token": current, "expires_in": max(1, int(self._tokens[current] - time.monotonic()))}

    # -- endpoints ---------------------------------------------------------------------------

    def _jscode2session(self, query):
        error = self._credentials_error(query.get("appid"), query.get("secret"))
        if error:
            return error
        if query.get("grant_type") != "authorization_code":
            return _error(40002)
        code = query.get("js_code")
        if not code:
            return _error(41008)
        if code.startswith("bad"):
            return _error(40029)
        if code in self._used_codes:
            return _error(40163)
        self._used_codes.add(code)
        known = self._codes.get(code, {})
        answer = {"openid": known.get("openid") or openid_for(code),
                  "session_key": known.get("session_key") or session_key_for(code)}
        if known.get("unionid"):
            answer["unionid"] = known["unionid"]
        return answer

    def _subscribe_send(self, body):
        touser, template_id = body.get("touser"), body.get("template_id")
        if not isinstance(touser, str) or not _fits(r"[A-Za-z0-9_\-]{1,64}", touser):
            return _error(40003)
        if not template_id or (self.template_ids is not None and template_id not in self.template_ids):
            return _error(40037)
        page = body.get("page")
        if page is not None and (not isinstance(page, str) or
                                 (self.pages is not None and page.split("?")[0] not in self.pages)):
            return _error(41030)
        if body.get("miniprogram_state", "formal") not in ("developer", "trial", "formal"):
            return _invalid("miniprogram_state")
        if body.get("lang", "zh_CN") not in ("zh_CN", "en_US", "zh_HK", "zh_TW"):
            return _invalid("lang")
        data = body.get("data")
        if not isinstance(data, dict) or not data:
            return _invalid("data")
        for key, item in data.items():
            if not isinstance(item, dict) or not valid_value(key, item.get("value")):
                return _invalid(f"data.{key}.value")
        if isinstance(self.template_ids, dict):
            for key in self.template_ids[template_id]:
                if key not in data:
                    return _error(47003, f"argument invalid! data.{key}.value is empty")
            for key in data:
                if key not in self.template_ids[template_id]:
                    return _invalid(f"data.{key}.value")
        self._sent_subscribe.append(body)
        return {"errcode": 0, "errmsg": "ok", "msgid": next(self._msgids)}

    def _custom_send(self, body):
        touser = body.get("touser")
        if not isinstance(touser, str) or not _fits(r"[A-Za-z0-9_\-]{1,64}", touser):
            return _error(40003)
        if not body.get("msgtype"):
            return _error(47001)
        self._sent_custom.append(body)
        return {"errcode": 0, "errmsg": "ok"}

    def _phone_number(self, body):
        code = body.get("code")
        if not code:
            return _error(41008)
        if code.startswith("bad"):
            return _error(40029)
        if code in self._used_phone_codes:
            return _error(40163)
        self._used_phone_codes.add(code)
        phone = self._phone_codes.get(code) or phone_for(code)
        return {"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86",
            "watermark": {"timestamp": int(time.time()), "appid": self.appid}}}


# path -> (method name, checks access_token, reads the JSON body)
_ROUTES = {
    "/cgi-bin/token": ("_token", False, False),
    "/cgi-bin/stable_token": ("_stable_token", False, True),
    "/sns/jscode2session": ("_jscode2session", True, False),
    SUBSCRIBE_SEND: ("_subscribe_send", True, True),
    "/cgi-bin/message/custom/send": ("_custom_send", True, True),
    "/wxa/business/getuserphonenumber": ("_phone_number", True, True),
}


def _norm(path):
    return "/" + path.lstrip("/")


def _error(errcode, errmsg=None):
    return {"errcode": errcode, "errmsg": errmsg or ERRMSGS.get(errcode, f"error {errcode}")}


def _invalid(what):
    return _error(47003, f"argument invalid! {what} invalid")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fake WeChat API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--appid", default=FAKE_APPID)
    parser.add_argument("--secret", default=FAKE_SECRET)
    parser.add_argument("--token-grace", type=float, default=0.0,
                        help="seconds an old access_token stays valid after a new one is issued")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    fake = FakeWeChatServer(args.host, args.port, args.appid, args.secret, args.token_grace, verbose=args.verbose)
    fake.bind()
    print(f"fake WeChat on {fake.base_url} (appid {args.appid})", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
