"""How many messages a veteran types to a submitted case (四川, 自主就业, every matter).

Runs the scripted veteran (tests/bot/scripted_veteran.py) through the real HTTP API of the app
on a throw-away SQLite database, with and without a roster row, answering several values at once
or one at a time. Usage: .venv/bin/python bench/chat_messages.py
"""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from api import create_app  # noqa: E402
from tests.bot.scripted_veteran import Persona, converse  # noqa: E402
from tests.factories import ApiClient  # noqa: E402


def count(api: ApiClient, openid: str, persona: Persona) -> tuple[int, int]:
    """(messages sent, of which typed): the rest is one tap on an offered button (是, 好的, 稍后上传, 确认提交)."""
    converse(api, api.veteran_token(openid), persona)
    return len(persona.said), len(persona.said) - persona.taps


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"APP_ENV": "testing", "PROVINCE": "sichuan",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"})
        with app.app_context():
            upgrade(revision="heads")
        app.test_cli_runner().invoke(args=["demo", "load"])  # roster rows for sequence 11 (王磊)
        api = ApiClient(app)
        rows = [
            ("no roster row, several values per message", "a", Persona("sichuan", sequence=41)),
            ("no roster row, one value per message", "b", Persona("sichuan", sequence=42, several_at_once=False)),
            ("roster prefill, several values per message", "c", Persona("sichuan", sequence=11)),
        ]
        print(f"{'四川 自主就业, every matter':<46} messages  typed  tapped")
        for label, openid, persona in rows:
            sent, typed = count(api, openid, persona)
            print(f"{label:<46} {sent:>8} {typed:>6} {sent - typed:>7}")


if __name__ == "__main__":
    main()
