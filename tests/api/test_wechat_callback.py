"""WeChat's message push: the URL check, signatures, safe mode, JSON and XML, and a veteran's message
going through the chat guide with the reply sent back as a customer-service message."""
import base64
import json
import os
import time
import uuid

import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto, _get_signature
from wechatpy.utils import WeChatSigner

from api.routes.wechat_callback import MAX_REPLY
from models import ChatTurn, Veteran, db
from notify import customer_service
from tests.bot.scripted_veteran import Persona
from tests.factories import ApiClient
from tests.notify.conftest import drain

TOKEN = "callback-token-1"
AES_KEY = base64.b64encode(os.urandom(32)).decode().rstrip("=")
CUSTOM = "/cgi-bin/message/custom/send"


@pytest.fixture
def app(make_app):
    """Plain mode (明文模式): no EncodingAESKey configured."""
    return make_app(WECHAT_TOKEN=TOKEN)


@pytest.fixture
def api(app):
    return ApiClient(app)


@pytest.fixture
def safe_app(make_app):
    """Safe mode (安全模式): the EncodingAESKey is configured."""
    return make_app(WECHAT_TOKEN=TOKEN, WECHAT_AES_KEY=AES_KEY)


@pytest.fixture
def safe_api(safe_app):
    return ApiClient(safe_app)


def signed(timestamp=None, nonce=None, token=TOKEN, **extra):
    """The query WeChat signs, by default fresh: now, with a nonce never used before."""
    timestamp, nonce = timestamp or str(int(time.time())), nonce or uuid.uuid4().hex
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce, **extra}


def text_message(openid="o_cs_veteran", content="你好", msg_id="1001"):
    return {"ToUserName": "gh_app", "FromUserName": openid, "CreateTime": 1763800000, "MsgType": "text",
            "Content": content, "MsgId": msg_id}


def as_xml(message):
    fields = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in message.items())
    return f"<xml>{fields}</xml>"


def push(api, body, query, content_type="application/json", expect=200):
    data = json.dumps(body, ensure_ascii=False) if isinstance(body, dict) else body
    response = api.client.post("/wechat/callback", query_string=query, data=data.encode(), content_type=content_type)
    assert response.status_code == expect, response.get_data(as_text=True)
    return response


def replies(fake, openid="o_cs_veteran"):
    return [m["text"]["content"] for m in fake.sent_custom_messages() if m["touser"] == openid]


def test_the_url_check_answers_echostr(api):
    response = api.client.get("/wechat/callback", query_string=signed(echostr="echo-123"))
    assert response.status_code == 200 and response.get_data(as_text=True) == "echo-123"


@pytest.mark.parametrize("query", [signed(echostr="x", token="wrong"), {"echostr": "x"},
                                   {**signed(echostr="x"), "nonce": "other"}])
def test_the_url_check_with_a_bad_signature_is_403(api, query):
    response = api.client.get("/wechat/callback", query_string=query)
    assert response.status_code == 403 and response.get_json()["error"]["message"] == "签名校验失败"


def test_a_push_with_a_bad_signature_is_403_and_touches_nothing(app, api, fake_wechat):
    push(api, text_message(), signed(token="wrong"), expect=403)
    push(api, as_xml(text_message()), {"timestamp": "1", "nonce": "2"}, "text/xml", expect=403)
    with app.app_context():
        assert db.session.query(Veteran).count() == 0 and db.session.query(ChatTurn).count() == 0
    assert app.extensions["redis"].keys("*") == []
    assert fake_wechat.received == []


def test_without_a_configured_token_every_push_is_refused(make_app, fake_wechat):
    api = ApiClient(make_app(WECHAT_TOKEN=""))
    signer = WeChatSigner()
    signer.add_data("", "1", "2")
    push(api, text_message(), {"signature": signer.signature, "timestamp": "1", "nonce": "2"}, expect=403)


def test_a_veterans_text_goes_through_the_chat_guide_and_the_reply_comes_back(app, api, fake_wechat):
    response = push(api, text_message(content="你好"), signed(openid="o_cs_veteran"))
    assert response.get_data(as_text=True) == "success"
    (reply,) = replies(fake_wechat)
    with app.app_context():
        veteran = db.session.query(Veteran).filter_by(openid="o_cs_veteran").one()
        (turn,) = db.session.query(ChatTurn).filter_by(veteran_id=veteran.id).all()
        assert turn.text == "你好" and turn.replies
        assert reply.startswith(turn.replies[0]["text"][:40])


def test_the_guide_remembers_the_conversation_across_pushes(app, api, fake_wechat):
    push(api, text_message(content="你好", msg_id="1"), signed())
    push(api, text_message(content="我想办理退役报到", msg_id="2"), signed())
    assert len(replies(fake_wechat)) == 2
    with app.app_context():
        assert [t.text for t in db.session.query(ChatTurn).order_by(ChatTurn.id)] == ["你好", "我想办理退役报到"]


