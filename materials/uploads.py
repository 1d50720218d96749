"""A veteran hands in a material: which kinds may be uploaded when, and the upload itself.

Uploads are open while the case can still change before acceptance (draft, submitted,
archive_reviewed, supplement_requested). From acceptance on, the window has checked the materials
and the departments work from them, so they are fixed; a department that needs something more
returns its matter and the veteran brings it in person. A rejected, withdrawn or completed case
takes nothing.

Re-uploading a kind replaces the current file; the earlier row stays with `replaced_at` set, so
what was handed in before a 补正 can still be traced.
"""
from cases import form, queries, statuses
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from catalog.profile import Material
from materials import files
from materials.checklist import HANDED_IN, checklist, current_uploads
from materials.e_licence import ELicences
from materials.storage import FileStore
from models import Case, CaseMaterial, Veteran, db
from models.base import utcnow

OPEN_FOR_UPLOAD = statuses.OPEN_FOR_VETERAN


def upload(ctx: Context, e_licences: ELicences, store: FileStore, veteran: Veteran, case_id: int, kind,
           data: bytes, original_name: str | None, max_bytes: int) -> CaseMaterial:
    """Check and store one file as the case's current material of `kind`; the same bytes again change nothing."""
    case = queries.case_of_veteran(veteran.id, case_id)
    _require_open(case)
    material = uploadable_material(ctx, e_licences, case, kind)
    checked = files.check(material, data, max_bytes)
    digest = store.put(data)
    case = queries.case_of_veteran(veteran.id, case_id, lock=True)
    _require_open(case)
    current = current_uploads(case.id).get(kind)
    if current is not None and current.sha256 == digest:
        db.session.commit()
        return current
    if current is not None:
        current.replaced_at = utcnow()
    row = CaseMaterial(case_id=case.id, kind=kind, sha256=digest, size=checked.size,
                       content_type=checked.content_type, extension=checked.extension,
                       original_name=(original_name or "")[:200] or None, width=checked.width,
                       height=checked.height, uploaded_by=f"veteran:{veteran.id}")
    db.session.add(row)
    db.session.commit()
    return row


def uploadable_material(ctx: Context, e_licences: ELicences, case: Case, kind) -> Material:
    """The material `kind` if this case asks for it as a file, else a refusal saying why."""
    profile = ctx.profile
    material = profile.materials.get(kind) if isinstance(kind, str) else None
    if material is None:
        wanted = "、".join(f"{m.key}（{m.label}）" for m in profile.materials.values() if not m.generated)
        raise InvalidForm("unknown_material", "请选择要上传的材料种类", {"kind": f"可上传的材料：{wanted}"})
    standing = {i.material.key: i for i in checklist(ctx, e_licences, case, form.unseal(ctx, case.fields))}
    item = standing.get(kind)
    if item is not None and item.status in HANDED_IN:
        return material
    if material.generated:
        raise _refuse(material, f"{_quoted(material.label)}由系统生成，无需上传")
    if item is None:
        raise _refuse(material, f"所选办理事项不需要提交“{material.label}”")
    raise _refuse(material, f"已通过{item.licence}获取“{material.label}”，无需上传")  # an e-licence stands for it


def _quoted(label: str) -> str:
    """“居民身份证”, and “退役军人服务一件事”办理登记表 as it is, not in quotes twice."""
    return label if label.startswith("“") else f"“{label}”"


def _refuse(material: Material, message: str) -> InvalidForm:
    return InvalidForm("material_not_wanted", message, {"kind": message})


def _require_open(case: Case) -> None:
    if case.status not in OPEN_FOR_UPLOAD:
        label = statuses.CASE_LABELS[case.status]
        after = "材料已经窗口核验，如部门退回请按退回说明到部门补交" if case.status in statuses.RUNNING else "不能再上传材料"
        raise Conflict("materials_closed", f"申请当前为“{label}”，{after}")
