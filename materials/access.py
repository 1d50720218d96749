"""Who may read a case's files: its owner, the window staff of its region, and a department
whose grant covers the material. Anyone else is told the file does not exist (404)."""
from collections.abc import Callable

from cases import queries
from cases.context import Context
from cases.disclosure import department_grant, officer_matters
from cases.errors import NotFound
from catalog.profile import Grant
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


def receives_registration_form(grant: Grant) -> bool:
    """The 登记表 prints every field of the case, so only a department granted the whole case receives it:
    the 退役军人事务部门, which files it when 退役报到 is done (四川 附件2: 退役报到办结时归档; 吉林 三（二）1:
    退役报到时填写申请表); the others get only their own fields (四川 附件3)."""
    return grant.fields is None


def case_for_form(ctx: Context, reader: Veteran | Staff, case_id: int) -> Case:
    """The case whose registration form `reader` may have: the owner, the window, or a department receiving it."""
    if isinstance(reader, Staff) and reader.role == "department":
        return _case_for_department(ctx, reader, case_id, receives_registration_form)
    return case_for_reader(reader, case_id)


def readable_upload(ctx: Context, reader: Veteran | Staff, case_id: int, kind: str) -> tuple[Case, CaseMaterial]:
    """The current file of `kind`, if `reader` may see it."""
    if isinstance(reader, Staff) and reader.role == "department":
        case = _case_for_department(ctx, reader, case_id,
                                    lambda grant: grant.materials is None or kind in grant.materials)
    else:
        case = case_for_reader(reader, case_id)
    upload = current_uploads(case.id).get(kind)
    if upload is None:
        raise MATERIAL_NOT_FOUND
    return case, upload


def _case_for_department(ctx: Context, officer: Staff, case_id: int, granted: Callable[[Grant], bool]) -> Case:
    case = db.session.get(Case, case_id)
    if (case is None or not officer_matters(officer, case)
            or not granted(department_grant(ctx, case, officer.department))):
        raise MATERIAL_NOT_FOUND
    return case
