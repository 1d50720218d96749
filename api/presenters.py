"""The JSON people and clients see of cases and matters, shaped by who is looking."""
from flask import current_app

from cases import disclosure, form, statuses
from cases.context import Context
from catalog.china_time import today_in_china
from materials import checklist
from materials.access import receives_registration_form
from materials.e_licence import ELicences
from models import Case, CaseMaterial, Matter
from security.number_masking import mask_in_staff_text, mask_personal_numbers


def _staff_text(text: str | None, in_full: bool) -> str | None:
    """What staff wrote (a reason, note or result) with its personal numbers masked, except in an audited look."""
    return text if in_full or not text else mask_in_staff_text(text)


def matter_json(ctx: Context, matter: Matter, in_full: bool = False) -> dict:
    spec = ctx.profile.matters[matter.key]
    return {
        "id": matter.id, "key": matter.key, "label": spec.label, "case_id": matter.case_id,
        "department": matter.department, "department_label": ctx.profile.departments[matter.department],
        "status": matter.status, "status_label": statuses.MATTER_LABELS[matter.status],
        "result": _staff_text(matter.result, in_full), "note": _staff_text(matter.note, in_full),
        "waits_for": ctx.profile.dependencies(matter.key, matter.case.matter_keys)
        if matter.status == statuses.WAITING else [],
        "updated_at": matter.updated_at.isoformat(),
    }


def _chosen_matter_json(ctx: Context, case: Case, key: str) -> dict:
    """A matter a draft has chosen: its work item is created on submission, so it has no id yet."""
    spec = ctx.profile.matters[key]
    status, label = ((statuses.NOT_APPLICABLE, statuses.MATTER_LABELS[statuses.NOT_APPLICABLE]) if spec.display_only
                     else (statuses.DRAFT, statuses.CASE_LABELS[statuses.DRAFT]))
    return {"id": None, "key": key, "label": spec.label, "case_id": case.id, "department": spec.department,
            "department_label": ctx.profile.departments[spec.department], "status": status, "status_label": label,
            "result": None, "note": None, "waits_for": [], "updated_at": case.updated_at.isoformat()}


def _matters_json(ctx: Context, case: Case, in_full: bool = False) -> list[dict]:
    if case.status == statuses.DRAFT:
        return [_chosen_matter_json(ctx, case, key) for key in case.matter_keys]
    return [matter_json(ctx, m, in_full) for m in case.matters]


def _deadline(case: Case) -> dict:
    overdue = bool(case.deadline and case.status in statuses.RUNNING and case.deadline < today_in_china())
    return {"deadline": case.deadline.isoformat() if case.deadline else None,
            "deadline_estimated": case.deadline_estimated, "overdue": overdue}


def e_licences() -> ELicences:
    return current_app.extensions["e_licences"]


def material_url(case_id: int, kind: str) -> str:
    return f"/api/v1/cases/{case_id}/materials/{kind}"


def uploaded_material_json(ctx: Context, upload: CaseMaterial) -> dict:
    material = ctx.profile.materials.get(upload.kind)
    return {"kind": upload.kind, "label": material.label if material else upload.kind, "source": "upload",
            "size": upload.size, "sha256": upload.sha256, "content_type": upload.content_type,
            "width": upload.width, "height": upload.height, "original_name": _file_name(upload.original_name),
            "uploaded_at": upload.uploaded_at.isoformat(), "url": material_url(upload.case_id, upload.kind)}


def _file_name(name: str | None) -> str | None:
    """The file's name as the client gave it, often the person's ID number ("王磊身份证4401….jpg"): masked."""
    return name and mask_personal_numbers(name)


def _required_json(case: Case, item: checklist.MaterialStatus, with_form_url: bool) -> dict:
    m = item.material
    body = {"key": m.key, "label": m.label, "spec": m.spec, "generated": m.generated,
            "original_at_window": m.original_at_window, "status": item.status,
            "status_label": checklist.STATUS_LABELS[item.status]}
    if item.upload is not None:
        body["url"] = material_url(case.id, m.key)
    if item.licence:
        body["e_licence"] = item.licence
    if item.status == checklist.GENERATED and with_form_url and case.id:
        body["url"] = f"/api/v1/cases/{case.id}/form.pdf"
    return body


def materials_required(ctx: Context, case: Case, values: dict, with_form_url: bool = True) -> list[dict]:
    """Each material the case's matters need, with its status: uploaded, owed, e_licence or generated."""
    return [_required_json(case, item, with_form_url)
            for item in checklist.checklist(ctx, e_licences(), case, values)]


