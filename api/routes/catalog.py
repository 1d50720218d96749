from flask import Blueprint, jsonify

from api.services import context
from cases import statuses

bp = Blueprint("catalog", __name__, url_prefix="/api/v1")


@bp.get("/catalog")
def get_catalog():
    """The active province profile: what a client needs to build its forms."""
    profile = context().profile
    return jsonify({
        "province": profile.key, "name": profile.name, "region_code": profile.region_code,
        "veteran_types": [{"key": t.key, "label": t.label,
                           "matters": [m.key for m in profile.matters_for_type(t.key)]}
                          for t in profile.veteran_types.values()],
        "matters": [{"key": m.key, "label": m.label, "department": m.department,
                     "department_label": profile.departments[m.department], "mode": m.mode,
                     "depends_on": list(m.depends_on), "mandatory": m.mandatory,
                     "display_only": m.display_only, "in_person": m.in_person,
                     "offline": m.offline, "note": m.note}
                    for m in profile.matters.values()],
        "fields": [{"key": f.key, "label": f.label, "type": f.type, "options": list(f.options),
                    "needed": "always" if f.needed_always else sorted(f.needed_for),
                    "needed_when": f.needed_when.equals if f.needed_when else None,
                    "derived": bool(f.derived_from), "default_from": f.default_from,
                    "staff_only": f.staff_only}
                   for f in profile.fields.values()],
        "materials": [{"key": m.key, "label": m.label, "spec": m.spec, "generated": m.generated,
                       "for": "all" if m.for_all else sorted(m.for_matters),
                       "when": m.when.equals if m.when else None,
                       "after": sorted(m.after), "original_at_window": m.original_at_window}
                      for m in profile.materials.values()],
        "departments": profile.departments,
        "channels": list(profile.channels),
        "time_limit": {"working_days": profile.time_limit.working_days, "stated": profile.time_limit.stated,
                       "excludes": profile.time_limit.excluded_for(list(profile.matters))},
        "archive_review_required": profile.archive_review_required,
        "notes": list(profile.notes),
        "sources": [{"key": s.key, "title": s.title} for s in profile.sources],
        "case_statuses": statuses.CASE_LABELS, "matter_statuses": statuses.MATTER_LABELS,
        # What the mini-program asks the veteran to accept with wx.requestSubscribeMessage.
        "subscribe_templates": [{"id": t.id, "title": t.title, "long_term": t.long_term, "events": list(t.events)}
                                for t in profile.subscribe_templates.values()],
    })
