"""Data migrations do to the rows already kept what the code now does to new ones."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from api import MIGRATIONS_DIR, create_app
from models import db


def test_chat_turns_kept_before_masking_get_their_numbers_masked(tmp_path):
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="534bf7303526")
        db.session.execute(text("INSERT INTO veterans (id, openid, created_at, last_login_at) VALUES (1, 'o1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        db.session.execute(text(
            "INSERT INTO chat_turns (veteran_id, text, replies, created_at) VALUES "
            "(1, '我叫王磊，身份证510104199903150117，卡号6222 0202 0011 2233 445', '[]', CURRENT_TIMESTAMP)"))
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR), revision="heads")
        kept = db.session.execute(text("SELECT text FROM chat_turns")).scalar_one()
        assert kept == "我叫王磊，身份证5101**********0117，卡号6222***********3445"
        downgrade(directory=str(MIGRATIONS_DIR), revision="534bf7303526")  # leaves the masked text as it is