def case_materials(ctx: Context, case: Case, values: dict) -> tuple[list[dict], list[dict]]:
    """(materials_required, materials): what the case needs with each one's status; then what it has,
    its current uploads followed by the materials its e-licences stand for."""
    items = checklist.checklist(ctx, e_licences(), case, values)
    provided = [uploaded_material_json(ctx, u) for u in checklist.current_uploads(case.id).values()]
    provided += [{"kind": item.material.key, "label": item.material.label, "source": "e_licence",
                  "licence": item.licence, "size": None, "sha256": None, "uploaded_at": None}
                 for item in items if item.status == checklist.E_LICENCE]
    return [_required_json(case, item, with_form_url=True) for item in items], provided


def timeline(case: Case, with_actor_ref: bool, in_full: bool = False) -> list[dict]:
    items = []
    for event in case.events:
        labels = statuses.MATTER_LABELS if event.matter_id else statuses.CASE_LABELS
        item = {"at": event.created_at.isoformat(), "actor": event.actor_label,
                "matter": event.matter.key if event.matter else None,
                "from": event.from_status, "to": event.to_status,
                "to_label": labels[event.to_status], "note": _staff_text(event.note, in_full)}
        if with_actor_ref:
            item["actor_ref"] = event.actor
        items.append(item)
    return items


def case_summary(ctx: Context, case: Case) -> dict:
    """For lists: no form values beyond the masked name and ID number."""
    values = form.unseal(ctx, case.fields)
    return {
        "id": case.id, "case_no": case.case_no, "status": case.status,
        "status_label": statuses.CASE_LABELS[case.status], "veteran_type": case.veteran_type,
        "handling_region": case.handling_region,
        "name": values.get("name"), "id_number": form.masked(ctx.profile, {"id_number": values.get("id_number", "")})["id_number"],
        "matters": [{"key": m["key"], "status": m["status"]} for m in _matters_json(ctx, case)],
        "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
        **_deadline(case),
    }


def case_json(ctx: Context, case: Case, for_staff: bool, numbers_in_full: bool = False) -> dict:
    """The whole case, personal numbers masked unless `numbers_in_full` (the window's audited look)."""
    values = form.unseal(ctx, case.fields)
    required, provided = case_materials(ctx, case, values)
    return {
        "id": case.id, "case_no": case.case_no, "status": case.status,
        "status_label": statuses.CASE_LABELS[case.status], "province": case.province,
        "veteran_type": case.veteran_type,
        "veteran_type_label": ctx.profile.veteran_types[case.veteran_type].label if case.veteran_type else None,
        "matters": _matters_json(ctx, case, numbers_in_full),
        "fields": values if for_staff and numbers_in_full else form.masked(ctx.profile, values),
        "materials_required": required,
        "materials": provided,
        "supplement": _supplement(case, numbers_in_full),
        "decision_reason": _staff_text(case.decision_reason, numbers_in_full),
        "time_limit_working_days": ctx.profile.time_limit.working_days,
        "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
        "accepted_at": case.accepted_at.isoformat() if case.accepted_at else None,
        "completed_at": case.completed_at.isoformat() if case.completed_at else None,
        **_deadline(case),
        "timeline": timeline(case, with_actor_ref=for_staff, in_full=numbers_in_full),
    }


def _supplement(case: Case, in_full: bool) -> dict | None:
    supplement = case.supplement
    if in_full or not supplement:
        return supplement
    return {**supplement, "note": _staff_text(supplement.get("note"), in_full=False),
            "items": [{**item, "reason": mask_in_staff_text(item["reason"])} for item in supplement["items"]]}


def department_matter_json(ctx: Context, matter: Matter, detailed: bool, numbers_in_full: bool = False) -> dict:
    """A matter as its department sees it: only the fields and materials granted for its matters,
    personal numbers masked unless `numbers_in_full` (the officer's audited look)."""
    case = matter.case
    own_matters = [m.key for m in case.matters if m.department == matter.department]
    grant = disclosure.department_grant(ctx, case, matter.department)
    every_value = form.unseal(ctx, case.fields)
    values = every_value if grant.fields is None else {k: v for k, v in every_value.items() if k in grant.fields}
    body = {**matter_json(ctx, matter, numbers_in_full), "case_no": case.case_no,
            "handling_region": case.handling_region, "deadline": case.deadline.isoformat() if case.deadline else None}
    if detailed:
        body["fields"] = values if numbers_in_full else form.masked(ctx.profile, values)
        # the checklist reads the uploads: only for the one matter opened, not for every row of a list
        body["materials"] = [m for m in materials_required(ctx, case, every_value,
                                                           with_form_url=receives_registration_form(grant))
                             if grant.materials is None or m["key"] in grant.materials]
        body["timeline"] = [e for e in timeline(case, with_actor_ref=True, in_full=numbers_in_full)
                            if e["matter"] in own_matters]
    else:
        body["fields"] = form.masked(ctx.profile, {k: values[k] for k in ("name", "id_number") if k in values})
    return body