def test_xml_pushes_are_read_too(app, api, fake_wechat):
    push(api, as_xml(text_message(content="你好")), signed(), "text/xml")
    assert len(replies(fake_wechat)) == 1


def encrypted(plain, key=AES_KEY, appid="wx-demo-appid"):
    """(ciphertext, query) as WeChat sends them in safe mode: the query signed, msg_signature covering the body."""
    query = signed(encrypt_type="aes")
    xml = WeChatCrypto(TOKEN, key, appid).encrypt_message(plain, query["nonce"], query["timestamp"])
    envelope = xmltodict.parse(xml)["xml"]
    return envelope["Encrypt"], {**query, "msg_signature": envelope["MsgSignature"]}


@pytest.mark.parametrize("xml", [False, True])
def test_safe_mode_messages_are_decrypted(safe_api, fake_wechat, xml):
    message = text_message(content="你好")
    ciphertext, query = encrypted(as_xml(message) if xml else json.dumps(message, ensure_ascii=False))
    envelope = {"ToUserName": "gh_app", "Encrypt": ciphertext}
    push(safe_api, as_xml(envelope) if xml else envelope, query, "text/xml" if xml else "application/json")
    assert len(replies(fake_wechat)) == 1


def test_safe_mode_with_a_bad_message_signature_is_403(safe_api, fake_wechat):
    ciphertext, query = encrypted(json.dumps(text_message()))
    bad = _get_signature("wrong-token", query["timestamp"], query["nonce"], ciphertext)
    push(safe_api, {"Encrypt": ciphertext}, {**query, "msg_signature": bad}, expect=403)
    assert fake_wechat.received == []


def test_safe_mode_under_another_apps_key_is_refused(safe_api, fake_wechat):
    ciphertext, query = encrypted(json.dumps(text_message()), key=base64.b64encode(os.urandom(32)).decode().rstrip("="))
    error = push(safe_api, {"Encrypt": ciphertext}, query, expect=400).get_json()["error"]
    assert error["message"] == "无法解密消息" and fake_wechat.received == []


@pytest.mark.parametrize("mode", [{}, {"encrypt_type": "raw"}, {"encrypt_type": "aes"}])
def test_with_a_key_configured_a_message_outside_safe_mode_is_403(safe_app, safe_api, fake_wechat, mode):
    """A forger holding one signed query cannot send plain text by leaving safe mode off."""
    response = push(safe_api, text_message(), signed(**mode), expect=403)
    assert response.get_json()["error"]["message"] in ("已启用安全模式，只接受加密消息", "签名校验失败")
    with safe_app.app_context():
        assert db.session.query(ChatTurn).count() == 0
    assert fake_wechat.received == []


@pytest.mark.parametrize("age", [-301, 301, 30 * 86400])
def test_a_timestamp_more_than_five_minutes_off_is_403(app, api, fake_wechat, age):
    query = signed(timestamp=str(int(time.time()) - age))
    error = push(api, text_message(), query, expect=403).get_json()["error"]
    assert error["message"] == "请求时间戳无效或与当前时间相差超过5分钟"
    response = api.client.get("/wechat/callback", query_string={**signed(timestamp=query["timestamp"]), "echostr": "x"})
    assert response.status_code == 403 and fake_wechat.received == []


def test_a_replayed_query_is_403_even_with_another_message(app, api, fake_wechat):
    query = signed()
    push(api, text_message(msg_id="1"), query)
    error = push(api, text_message(content="重新开始", msg_id="2"), query, expect=403).get_json()["error"]
    assert error["message"] == "该请求已处理过，不再接受"
    assert len(replies(fake_wechat)) == 1
    with app.app_context():
        assert [t.text for t in db.session.query(ChatTurn)] == ["你好"]


def test_wechat_pushing_the_same_message_again_is_answered_once(app, api, fake_wechat):
    push(api, text_message(msg_id="77"), signed())
    push(api, text_message(msg_id="77"), signed())
    assert len(replies(fake_wechat)) == 1


def test_a_picture_gets_a_hint_to_use_the_mini_program(app, api, fake_wechat):
    push(api, {**text_message(), "MsgType": "image", "PicUrl": "http://x/y.jpg", "Content": None}, signed())
    assert "只能回复文字消息" in replies(fake_wechat)[0]


def test_a_text_of_only_invisible_characters_is_no_answer_to_the_guide(app, api, fake_wechat):
    push(api, text_message(content="\u200b\ufeff", msg_id="1"), signed())
    assert "只能回复文字消息" in replies(fake_wechat)[0]  # as for a picture: not "姓名“\u200b”不像姓名"
    with app.app_context():
        assert db.session.query(ChatTurn).count() == 0


