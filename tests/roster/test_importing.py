"""Window staff import the 接收安置名册; every row is checked like the form and reported."""
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from api.services import context
from catalog.field_values import example_id_number
from models import RosterEntry, db
from roster import lookup

COUNTY = "510104"
WANG = example_id_number(COUNTY, "19990315", 11)
LI = example_id_number(COUNTY, "20000708", 22)
ZHANG = example_id_number(COUNTY, "19951120", 31)
KEYS = "name,id_number,veteran_type,enlistment_date,discharge_date,unit_code,discharge_cert_no,service_branch," \
       "enlistment_place,handling_region"
LABELS = "姓名,身份证号码,退役类型,入伍时间,退役时间,退役时部队代号,退出现役证号,服役序列,批准入伍地," \
         "办理市（州）县（市、区）"


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _import(api, data: bytes, token=None, expect=200, name="roster.csv"):
    return api.post("/api/v1/staff/roster", token=token or api.window_token(), expect=expect,
                    data={"file": (BytesIO(data), name)}, content_type="multipart/form-data")


def _xlsx(*sheets: list[list]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for rows in sheets:
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _lookup(app, name, id_number):
    with app.app_context():
        return lookup(context(), name, id_number)


def test_a_csv_with_field_keys_is_imported_and_found_by_name_and_id(api, app):
    report = _import(api, _csv(KEYS, f"王磊,{WANG},self_employed,2019-09,2024-09,32145部队,2024090011,陆军,成都市锦江区,510104",
                               f"李娜,{LI},self_employed,2020-09,2025-09,61234部队,2025090022,空军,510104,锦江区"))
    assert (report["imported"], report["updated"], report["refused"]) == (2, 0, 0)
    masked = WANG[:4] + "*" * 10 + WANG[-4:]
    assert report["rows"][0] == {"row": 2, "status": "imported", "name": "王磊", "id_number": masked}
    known = _lookup(app, "王磊", WANG)
    assert known["id_number"] == WANG and known["unit_code"] == "32145部队" and known["veteran_type"] == "self_employed"
    assert known["enlistment_place"] == {"code": "510104", "name": "四川省成都市锦江区"}
    with app.app_context():
        stored = db.session.scalar(select(RosterEntry).where(RosterEntry.name == "王磊"))
        assert WANG not in str(stored.fields)  # sealed at rest


def test_lookup_needs_both_the_name_and_the_id_number(api, app):
    _import(api, _csv(KEYS, f"王磊,{WANG},self_employed,2019-09,2024-09,32145部队,2024090011,陆军,510104,510104"))
    assert _lookup(app, "王 磊", WANG)["name"] == "王磊"
    assert _lookup(app, "李娜", WANG) is None
    assert _lookup(app, "王磊", LI) is None
    assert _lookup(app, "王磊", "not an id") is None


def test_gbk_csv_with_chinese_headers_and_type_labels(api, app):
    report = _import(api, _csv(LABELS, f"张伟,{ZHANG},安排工作退役士兵,2013年9月,2025年3月,92001部队,2025030031,海军,"
                                       f"四川省成都市锦江区,成都市锦江区", encoding="gbk"))
    assert report["imported"] == 1, report
    known = _lookup(app, "张伟", ZHANG)
    assert known["veteran_type"] == "assigned_job" and known["enlistment_date"] == "2013-09"


def test_utf8_with_bom_is_read(api):
    report = _import(api, b"\xef\xbb\xbf" + _csv("姓名,身份证号码,办理市（州）县（市、区）", f"王磊,{WANG},510104"))
    assert report["imported"] == 1, report


def test_an_xlsx_roster_is_imported(api, app):
    book = Workbook()
    sheet = book.active
    sheet.append(KEYS.split(","))
    sheet.append(["李娜", LI, "自主就业退役士兵", "2020-09", "2025-09", "61234部队", 2025090022, "空军", "510104", "510104"])
    sheet.append([None] * 10)  # a blank row is skipped
    sheet.append(["王磊", 510104199903150117, "self_employed", "2019-09", "2024-09", "x", "y", "陆军", "510104", "510104"])
    out = BytesIO()
    book.save(out)
    report = _import(api, out.getvalue(), name="roster.xlsx")
    assert [(r["row"], r["status"]) for r in report["rows"]] == [(2, "imported"), (4, "refused")]
    assert "设为“文本”格式" in report["rows"][1]["reason"]
    assert _lookup(app, "李娜", LI)["discharge_cert_no"] == "2025090022"


def test_a_bad_row_is_refused_with_its_reasons_and_the_good_rows_still_go_in(api, app):
    bad_id = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")
    report = _import(api, _csv(KEYS,
                               f"王磊,{bad_id},self_employed,2019-09,2024-09,32145部队,2024090011,陆军,510104,510104",
                               f"李娜,{LI},士兵,2020-09,2015-09,61234部队,2025090022,空军,510104,510104",
                               f"张伟,{ZHANG},assigned_job,2013-09,2025-03,92001部队,2025030031,海军,510104,510104"))
    assert (report["imported"], report["refused"]) == (1, 2)
    wang, li, zhang = report["rows"]
    assert wang["status"] == "refused" and wang["fields"] == {"id_number": "身份证号校验位不对，请核对最后一位"}
    assert li["fields"]["veteran_type"].startswith("“士兵”不是退役类型")
    assert li["fields"]["discharge_date"] == "退役时间不能早于入伍时间"
    assert "退役时间不能早于入伍时间" in li["reason"]
    assert zhang["status"] == "imported"


def test_a_reimport_updates_rather_than_duplicates(api, app):
    _import(api, _csv(KEYS, f"王磊,{WANG},self_employed,2019-09,2024-09,32145部队,2024090011,陆军,510104,510104"))
    report = _import(api, _csv("name,id_number,unit_code", f"王磊,{WANG},32146部队"))
    assert report["rows"][0]["status"] == "updated"
    known = _lookup(app, "王磊", WANG)
    assert known["unit_code"] == "32146部队" and known["discharge_cert_no"] == "2024090011"  # the rest is kept
    with app.app_context():
        assert db.session.query(RosterEntry).count() == 1


def test_a_new_person_needs_a_handling_region_unless_the_staff_member_has_one_county(api):
    report = _import(api, _csv("name,id_number", f"王磊,{WANG}"))
    assert report["rows"][0]["fields"] == {"handling_region": "请填写办理市（州）县（市、区）"}
    county_clerk = api.staff_token("window-jinjiang", region="510104")
    assert _import(api, _csv("name,id_number", f"王磊,{WANG}"), token=county_clerk)["imported"] == 1


def test_the_same_person_twice_in_one_file_is_refused_the_second_time(api):
    report = _import(api, _csv("name,id_number,handling_region", f"王磊,{WANG},510104", f"王磊,{WANG},510104"))
    assert report["rows"][1]["fields"] == {"id_number": "与第2行的身份证号码相同，同一人只能出现一次"}


def test_rows_outside_the_staff_members_region_are_refused(api):
    elsewhere = api.staff_token("window-mianyang", region="5107")
    report = _import(api, _csv("name,id_number,handling_region", f"王磊,{WANG},510104",
                               f"李娜,{LI},绵阳市涪城区"), token=elsewhere)
    assert report["rows"][0]["fields"] == {"handling_region": "四川省成都市锦江区不在您负责的地区，不能导入"}
    assert report["rows"][1]["status"] == "imported"
    # and someone already in another region's roster cannot be changed from here
    _import(api, _csv("name,id_number,handling_region", f"王磊,{WANG},510104"))
    moved = _import(api, _csv("name,id_number,handling_region", f"王磊,{WANG},绵阳市涪城区"), token=elsewhere)
    assert moved["rows"][0]["fields"] == {"id_number": "此人已在其他地区的接收安置名册中，不能在此修改"}


def test_unknown_and_derived_columns_are_reported_as_ignored(api):
    report = _import(api, _csv("姓名,身份证号码,性别,备注,handling_region", f"王磊,{WANG},男,无,510104"))
    assert report["imported"] == 1
    assert report["ignored_columns"] == ["性别（由系统生成或由窗口填写，不从名册导入）", "备注（不认识的列）"]


def test_files_that_cannot_be_read_get_a_chinese_422(api):
    cases = {
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100: "旧版 Excel",
        b"PK\x03\x04 not really a workbook": "无法读取这个 Excel 文件",
        "姓名,身份证号码\n王磊,1".encode("utf-16"): "无法识别",
        b"\xff\xfe\xfd\x81\x30" * 10: "文字编码",
        _csv("name,phone", "王磊,13800138000"): "名册缺少必需的列：身份证号码（id_number）",
        _csv("name,姓名,id_number,handling_region"): "是同一列",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj": "这是 PDF 文件，请上传 CSV 或 XLSX 格式的名册",
        b"": "",
    }
    for data, words in cases.items():
        error = _import(api, data, expect=422)["error"]
        assert words in error["message"], (data[:20], error)


@pytest.mark.parametrize("data, message", [
    (_csv("姓名,身份证号码,办理市（州）县（市、区）"), "名册只有表头，没有要导入的数据行"),
    (_csv("姓名,身份证号码,备注", f'王磊,{WANG},"' + "长" * 140000),
     "CSV 文件中有一格超过131072个字符，通常是某格中的引号（\"）没有成对；请检查后重新保存再上传"),
], ids=["header only", "quote left open"])
def test_a_header_only_file_and_a_quote_left_open_are_told_in_chinese(api, data, message):
    assert _import(api, data, expect=422)["error"]["message"] == message


def test_a_request_without_a_file_is_422(api):
    error = api.post("/api/v1/staff/roster", token=api.window_token(), expect=422, data={},
                     content_type="multipart/form-data")["error"]
    assert error["fields"] == {"file": "请选择要上传的文件"}


def test_a_county_outside_the_province_is_outside_the_region_and_each_reason_names_its_column_once(api):
    report = _import(api, _csv("name,id_number,handling_region", f"王磊,{WANG},440106", f"李娜,{LI},火星"))
    label = "办理市（州）县（市、区）"
    assert report["rows"][0]["fields"] == {"handling_region": "广东省广州市天河区不在您负责的地区，不能导入"}
    assert report["rows"][0]["reason"] == f"{label}：广东省广州市天河区不在您负责的地区，不能导入"
    assert report["rows"][1]["reason"].startswith(f"{label}：没有找到“火星”这个地方")
    assert report["rows"][1]["reason"].count(label) == 1


EXCEL_LOST_DIGITS = "在 Excel 中存成了数字，后几位已丢失；请把这一列设为“文本”格式后重新填写"


def test_long_numbers_excel_keeps_as_numbers_are_refused_rather_than_imported_with_other_digits(api, app):
    header = ["姓名", "身份证号码", "银行账号", "手机号码", "办理市（州）县（市、区）"]
    report = _import(api, _xlsx([header, ["王磊", WANG, 6222020200112233445, 13800138000, "510104"],
                                 ["李娜", LI, 6222020200112233.0, "13800138001", "510104"],
                                 ["张伟", ZHANG, 622202020011, 13800138002, "510104"]]), name="roster.xlsx")
    wang, li, zhang = report["rows"]
    assert wang["fields"] == {"bank_account": f"银行账号{EXCEL_LOST_DIGITS}"}
    assert li["fields"] == {"bank_account": f"银行账号{EXCEL_LOST_DIGITS}"}
    assert _lookup(app, "王磊", WANG) is None
    # numbers of 15 digits and fewer survive Excel: a phone, a 12-digit account
    assert zhang["status"] == "imported"
    assert _lookup(app, "张伟", ZHANG)["bank_account"] == "622202020011"


def test_long_numbers_excel_wrote_into_a_csv_get_the_excel_explanation(api, app):
    report = _import(api, _csv("姓名,身份证号码,银行账号,办理市（州）县（市、区）",
                               "王磊,5.10104E+17,,510104", f"李娜,{LI[:15]}000,,510104",
                               f"张伟,{ZHANG},6.22202E+18,510104", f"赵强,{WANG},6222020200112230000,510104",
                               f"钱七,{example_id_number(COUNTY, '19990315', 41)},6222020200112230,510104"))
    assert [r["fields"] for r in report["rows"][:4]] == [
        {"id_number": f"身份证号码{EXCEL_LOST_DIGITS}"}, {"id_number": f"身份证号码{EXCEL_LOST_DIGITS}"},
        {"bank_account": f"银行账号{EXCEL_LOST_DIGITS}"}, {"bank_account": f"银行账号{EXCEL_LOST_DIGITS}"}]
    assert report["rows"][4]["status"] == "imported"  # a 16-digit account may well end in 0


def test_dates_excel_keeps_with_a_time_of_day_are_read_as_their_dates(api, app):
    header = ["姓名", "身份证号码", "入伍时间", "退役时间", "办理市（州）县（市、区）"]
    report = _import(api, _xlsx([header, ["王磊", WANG, datetime(2019, 9, 1), datetime(2024, 9, 1, 10, 30), "510104"]]),
                     name="roster.xlsx")
    assert report["imported"] == 1, report
    # what Excel writes into a CSV for a cell formatted as date and time
    report = _import(api, _csv("姓名,身份证号码,入伍时间,退役时间,办理市（州）县（市、区）",
                               f"李娜,{LI},2020/9/1 0:00,2025年9月1日 0:00,510104"))
    assert report["imported"] == 1, report
    wang, li = _lookup(app, "王磊", WANG), _lookup(app, "李娜", LI)
    assert (wang["enlistment_date"], wang["discharge_date"]) == ("2019-09-01", "2024-09-01")
    assert (li["enlistment_date"], li["discharge_date"]) == ("2020-09-01", "2025-09-01")


@pytest.mark.parametrize("written, kind", [
    ("自主就业", "self_employed"), ("自主就业（士兵）", "self_employed"), ("退役士兵（自主就业）", "self_employed"),
    ("安排工作", "assigned_job"), ("逐月领取退役金", "monthly_pension"), ("复员干部", "demobilized_officer"),
    ("复员军官", "demobilized_officer"), ("self_employed", "self_employed"),
])
def test_veteran_types_as_clerks_write_them_are_read_as_the_chat_reads_them(api, app, written, kind):
    report = _import(api, _csv("姓名,身份证号码,退役类型,办理市（州）县（市、区）", f"王磊,{WANG},{written},510104"))
    assert report["imported"] == 1, report
    assert _lookup(app, "王磊", WANG)["veteran_type"] == kind


@pytest.mark.parametrize("written", ["士兵", "军官", "复员士兵"])
def test_a_type_that_names_no_one_of_the_four_is_refused_naming_them(api, written):
    report = _import(api, _csv("姓名,身份证号码,退役类型,办理市（州）县（市、区）", f"王磊,{WANG},{written},510104"))
    assert report["rows"][0]["fields"] == {"veteran_type": f"“{written}”不是退役类型，应为自主就业退役士兵、"
                                                           "安排工作退役士兵、复员军官、逐月领取退役金退役军人之一"}


def test_options_in_everyday_words_are_taken_as_the_chat_takes_them(api, app):
    report = _import(api, _csv("姓名,身份证号码,文化程度,政治面貌,办理市（州）县（市、区）",
                               f"王磊,{WANG},高中,党员,510104", f"李娜,{LI},大专,团员,510104",
                               f"张伟,{ZHANG},文盲,不是党员,510104"))
    assert report["imported"] == 2, report
    assert [_lookup(app, n, i)[k] for n, i in (("王磊", WANG), ("李娜", LI)) for k in ("education", "political_status")] \
        == ["普通高中", "中共党员", "大学专科", "共青团员"]
    assert set(report["rows"][2]["fields"]) == {"education", "political_status"}


def test_a_header_below_a_title_row_written_as_clerks_write_it_is_found(api, app):
    title = "2024年锦江区退役军人接收安置名册,,,,,,,,,"
    header = "序号,姓 名,身份证号码(18位),退役类型（安置方式）,入伍年月,退伍时间,原部队代号,退出现役证书编号,联系电话,办理县区"
    row = f"1,王磊,{WANG},自主就业,2019.09,2024.09,32145部队,2024090011,13800138000,锦江区"
    report = _import(api, _csv(title, header, row, encoding="gbk"))
    assert [(r["row"], r["status"]) for r in report["rows"]] == [(3, "imported")]  # numbered as in the file
    assert report["ignored_columns"] == ["序号（不认识的列）"]
    known = _lookup(app, "王磊", WANG)
    assert (known["veteran_type"], known["enlistment_date"], known["discharge_date"], known["unit_code"],
            known["discharge_cert_no"], known["phone"]) == ("self_employed", "2019-09", "2024-09", "32145部队",
                                                            "2024090011", "13800138000")


def test_an_xlsx_roster_after_an_instructions_sheet_below_a_title_with_wrapped_headers_is_found(api, app):
    roster = [["2024年锦江区退役军人接收安置名册"], ["序号", "姓名", "身份\n证号码", "身份证号码（户主）",
                                                "办理市(州)县(市、区)", "入伍时间（年月）"],
              [1, "李娜", LI, "", "510104", "2020-09"]]
    report = _import(api, _xlsx([["填表说明"], ["身份证号码请设为文本格式"]], roster), name="roster.xlsx")
    assert [(r["row"], r["status"]) for r in report["rows"]] == [(3, "imported")]
    assert report["ignored_columns"] == ["序号（不认识的列）", "身份证号码（户主）（不认识的列）"]
    assert _lookup(app, "李娜", LI)["enlistment_date"] == "2020-09"


def test_personal_numbers_quoted_in_the_reasons_are_masked(api):
    report = _import(api, _csv("姓名,身份证号码,手机号码,办理市（州）县（市、区）", f"王磊,{WANG},{LI},510104",
                               f"{ZHANG},{WANG},13800138000,510104"))
    masked_li, masked_zhang = (n[:4] + "*" * 10 + n[-4:] for n in (LI, ZHANG))
    assert report["rows"][0]["reason"] == f"手机号码“{masked_li}”不是有效的11位手机号码"
    assert report["rows"][1]["fields"]["name"].startswith(f"姓名“{masked_zhang}”不像姓名")
    assert LI not in str(report) and ZHANG not in str(report)
