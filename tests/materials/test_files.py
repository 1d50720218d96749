"""A file is judged by its bytes against its material's spec, and told exactly what is off."""
import pytest

from catalog.loader import load_profile
from cases.errors import InvalidForm
from materials import files
from tests.materials.images import PDF, jpeg, pdf, png

MB = 1024 * 1024


@pytest.fixture(scope="module")
def sichuan():
    return load_profile("sichuan")


@pytest.fixture(scope="module")
def jilin():
    return load_profile("jilin")


def _refusal(material, data, max_bytes=8 * MB) -> str:
    with pytest.raises(InvalidForm) as caught:
        files.check(material, data, max_bytes)
    assert caught.value.fields["file"] == caught.value.message
    return caught.value.message


def test_sichuan_photo_over_60kb_says_its_size_and_the_range(sichuan):
    assert _refusal(sichuan.materials["photo"], jpeg(size=72 * 1024)) == "照片大小为 72KB，要求 14KB–60KB"


def test_sichuan_photo_under_14kb_is_refused(sichuan):
    assert _refusal(sichuan.materials["photo"], jpeg(size=10 * 1024)) == "照片大小为 10KB，要求 14KB–60KB"


@pytest.mark.parametrize("size", [14 * 1024, 60 * 1024])
def test_sichuan_photo_at_either_bound_is_accepted(sichuan, size):
    checked = files.check(sichuan.materials["photo"], jpeg(size=size), 8 * MB)
    assert (checked.content_type, checked.size, checked.extension) == ("image/jpeg", size, "jpg")


def test_a_size_just_over_the_limit_never_reads_as_the_limit(sichuan):
    assert _refusal(sichuan.materials["photo"], jpeg(size=60 * 1024 + 40)) == "照片大小为 60.1KB，要求 14KB–60KB"


def test_jilin_photo_must_be_358_by_441_pixels(jilin):
    message = _refusal(jilin.materials["photo"], jpeg(400, 500, size=20 * 1024))
    assert message == "照片尺寸为 400×500 像素，要求 358×441 像素"


def test_jilin_photo_bounds_are_exclusive(jilin):
    assert _refusal(jilin.materials["photo"], jpeg(size=50 * 1024)) == "照片大小为 50KB，要求大于 5KB、小于 50KB"
    assert files.check(jilin.materials["photo"], jpeg(size=50 * 1024 - 1), 8 * MB).width == 358


def test_every_problem_of_a_photo_is_told_at_once(jilin):
    message = _refusal(jilin.materials["photo"], jpeg(400, 500, size=60 * 1024))
    assert message == "照片大小为 60KB，要求大于 5KB、小于 50KB；照片尺寸为 400×500 像素，要求 358×441 像素"


def test_a_png_photo_is_refused_where_jpg_is_required(sichuan):
    assert _refusal(sichuan.materials["photo"], png()) == "照片格式为 PNG，要求 JPG"


def test_the_type_comes_from_the_bytes_not_the_name(sichuan):
    message = _refusal(sichuan.materials["id_card_scan"], b"MZ\x90\x00 this is a windows program" * 20)
    assert message.startswith("文件格式为 EXE，要求 JPG、PNG、PDF")
    assert "无法识别文件的格式" in _refusal(sichuan.materials["id_card_scan"], "居民身份证.jpg".encode() * 10)


def test_scans_may_be_jpg_png_or_pdf(sichuan):
    scan = sichuan.materials["id_card_scan"]
    assert [files.check(scan, data, MB).content_type for data in (jpeg(), png(), PDF)] == [
        "image/jpeg", "image/png", "application/pdf"]


def test_an_image_that_does_not_decode_is_refused(sichuan):
    broken = jpeg(800, 800)[:600]  # a JPEG header, then the data stops
    assert _refusal(sichuan.materials["id_card_scan"], broken).startswith("文件无法打开")


def test_an_empty_file_is_refused(sichuan):
    assert _refusal(sichuan.materials["id_card_scan"], b"") == "上传的文件是空的，请重新选择文件"


def test_a_file_over_the_size_limit_is_413_with_its_size(sichuan):
    with pytest.raises(files.FileTooLarge) as caught:
        files.check(sichuan.materials["id_card_scan"], jpeg(size=3 * MB), 2 * MB)
    assert caught.value.status == 413
    assert caught.value.message == "文件大小为 3MB，超过上限 2MB"


def test_where_no_province_spec_exists_a_photo_is_still_an_image():
    photo = load_profile("guangdong").materials["photo"]
    assert files.check(photo, png(), MB).content_type == "image/png"
    assert _refusal(photo, PDF) == "照片格式为 PDF，要求 JPG、PNG"


def test_a_phone_photo_is_measured_as_it_is_shown(jilin):
    """Stored 441×358 with EXIF orientation 6 (turned a quarter): every viewer shows 358×441."""
    assert files.check(jilin.materials["photo"], jpeg(441, 358, 20 * 1024, orientation=6), 8 * MB).width == 358
    assert _refusal(jilin.materials["photo"], jpeg(358, 441, 20 * 1024, orientation=6)) == \
        "照片尺寸为 441×358 像素，要求 358×441 像素"


@pytest.mark.parametrize("data, told", [(b"%PDF-", "PDF 文件无法打开"), (b"%PDF-1.4<html>hi</html>", "PDF 文件无法打开"),
                                        (pdf(pages=0), "PDF 文件没有任何页面"),
                                        (pdf(script=True), "PDF 文件含有打开时自动运行的脚本")])
def test_a_pdf_the_window_could_not_open_safely_is_refused(sichuan, data, told):
    assert _refusal(sichuan.materials["id_card_scan"], data).startswith(told)