def test_a_message_without_a_proper_sender_is_ignored(app, api, fake_wechat):
    push(api, "<xml><FromUserName><a>1</a></FromUserName><MsgType>text</MsgType><Content>你好</Content></xml>",
         signed(), "text/xml")
    assert fake_wechat.received == []


def test_entering_the_session_is_not_answered(app, api, fake_wechat):
    push(api, {"FromUserName": "o_cs_veteran", "MsgType": "event", "Event": "user_enter_tempsession"}, signed())
    assert fake_wechat.received == []


@pytest.mark.parametrize("body", [
    '{"FromUserName": "o_a", "MsgType": "text", "Content": "你好\\u0000", "MsgId": "1"}',
    '{"FromUserName": "o_b", "MsgType": "text", "Content": "你好\\ud800", "MsgId": "2"}',
    '{"FromUserName": "o_c", "MsgType": "text", "Content": "你好", "MsgId": "\\ud800"}',
    '{"FromUserName": "o_d", "MsgType": "text", "Content": "你好", "CreateTime": "\\udc00"}',
], ids=["nul-content", "surrogate-content", "surrogate-msgid", "surrogate-createtime"])
def test_a_nul_or_a_lone_surrogate_in_a_push_is_400_and_answered_with_nothing(app, api, fake_wechat, body):
    error = push(api, body, signed(), expect=400).get_json()["error"]
    assert error["message"] == "消息含有无法处理的字符"
    with app.app_context():
        assert db.session.query(ChatTurn).count() == 0
    assert fake_wechat.received == []


@pytest.mark.parametrize("body", ["not xml or json", "{\"broken\": ", "[1, 2]"])
def test_an_unreadable_body_after_a_good_signature_is_400(api, body):
    response = push(api, body, signed(), "text/plain", expect=400)
    assert response.get_json()["error"]["message"].startswith("消息格式不正确")


def test_wechat_closing_the_window_45015_stops_replies(app, api, fake_wechat):
    fake_wechat.fail_next(CUSTOM, 45015)
    push(api, text_message(msg_id="1"), signed())
    assert not customer_service.take_reply(app.extensions["redis"], "o_cs_veteran")


# -- the 48-hour, five-reply window --------------------------------------------------------------------

def test_a_users_message_allows_five_replies(redis_client):
    customer_service.open_window(redis_client, "o_1", now=1000)
    assert [customer_service.take_reply(redis_client, "o_1", now=1001) for _ in range(6)] == [True] * 5 + [False]
    customer_service.open_window(redis_client, "o_1", now=2000)
    assert customer_service.take_reply(redis_client, "o_1", now=2001)


def test_no_reply_after_48_hours_or_without_a_message(redis_client):
    customer_service.open_window(redis_client, "o_2", now=1000)
    assert not customer_service.take_reply(redis_client, "o_2", now=1000 + 48 * 3600)
    assert not customer_service.take_reply(redis_client, "o_never_wrote")
    assert redis_client.keys("wechat:cs-window:o_never_wrote") == []


def test_the_window_lives_in_redis_for_48_hours(redis_client):
    customer_service.open_window(redis_client, "o_3")
    assert 47 * 3600 < redis_client.ttl("wechat:cs-window:o_3") <= 48 * 3600


def test_a_whole_conversation_by_text_alone_reaches_a_submitted_case(app, api, fake_wechat):
    persona, text = Persona("sichuan"), "我刚退伍，要办哪些手续？"
    for n in range(40):
        push(api, text_message(content=text, msg_id=str(5000 + n)), signed())
        assert len(replies(fake_wechat)) == n + 1  # every message is answered, buttons or not
        with app.app_context():
            expecting = db.session.query(ChatTurn).order_by(ChatTurn.id.desc()).first().expecting
        if expecting is None:
            break
        text = persona.answer(expecting)
    sent = replies(fake_wechat)
    assert "申请已提交" in sent[-1]
    assert "可回复：是、否" in "\n".join(sent)  # plain options read as they are typed
    assert all(len(text) <= MAX_REPLY for text in sent)
    summary = next(text for text in sent if "请核对以下信息" in text)  # longer than one message may be
    assert "完整内容请在小程序中查看" in summary and summary.endswith("可回复：确认提交、修改")  # its end stays


def test_a_long_progress_reply_by_text_keeps_the_whole_supplement_list(app, api, fake_wechat):
    token = api.veteran_token("o_cs_veteran")
    case = api.submit(token)  # every matter: a long list of them
    reason = "与身份证或证书上的信息不一致，请核对后按原件填写，不要使用简称或别名"
    items = [{"field": key, "reason": reason} for key in
             ("name", "phone", "address", "emergency_contact_name", "emergency_contact_phone", "unit_code",
              "discharge_cert_no", "bank_name", "bank_account", "enlistment_address")]
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement", {"items": items}, token=api.window_token())
    push(api, text_message(content="我的申请到哪一步了"), signed(openid="o_cs_veteran"))
    (reply,) = replies(fake_wechat)
    assert f"需要补正：姓名：{reason}；手机号码：{reason}" in reply


