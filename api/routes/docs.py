"""The OpenAPI document, built from the app's routes and request schemas, and Swagger UI at /docs."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app, jsonify, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from api.schemas import notify
from api.schemas import requests as req

bp = Blueprint("docs", __name__)

BODIES = {
    "auth.wechat_login": req.WechatLoginSchema, "auth.dev_login": req.DevLoginSchema,
    "auth.staff_login": req.StaffLoginSchema, "cases.submit_case": req.CaseSubmissionSchema,
    "cases.resubmit_case": req.ResubmissionSchema, "cases.withdraw_case": req.WithdrawSchema,
    "window.archive_reviewed": req.ArchiveReviewSchema, "window.accept": req.AcceptSchema,
    "window.reject": req.RejectSchema, "window.request_supplement": req.SupplementRequestSchema,
    "department.transition": req.MatterTransitionSchema, "chat.post_message": req.ChatMessageSchema,
    "subscriptions.report_accepted": notify.SubscriptionSchema,
}
QUERIES = {"window.queue": req.WindowQueueQuerySchema, "department.list_matters": req.DepartmentQueueQuerySchema,
           "faq.search": req.FaqSearchQuerySchema, "messages.list_messages": notify.MessagesQuerySchema,
           "admin_notifications.list_failed": notify.FailedNotificationsQuerySchema,
           "window_alerts.window_alerts": notify.PageQuerySchema,
           "department_alerts.department_alerts": notify.PageQuerySchema}
DOCUMENTED = ("/api/", "/wechat/", "/healthz", "/ping")
PUBLIC = ("auth.", "catalog.", "faq.", "health.", "wechat_callback.")
ERROR = {"description": "错误：{error: {code, message, fields?}}"}

DOCS_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>API 文档</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui"});</script></body></html>"""


def build_spec() -> dict:
    spec = APISpec(title="退役军人服务“一件事” API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(DOCUMENTED):  # the console and the demo page are HTML, not API
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        view = current_app.view_functions[rule.endpoint]
        operations = {}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op = {"summary": (view.__doc__ or rule.endpoint).strip().splitlines()[0],
                  "operationId": f"{rule.endpoint}.{method.lower()}",
                  "responses": {"200": {"description": "成功"}, "4XX": ERROR}}
            if rule.endpoint in BODIES:
                op["requestBody"] = {"required": True, "content": {"application/json": {"schema": BODIES[rule.endpoint]}}}
            if rule.endpoint in QUERIES:
                op["parameters"] = [{"in": "query", "schema": QUERIES[rule.endpoint]}]
            if not rule.endpoint.startswith(PUBLIC):
                op["security"] = [{"bearer": []}]
            if rule.arguments:
                op.setdefault("parameters", []).extend(
                    {"in": "path", "name": name, "required": True, "schema": {"type": "integer"}}
                    for name in sorted(rule.arguments))
            operations[method.lower()] = op
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec())


@bp.get("/docs")
def docs():
    return DOCS_PAGE


@bp.get("/docs/assets/<path:filename>")
def docs_assets(filename: str):
    return send_from_directory(swagger_ui_path, filename)
