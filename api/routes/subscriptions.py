"""The subscribe-message templates a veteran accepted in wx.requestSubscribeMessage."""
from flask import Blueprint, g, jsonify

from api.body import load_json
from api.schemas.notify import SubscriptionSchema
from api.services import context
from notify import subscriptions

bp = Blueprint("subscriptions", __name__, url_prefix="/api/v1/subscriptions")


def _grants_json(grants) -> dict:
    profile = context().profile
    items = []
    for grant in grants:
        template = profile.template_by_id(grant.template_id)
        if template is not None:
            items.append({"template_id": grant.template_id, "title": template.title, "long_term": template.long_term,
                          "remaining": None if template.long_term else grant.remaining,
                          "accepted_at": grant.accepted_at.isoformat()})
    return {"items": items}


@bp.post("")
def report_accepted():
    """`{accepted: [template ids]}`: each one-time template accepted allows one more message."""
    accepted = load_json(SubscriptionSchema())["accepted"]
    return jsonify(_grants_json(subscriptions.record_accepted(context().profile, g.veteran.id, accepted)))


@bp.get("")
def list_grants():
    """The veteran's grants: one-time ones with how many messages they still allow."""
    return jsonify(_grants_json(subscriptions.grants_of(g.veteran.id)))