# -- the veteran's subscribe-message choices ---------------------------------------------------------

PROGRESS, REVIEW, MATTER = "sc-tmpl-case-progress", "sc-tmpl-review-result", "sc-tmpl-matter-result"


def choice_event(event, choices, openid="o_cs_veteran"):
    """A subscription event as WeChat pushes it in JSON: one choice an object under List, several an array."""
    entries = [{"TemplateId": t, "SubscribeStatusString": status, "PopupScene": "0"} for t, status in choices]
    return {"ToUserName": "gh_app", "FromUserName": openid, "CreateTime": 1763800000, "MsgType": "event",
            "Event": event, "List": entries[0] if len(entries) == 1 else entries}


def choice_event_xml(event, wrapper, choices, openid="o_cs_veteran"):
    """The same in XML: a <List> per choice inside the event's wrapper element."""
    entries = "".join(f"<List><TemplateId><![CDATA[{t}]]></TemplateId><SubscribeStatusString><![CDATA[{status}]]>"
                      f"</SubscribeStatusString><PopupScene>0</PopupScene></List>" for t, status in choices)
    return (f"<xml><ToUserName><![CDATA[gh_app]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>1763800000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]>"
            f"</Event><{wrapper}>{entries}</{wrapper}></xml>")


def grants(api, token):
    return {g["template_id"]: g["remaining"] for g in api.get("/api/v1/subscriptions", token=token)["items"]}


@pytest.mark.parametrize("xml", [False, True])
def test_the_choices_in_the_popup_count_as_grants(app, api, fake_wechat, xml):
    token = api.veteran_token("o_cs_veteran")
    api.post("/api/v1/subscriptions", {"accepted": [PROGRESS]}, token=token)
    choices = [(REVIEW, "accept"), (MATTER, "accept"), (PROGRESS, "reject")]
    event = "subscribe_msg_popup_event"
    if xml:
        push(api, choice_event_xml(event, "SubscribeMsgPopupEvent", choices), signed(), "text/xml")
    else:
        push(api, choice_event(event, choices), signed())
    assert grants(api, token) == {REVIEW: 1, MATTER: 1}  # the long-term one rejected is off
    push(api, choice_event(event, [(REVIEW, "accept")]), signed())  # one choice: an object, not an array
    assert grants(api, token) == {REVIEW: 2, MATTER: 1}


def test_a_one_time_template_rejected_in_the_popup_keeps_the_messages_accepted_before(app, api, fake_wechat):
    token = api.veteran_token("o_cs_veteran")
    api.post("/api/v1/subscriptions", {"accepted": [REVIEW]}, token=token)
    push(api, choice_event("subscribe_msg_popup_event", [(REVIEW, "reject")]), signed())
    assert grants(api, token) == {REVIEW: 1}


@pytest.mark.parametrize("xml", [False, True])
def test_a_template_refused_in_the_settings_is_no_longer_sent(app, api, fake_wechat, xml):
    token = api.veteran_token("o_cs_veteran")
    api.post("/api/v1/subscriptions", {"accepted": [PROGRESS, REVIEW]}, token=token)
    choices = [(PROGRESS, "reject"), (REVIEW, "reject")]
    if xml:
        push(api, choice_event_xml("subscribe_msg_change_event", "SubscribeMsgChangeEvent", choices), signed(),
             "text/xml")
    else:
        push(api, choice_event("subscribe_msg_change_event", choices), signed())
    assert grants(api, token) == {}
    api.submit(token)
    drain(app)
    assert fake_wechat.sent_subscribe_messages() == []


def test_choices_of_an_unknown_veteran_or_template_are_ignored(app, api, fake_wechat):
    token = api.veteran_token("o_cs_veteran")
    response = push(api, choice_event("subscribe_msg_popup_event", [(REVIEW, "accept")], openid="o_stranger"),
                    signed())
    assert response.get_data(as_text=True) == "success"
    push(api, choice_event("subscribe_msg_popup_event", [("gd-tmpl-case-progress", "accept"), (REVIEW, "accept")]),
         signed())
    push(api, {**choice_event("subscribe_msg_popup_event", [(REVIEW, "accept")]), "List": "nonsense"}, signed())
    push(api, choice_event("subscribe_msg_sent_event", [(MATTER, "accept")]), signed())
    push(api, {**choice_event("subscribe_msg_popup_event", [(MATTER, "accept")]), "Event": {"nested": 1}}, signed())
    assert grants(api, token) == {REVIEW: 1}
    with app.app_context():
        assert db.session.query(Veteran).filter_by(openid="o_stranger").count() == 0
    assert fake_wechat.received == []
