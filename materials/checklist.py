"""Where each material a case needs stands: uploaded, owed, provided by e-licence, or generated."""
from dataclasses import dataclass

from sqlalchemy import select

from cases import form
from cases.context import Context
from catalog.china_time import today_in_china
from catalog.profile import Material
from materials.e_licence import ELicences
from models import Case, CaseMaterial, db

UPLOADED = "uploaded"
OWED = "owed"
AFTER = "after"
E_LICENCE = "e_licence"
GENERATED = "generated"
STATUS_LABELS = {UPLOADED: "已上传", OWED: "待提交", AFTER: "办理后提供", E_LICENCE: "电子证照免交", GENERATED: "系统生成"}
# What the veteran hands in himself, so may upload and a 补正 may ask for: not the generated form, nor a
# material an e-licence stands for.
HANDED_IN = frozenset({UPLOADED, OWED, AFTER})


@dataclass(frozen=True)
class MaterialStatus:
    material: Material
    status: str
    upload: CaseMaterial | None = None
    licence: str | None = None  # the e-licence's label when status is e_licence


def current_uploads(case_id: int | None) -> dict[str, CaseMaterial]:
    """The latest upload of each kind of a case."""
    if case_id is None:
        return {}
    rows = db.session.scalars(select(CaseMaterial).where(
        CaseMaterial.case_id == case_id, CaseMaterial.replaced_at.is_(None)).order_by(CaseMaterial.id))
    return {row.kind: row for row in rows}


def checklist(ctx: Context, e_licences: ELicences, case: Case, values: dict) -> list[MaterialStatus]:
    """Every material the case's matters require, in catalog order, with its status.

    An upload counts before an e-licence: the window then has the very file. `values` is the
    unsealed form (the ID number finds the e-licences).
    """
    uploads = current_uploads(case.id)
    # Once accepted, what an e-licence stood in for stays so, though the licence lapses later.
    replaced = e_licences.replacing(values.get("id_number"), today_in_china(case.accepted_at))
    items = []
    for material in ctx.profile.required_materials(case.matter_keys, values):
        if material.generated:
            items.append(MaterialStatus(material, GENERATED))
        elif material.key in uploads:
            items.append(MaterialStatus(material, UPLOADED, upload=uploads[material.key]))
        elif material.key in replaced:
            items.append(MaterialStatus(material, E_LICENCE, licence=replaced[material.key]))
        elif material.after & set(case.matter_keys):
            items.append(MaterialStatus(material, AFTER))
        else:
            items.append(MaterialStatus(material, OWED))
    return items


def provided_kinds(ctx: Context, e_licences: ELicences, case: Case) -> set[str]:
    """The material keys the case needs no more of, whichever matters it comes to: uploaded, or covered by an
    e-licence (for the chat, whose one-time notice may be about matters only proposed yet)."""
    values = form.unseal(ctx, case.fields)
    replaced = e_licences.replacing(values.get("id_number"), today_in_china(case.accepted_at))
    return set(current_uploads(case.id)) | set(replaced)
