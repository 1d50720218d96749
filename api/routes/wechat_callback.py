"""WeChat's message push (客服消息) for the mini-program: the URL check; the veteran's messages, which go
to the chat guide, its replies going back as customer-service text messages; and the veteran's choices
of subscribe messages (in the popup, in the settings), which update their grants.

Nothing is read or written before the signature holds: a bad one gets 403 and touches nothing. A signed
query is good for five minutes and once: a replay or an old one is refused too. With an EncodingAESKey
configured only safe-mode messages are taken, their msg_signature covering the body.
"""
import json
import logging
import re
import time

import xmltodict
from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import IntegrityError
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import check_signature

from api import chat
from api.body import storable
from api.errors import ApiError
from api.schemas.base import trimmed
from api.services import context, redis_client, wechat
from cases import queries
from models import Veteran, db
from notify import customer_service, subscriptions
from wechat.client import WeChatError

log = logging.getLogger(__name__)
bp = Blueprint("wechat_callback", __name__)

MAX_TEXT = 500  # characters of a veteran's message passed to the guide
MAX_REPLY = 600  # characters of one reply (WeChat takes 2048 bytes of text)
NOT_TEXT = "目前只能回复文字消息。上传材料、查看进度请在小程序中操作。"
CUT = "…\n（中间内容较长，完整内容请在小程序中查看）\n…"
GUIDE_DOWN = "抱歉，暂时无法处理您的消息，请稍后再试，或在小程序中继续办理。"
FORBIDDEN = ApiError(403, "bad_signature", "签名校验失败")
MAX_AGE = 300  # seconds a signed request's timestamp may be off from now, either way
STALE = ApiError(403, "stale_timestamp", "请求时间戳无效或与当前时间相差超过5分钟")
REPLAYED = ApiError(403, "replayed", "该请求已处理过，不再接受")
PLAIN_REFUSED = ApiError(403, "encryption_required", "已启用安全模式，只接受加密消息")
BAD_MESSAGE = ApiError(400, "bad_message", "消息格式不正确，应为 JSON 或 XML")
OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Events carrying the veteran's subscribe-message choices, and the XML element that wraps their List.
# subscribe_msg_sent_event (what became of a message sent) tells nothing the send's answer did not.
SUBSCRIPTION_EVENTS = {"subscribe_msg_popup_event": "SubscribeMsgPopupEvent",
                       "subscribe_msg_change_event": "SubscribeMsgChangeEvent"}


@bp.get("/wechat/callback")
def verify_url():
    """WeChat checks the push URL: answer `echostr` when the signature holds."""
    _check_signature()
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat/callback")
def receive():
    """A pushed message, plain or in safe mode, as JSON or XML; the answer is always `success`."""
    _check_signature()
    message = _read_message()
    openid = message.get("FromUserName")
    if isinstance(openid, str) and OPENID.fullmatch(openid):
        if message.get("MsgType") == "event":
            _record_subscription_choices(openid, message)
        else:
            _answer(openid, message)
    return Response("success", mimetype="text/plain")


def _answer(openid: str, message: dict) -> None:
    """The guide's reply to the veteran's message, once however often WeChat pushes it."""
    message_key = message.get("MsgId") or f"{openid}:{message.get('CreateTime')}"
    if customer_service.first_delivery(redis_client(), str(message_key)):
        customer_service.open_window(redis_client(), openid)
        text = trimmed(str(message.get("Content") or ""))  # only spaces or zero-width characters: no text
        _reply(openid, _converse(openid, text[:MAX_TEXT]) if message.get("MsgType") == "text" and text
               else NOT_TEXT)


def _record_subscription_choices(openid: str, message: dict) -> None:
    """A known veteran's choices of subscribe messages; WeChat's retries of one event count like the
    mini-program reporting it as well (notify.subscriptions.record_choices)."""
    event = message.get("Event")
    if not isinstance(event, str) or event not in SUBSCRIPTION_EVENTS:
        return
    veteran = queries.veteran_by_openid(openid)
    choices = _subscription_choices(message, SUBSCRIPTION_EVENTS[event])
    if veteran is not None and choices:
        subscriptions.record_choices(context().profile, veteran.id, choices,
                                     in_settings=event == "subscribe_msg_change_event")


def _subscription_choices(message: dict, xml_wrapper: str) -> list[tuple[str, str]]:
    """(template id, "accept" or "reject") of each entry of the event's List: inside `xml_wrapper` in XML, at
    the top in JSON; one entry comes as an object, several as an array."""
    wrapper = message.get(xml_wrapper)
    entries = wrapper.get("List") if isinstance(wrapper, dict) else message.get("List")
    return [(entry["TemplateId"], entry["SubscribeStatusString"])
            for entry in (entries if isinstance(entries, list) else [entries])
            if isinstance(entry, dict) and isinstance(entry.get("TemplateId"), str)
            and entry.get("SubscribeStatusString") in ("accept", "reject")]


