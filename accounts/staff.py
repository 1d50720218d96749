"""Staff accounts (window clerks, department officers, administrators), for the CLI and the console."""
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from cases.context import Context
from cases.errors import Conflict, InvalidForm, NotFound
from models import Staff, db
from models.staff import ROLES

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128  # the logins (api/schemas/requests.py, console/session.py) read no more


@dataclass(frozen=True)
class AccountInput:
    username: str
    role: str
    department: str | None
    region: str  # a code (2, 4 or 6 digits) or a place name
    password: str
    display_name: str = ""


def password_fingerprint(staff: Staff) -> str:
    """A short digest of the account's password hash: a console session or API token carrying it ends
    when the password is reset."""
    return hashlib.sha256(staff.password_hash.encode()).hexdigest()[:16]


def normalise_region(code: str) -> str:
    """"510000" → "51", "510100" → "5101": a region covers every code that starts with it."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise InvalidForm("invalid_region", "区划代码应为2、4或6位数字，如 51、5101、510104",
                          {"region": "应为2、4或6位数字，如 51、5101、510104"})
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def region_code(ctx: Context, text: str, within: str | None = None) -> str:
    """The region prefix `text` names: a code (51, 5101, 510104) or a place name (成都市锦江区)."""
    text = (text or "").strip()
    if text.isdigit():
        code = normalise_region(text)
        if ctx.regions.get(code.ljust(6, "0")) is None:
            raise InvalidForm("invalid_region", "没有这个行政区划代码", {"region": "没有这个行政区划代码"})
    else:
        try:
            code = normalise_region(ctx.regions.resolve(text).code)
        except ValueError as exc:
            raise InvalidForm("invalid_region", str(exc), {"region": str(exc)}) from None
    if within and not code.startswith(within):
        raise InvalidForm("region_out_of_scope", "只能为您管辖的地区开设账号", {"region": "只能为您管辖的地区开设账号"})
    return code


def password_problem(password: str, *, minimum: int = MIN_PASSWORD_LENGTH) -> str | None:
    """Why `password` cannot be set, in Chinese, if it cannot."""
    if not password.strip() or password != password.strip():
        return "密码不能为空白，首尾不能有空格"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"密码最长{MAX_PASSWORD_LENGTH}位"
    if len(password) < minimum:
        return f"初始密码至少{minimum}位"
    return None


def account_problems(ctx: Context, account: AccountInput, *,
                     password_minimum: int = MIN_PASSWORD_LENGTH) -> dict[str, str]:
    """Per-field reasons why `account` cannot be saved, in Chinese; empty when it can."""
    departments = ctx.profile.departments_with_matters  # an officer of another would never see a matter
    problems = {}
    if not account.username or len(account.username) > 64 or not account.username.isascii() \
            or not account.username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        problems["username"] = "用户名应为1到64位字母、数字、“-”“_”或“.”"
    if account.role not in ROLES:
        problems["role"] = f"岗位应为{_choices(ROLES)}之一"
    elif account.role == "department" and account.department not in departments:
        problems["department"] = f"部门经办人员需要选择部门，可选：{_choices(departments)}"
    elif account.role != "department" and account.department:
        problems["department"] = "只有部门经办人员才有所属部门"
    if problem := password_problem(account.password, minimum=password_minimum):
        problems["password"] = problem
    if len(account.display_name) > 64:
        problems["display_name"] = "姓名或称呼最长64个字符"
    return problems


def _choices(labels: dict[str, str]) -> str:
    """"综合窗口工作人员（window）、…": the label for the console, the code for the command line."""
    return "、".join(f"{label}（{key}）" for key, label in labels.items())


def upsert_staff(ctx: Context, account: AccountInput, region: str, *,
                 password_minimum: int = MIN_PASSWORD_LENGTH) -> Staff:
    """Create the account, or reset an existing one of that username (the CLI's `staff create`).

    `region` is the already normalised code prefix. Raises InvalidForm listing every problem.
    """
    problems = account_problems(ctx, account, password_minimum=password_minimum)
    if problems:
        raise InvalidForm("invalid_account", "账号信息有误：" + "；".join(problems.values()), problems)
    staff = db.session.scalar(select(Staff).where(Staff.username == account.username)) \
        or Staff(username=account.username)
    staff.role, staff.department, staff.region = account.role, account.department or None, region
    staff.password_hash = generate_password_hash(account.password)
    staff.display_name = account.display_name or staff.display_name or account.username
    staff.active = True
    db.session.add(staff)
    return staff


def create_staff(ctx: Context, admin: Staff, account: AccountInput) -> Staff:
    """An administrator opens a new account in their own region; an existing username is refused."""
    problems = account_problems(ctx, account)
    try:
        region = region_code(ctx, account.region, within=admin.region)
    except InvalidForm as exc:
        problems.update(exc.fields)
        region = None
    if problems:
        raise InvalidForm("invalid_account", "账号信息有误：" + "；".join(problems.values()), problems)
    if db.session.scalar(select(Staff.id).where(Staff.username == account.username)) is not None:
        raise Conflict("username_taken", f"用户名“{account.username}”已被使用", {"username": "已被使用"})
    staff = upsert_staff(ctx, account, region)
    db.session.commit()
    return staff


def staff_in_region(region: str) -> list[Staff]:
    return list(db.session.scalars(select(Staff).where(Staff.region.startswith(region))
                                   .order_by(Staff.active.desc(), Staff.role, Staff.username)))


def set_active(admin: Staff, staff_id: int, active: bool, new_password: str = "") -> Staff:
    """Deactivate an account of the administrator's region, or reactivate it with a new password. A session
    or API token of a deactivated account ends at its next request, and the new password keeps those
    from before dead after reactivation: they carry the old password's fingerprint. Administrators
    cannot deactivate themselves."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not staff.region.startswith(admin.region):
        raise NotFound("staff_not_found", "没有找到这个账号")
    if staff.id == admin.id and not active:
        raise Conflict("cannot_deactivate_self", "不能停用自己正在使用的账号")
    if active:
        if password_problem(new_password):
            reason = f"{MIN_PASSWORD_LENGTH}到{MAX_PASSWORD_LENGTH}位，不能为空白，首尾不能有空格"
            raise InvalidForm("invalid_password", f"重新启用账号需要设置新密码：{reason}", {"password": reason})
        staff.password_hash = generate_password_hash(new_password)
    staff.active = active
    db.session.commit()
    return staff
