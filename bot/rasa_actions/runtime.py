"""What the actions share: the app, built once per server process on first use, and the sender.

The action server is an entry point like `wsgi.py`: it builds the same app (`api.create_app()`,
configured by the environment) and runs every domain call inside its app context, so the
database session is removed when the call ends.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from flask import Flask
from sqlalchemy.exc import IntegrityError

from bot.content import Content
from bot.engine import Guide
from bot.policy_qa import PolicyQA
from cases import queries
from cases.context import Context
from materials.e_licence import ELicences
from models import Veteran, db

OPENID_MAX_LENGTH = 64  # veterans.openid


@dataclass(frozen=True)
class Services:
    ctx: Context
    qa: PolicyQA
    content: Content
    e_licences: ELicences
    guide: Guide


@lru_cache(maxsize=1)
def _app() -> Flask:
    # Imported here, not at the top: the action server imports this package at start, and the
    # app (YAML, classifier training, database engine) must only be built when an action runs.
    from api import create_app

    return create_app()


@contextmanager
def services() -> Iterator[Services]:
    """The app's services, inside an app context for the length of one action call."""
    app = _app()
    with app.app_context():
        guide = app.extensions["guide"]
        yield Services(app.extensions["context"], app.extensions["policy_qa"], guide.content,
                       app.extensions["e_licences"], guide)


def veteran_of_sender(sender_id, create: bool = False) -> Veteran | None:
    """The veteran a Rasa conversation belongs to (its sender_id is the WeChat openid), or None.

    With `create`, a sender seen for the first time becomes a veteran; a sender_id that cannot be
    an openid (no text, empty or too long) never does.
    """
    if not isinstance(sender_id, str) or not sender_id or len(sender_id) > OPENID_MAX_LENGTH:
        return None
    veteran = queries.veteran_by_openid(sender_id)
    if veteran is None and create:
        db.session.add(Veteran(openid=sender_id))
        try:
            db.session.commit()
        except IntegrityError:  # the same sender's concurrent call created it first
            db.session.rollback()
        veteran = queries.veteran_by_openid(sender_id)
    return veteran