def _check_signature() -> None:
    token = current_app.config["WECHAT_TOKEN"]
    args = request.args
    if not token or not all(args.get(k) for k in ("signature", "timestamp", "nonce")):
        raise FORBIDDEN
    try:
        check_signature(token, args["signature"], args["timestamp"], args["nonce"])
    except InvalidSignatureException:
        raise FORBIDDEN from None
    try:
        age = abs(int(time.time()) - int(args["timestamp"]))
    except ValueError:
        raise STALE from None
    if age > MAX_AGE:
        raise STALE
    # Remembered as long as the timestamp can pass the check above: the same query is taken once.
    if not redis_client().set(f"wechat:cb-nonce:{args['timestamp']}:{args['nonce']}", 1, nx=True, ex=2 * MAX_AGE):
        raise REPLAYED


def _read_message() -> dict:
    message = _parse(request.get_data(as_text=True))
    aes_key, args = current_app.config["WECHAT_AES_KEY"], request.args
    if not aes_key and args.get("encrypt_type", "raw") == "raw":
        return message
    if not aes_key or args.get("encrypt_type") != "aes":
        raise PLAIN_REFUSED if aes_key else FORBIDDEN
    if not args.get("msg_signature") or "Encrypt" not in message:
        raise FORBIDDEN
    try:
        crypto = WeChatCrypto(current_app.config["WECHAT_TOKEN"], aes_key, current_app.config["WECHAT_APPID"])
        plain = crypto.decrypt_message(message, args["msg_signature"], args["timestamp"], args["nonce"])
    except InvalidSignatureException:
        raise FORBIDDEN from None
    except Exception:  # a wrong EncodingAESKey or appid, or a mangled ciphertext
        log.warning("could not decrypt a pushed message")
        raise ApiError(400, "undecryptable", "无法解密消息") from None
    return _parse(plain)


def _parse(body: str) -> dict:
    try:
        message = json.loads(body) if body.lstrip().startswith("{") else xmltodict.parse(body)["xml"]
    except Exception:  # JSON and XML parsers raise many kinds
        raise BAD_MESSAGE from None
    if not isinstance(message, dict):
        raise BAD_MESSAGE
    if not storable(message):  # a NUL or a lone surrogate: no text the guide or Redis can keep
        raise ApiError(400, "bad_characters", "消息含有无法处理的字符")
    return message


def _converse(openid: str, text: str) -> str:
    """The guide's replies to `text`, as one message so the five-reply limit is never reached by one turn."""
    try:
        veteran, unfinished = queries.veteran_with_unfinished_case(_veteran(openid).id)
        turn, _ = chat.converse(veteran, unfinished, text=text)
    except Exception:  # the guide failed: tell the veteran rather than leaving them without an answer
        db.session.rollback()
        log.exception("the chat guide failed on a pushed message")
        return GUIDE_DOWN
    text = "\n\n".join(p for p in ((r.get("text") or "").strip() for r in turn["replies"]) if p)
    last = turn["replies"][-1] if turn["replies"] else {}
    options = "\n可回复：" + "、".join(_option_text(o) for o in last["options"]) if last.get("options") else ""
    if len(text) + len(options) > MAX_REPLY:  # the end (the question) and what to reply stay; the middle is cut
        keep = MAX_REPLY - len(options) - len(CUT)
        text = text[:keep // 3] + CUT + text[-(keep - keep // 3):]
    return text + options


def _option_text(option) -> str:
    """An offered answer as the veteran would type it: a label ({value, label}) or the plain option ("是")."""
    return str(option.get("label") or option.get("value")) if isinstance(option, dict) else str(option)


def _veteran(openid: str) -> Veteran:
    veteran = queries.veteran_by_openid(openid)
    if veteran is None:
        veteran = Veteran(openid=openid)
        db.session.add(veteran)
        try:
            db.session.commit()
        except IntegrityError:  # created meanwhile by a login
            db.session.rollback()
            veteran = queries.veteran_by_openid(openid)
    return veteran


def _reply(openid: str, text: str) -> None:
    if not text:
        return
    if not customer_service.take_reply(redis_client(), openid):
        log.warning("customer-service window closed or used up, reply not sent")
        return
    try:
        wechat().send_text(openid, text)
    except WeChatError as exc:
        if exc.errcode in (45015, 45047):
            customer_service.close_window(redis_client(), openid)
        log.warning("customer-service reply refused: errcode %s", exc.errcode)
