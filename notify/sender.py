"""One subscribe message through the WeChat gateway, and what its answer means for the outbox
(shared/WECHAT.md's table of error codes)."""
import logging

from notify.outbox import HOLD, NO_GRANT, REFUSE, RETRY, SENT_OK, UNCONFIRMED, Delivery, Outcome
from wechat.client import NoAnswer, TokenRefused, WeChatError, WeChatGateway, WeChatUnavailable

log = logging.getLogger(__name__)

# Refusals that no retry can change; the inbox copy stands and the reason is recorded.
REFUSALS = {
    40003: "openid 无效",
    40037: "模板 ID 无效（检查省份配置 subscribe_templates）",
    41030: "跳转页面无效（检查 WECHAT_NOTIFY_PAGE）",
    47003: "模板数据不合规（取值与关键词类型不符，属程序缺陷）",
}
# Worth another try later: busy (-1), the daily quota (45009), and a token WeChat still refused after
# the gateway's one refresh (40001, 40014, 42001).
RETRYABLE = {-1, 45009, 40001, 40014, 42001}


def send(gateway: WeChatGateway, delivery: Delivery) -> Outcome:
    """Send `delivery`; never raises."""
    try:
        answer = gateway.send_subscribe_message(delivery.openid, delivery.template_id, delivery.data,
                                                page=delivery.page)
    except NoAnswer as exc:  # sent, but no answer came: WeChat may have delivered it
        return Outcome(UNCONFIRMED, error=f"微信未应答（{exc.errmsg}）")
    except WeChatUnavailable as exc:  # no connection, HTTP 5xx, -1: nothing delivered
        return Outcome(RETRY, errcode=exc.errcode, error=f"微信暂不可用：{exc.errmsg}")
    except TokenRefused as exc:  # our credentials or IP whitelist, not this message (the gateway logs it)
        return Outcome(HOLD, errcode=exc.errcode, error=f"获取 access_token 失败（检查 AppSecret 和 IP 白名单）：{exc.errmsg}")
    except WeChatError as exc:
        if exc.errcode == 43101:
            return Outcome(NO_GRANT, errcode=43101, error="用户未订阅或授权次数已用完，仅站内消息")
        if exc.errcode in RETRYABLE:
            return Outcome(RETRY, errcode=exc.errcode, error=f"微信暂时拒绝：{exc.errmsg}")
        reason = REFUSALS.get(exc.errcode, "微信拒绝")
        if exc.errcode in (47003, 40037, 41030):
            log.error("notification %s refused by WeChat %s: %s", delivery.notification_id, exc.errcode, exc.errmsg)
        return Outcome(REFUSE, errcode=exc.errcode, error=f"{reason}：{exc.errmsg}")
    except Exception as exc:  # e.g. Redis unreachable while reading the shared token: try again later
        log.warning("notification %s not sent: %s", delivery.notification_id, type(exc).__name__)
        return Outcome(RETRY, error=f"发送出错：{type(exc).__name__}")
    return Outcome(SENT_OK, msgid=str(answer.get("msgid") or ""))
