"""Who may read a case's files: its owner, the window staff of its region, and a department
whose grant covers the material. Anyone else is told the file does not exist (404)."""
from cases import queries
from cases.context import Context
from cases.disclosure import HIDDEN_FROM_DEPARTMENTS, department_grant
from cases.errors import NotFound
from materials.checklist import current_uploads
from models import Case, CaseMaterial, Staff, Veteran, db

MATERIAL_NOT_FOUND = NotFound("material_not_found", "没有找到这份材料")


def case_for_reader(reader: Veteran | Staff, case_id: int) -> Case:
    """The case as its owner or the window of its region may read it (form, files)."""
    if isinstance(reader, Veteran):
        return queries.case_of_veteran(reader.id, case_id)
    if reader.role in ("window", "admin"):
        return queries.case_for_window(reader, case_id)
    raise queries.CASE_NOT_FOUND


def readable_upload(ctx: Context, reader: Veteran | Staff, case_id: int, kind: str) -> tuple[Case, CaseMaterial]:
    """The current file of `kind`, if `reader` may see it."""
    if isinstance(reader, Staff) and reader.role == "department":
        case = _case_for_department(ctx, reader, case_id, kind)
    else:
        case = case_for_reader(reader, case_id)
    upload = current_uploads(case.id).get(kind)
    if upload is None:
        raise MATERIAL_NOT_FOUND
    return case, upload


def _case_for_department(ctx: Context, officer: Staff, case_id: int, kind: str) -> Case:
    case = db.session.get(Case, case_id)
    visible = case is not None and any(
        m.department == officer.department and officer.covers(m.region) and m.status not in HIDDEN_FROM_DEPARTMENTS
        for m in case.matters)
    if not visible:
        raise MATERIAL_NOT_FOUND
    grant = department_grant(ctx, case, officer.department)
    if grant.materials is not None and kind not in grant.materials:
        raise MATERIAL_NOT_FOUND
    return case
