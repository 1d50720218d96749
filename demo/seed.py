"""Demo data for `make run`: one window clerk and one officer per department in a demo county,
and a few rows of the 接收安置名册. Everything here is made up."""
from cases.context import Context
from catalog.field_values import example_id_number
from catalog.profile import Profile
from models import ELicence, RosterEntry

DEMO_PASSWORD = "demo-pass-2026"
DEMO_COUNTY = {"guangdong": "440106", "sichuan": "510104", "jilin": "220104"}


def demo_county(profile: Profile) -> str:
    return DEMO_COUNTY[profile.key]


def demo_staff(profile: Profile) -> list[dict]:
    county = demo_county(profile)
    city = county[:4]
    accounts = [
        {"username": "window", "role": "window", "department": None, "region": city,
         "display_name": "综合窗口（演示）"},
        {"username": "admin", "role": "admin", "department": None, "region": profile.region_code,
         "display_name": "管理员（演示）"},
    ]
    accounts += [{"username": f"dept-{department}", "role": "department", "department": department,
                  "region": city, "display_name": f"{label}（演示）"}
                 for department, label in sorted(profile.departments_with_matters.items())]
    return accounts



def demo_roster(ctx: Context) -> list[RosterEntry]:
    county = demo_county(ctx.profile)
    region = ctx.regions.get(county)
    served = ctx.regions.get("653101")  # 新疆维吾尔自治区喀什地区喀什市
    rows = [
        ("王磊", "self_employed", "19990315", 11, "2019-09", "2024-09", "32145部队", "2024090011", "陆军", "中共党员"),
        ("李娜", "self_employed", "20000708", 22, "2020-09", "2025-09", "61234部队", "2025090022", "空军", "共青团员"),
        ("张伟", "assigned_job", "19951120", 31, "2013-09", "2025-03", "92001部队", "2025030031", "海军", "中共党员"),
    ]
    entries = []
    for name, kind, birth, seq, enlisted, discharged, unit, cert, branch, political in rows:
        id_number = example_id_number(county, birth, seq)
        entries.append(RosterEntry(
            id_number_hash=ctx.sealer.lookup_hash(id_number), name=name, veteran_type=kind,
            handling_region=county,
            fields={"name": name, "id_number": ctx.sealer.seal(id_number), "enlistment_date": enlisted,
                    "discharge_date": discharged, "unit_code": unit, "discharge_cert_no": cert,
                    "service_branch": branch,
                    "political_status": political, "ethnicity": "汉族", "education": "普通高中",
                    "enlistment_address": "红星路1号",
                    "service_region": {"code": served.code, "name": served.full_name},
                    "handling_region": {"code": region.code, "name": region.full_name},
                    "enlistment_place": {"code": region.code, "name": region.full_name}},
        ))
    return entries


def demo_e_licences(ctx: Context) -> list[ELicence]:
    """电子证照 of the first two roster people: 王磊 holds both, 李娜 only the ID card's.
    They replace materials only where the profile says so (广东)."""
    county = demo_county(ctx.profile)
    held = [("19990315", 11, "resident_id_card", None), ("19990315", 11, "discharge_certificate", "2024090011"),
            ("20000708", 22, "resident_id_card", None)]
    return [ELicence(id_number_hash=ctx.sealer.lookup_hash(example_id_number(county, birth, seq)),
                     licence_type=kind, licence_no=number, issuer="演示电子证照库")
            for birth, seq, kind, number in held]
