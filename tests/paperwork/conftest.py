import pytest


@pytest.fixture
def upload_dir(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app(make_app, upload_dir):
    return make_app("sichuan", UPLOAD_DIR=str(upload_dir))
