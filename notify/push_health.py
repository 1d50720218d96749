"""Whether the pushes are moving, for administrators. WeChat refusing our access_token (IP whitelist, secret,
appid) stops every push at once, and the worker holds them as pending, so nothing shows among the failed or
refused ones: this says so, with what to fix."""
from sqlalchemy import func, select

from models import Case, Notification, db
from models.notification import PENDING
from wechat.client import TOKEN_REFUSAL_SECONDS, WeChatGateway

OK, TOKEN_REFUSED = "ok", "token_refused"
# What the operator fixes, by the errcode WeChat answered the token fetch with.
TOKEN_REFUSALS = {
    40164: "服务器的出口 IP 不在小程序后台的 IP 白名单中",
    40125: "AppSecret 不正确",
    40013: "AppID 不正确",
}


def push_health(gateway: WeChatGateway, region: str) -> dict:
    """{status, message, token_refusal, pending, oldest_pending_at}: `pending` counts the region's pushes
    waiting to go out (all held while the token is refused), `message` says it in Chinese."""
    pending, oldest = db.session.execute(
        select(func.count(), func.min(Notification.created_at)).select_from(Notification).join(Case)
        .where(Notification.push_status == PENDING, Case.handling_region.startswith(region))).one()
    health = {"status": OK, "token_refusal": None, "pending": pending,
              "oldest_pending_at": oldest.isoformat() if oldest else None,
              "message": f"微信推送正常，本辖区待推送{pending}条。"}
    refusal = gateway.token_refusal()
    if refusal is not None:
        cause = TOKEN_REFUSALS.get(refusal.errcode, "微信拒绝发放")
        health.update(status=TOKEN_REFUSED, token_refusal={"errcode": refusal.errcode, "errmsg": refusal.errmsg},
                      message=f"微信拒绝了我们的 access_token 请求（{refusal.errcode}：{cause}；微信原文：{refusal.errmsg}），"
                              f"所有微信推送已暂停，本辖区有{pending}条消息等待推送。请在微信公众平台核对 IP 白名单、"
                              f"AppID 和 AppSecret；改正后{TOKEN_REFUSAL_SECONDS}秒内自动恢复推送，消息不会丢失。")
    return health
