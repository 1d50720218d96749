"""The long-lived pieces the app builds once: the domain context, Redis and the WeChat gateway."""
import base64
import json
import logging
from collections.abc import Set as AbstractSet
from functools import lru_cache
from pathlib import Path

import fakeredis
import redis
from flask import Flask, current_app

import roster
from bot.content import load_content
from bot.engine import Guide
from bot.intents import IntentClassifier
from bot.nlu_data import read_nlu_dir
from bot.policy_qa import PolicyQA
from bot.state import StateStore
from cases.context import Context
from cases.deadlines import WorkingCalendar
from catalog.loader import DIALOGS_DIR, load_profile
from catalog.regions import RegionDirectory
from materials.checklist import provided_kinds
from models import db
from security.sealing import Sealer
from wechat.client import WeChatGateway

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _regions() -> RegionDirectory:
    return RegionDirectory.load()


@lru_cache(maxsize=1)
def _intent_classifier() -> IntentClassifier:
    """Trained once per process: every app in it (tests make many) shares the same examples."""
    return IntentClassifier.train(read_nlu_dir(DIALOGS_DIR / "nlu"))


def _provided_materials(case) -> AbstractSet[str]:
    """Uploaded or covered by an e-licence; read when called, since the e-licence source starts later."""
    return _ProvidedKinds(case)


class _ProvidedKinds(AbstractSet):
    """The material keys a case needs no more of, read from the database at the first question asked
    of it: the chat asks on every turn, but only looks inside once the form is complete (two queries
    saved on most turns). Within one database transaction a case's answer is read once, keyed by what
    it depends on: a turn uploads nothing, and an upload is committed by its own request.
    """

    def __init__(self, case):
        self._case = case
        self._kinds: frozenset | None = None

    def _read(self) -> frozenset:
        if self._kinds is None:
            case = self._case
            session = db.session()
            transaction = session.get_transaction()
            memo = session.info.get("provided_materials")
            if memo is None or memo[0] is not transaction:
                memo = session.info["provided_materials"] = (transaction, {})
            key = (case.id, tuple(case.matter_keys or ()), json.dumps(case.fields, sort_keys=True, default=str))
            if transaction is None or key not in memo[1]:
                memo[1][key] = frozenset(provided_kinds(context(), current_app.extensions["e_licences"], case))
            self._kinds = memo[1][key]
        return self._kinds

    def __contains__(self, key) -> bool:
        return key in self._read()

    def __iter__(self):
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    @classmethod
    def _from_iterable(cls, iterable):  # what `&`, `|` and `-` return: a plain set
        return set(iterable)


def init_services(app: Flask) -> None:
    config = app.config
    key = config["DATA_ENCRYPTION_KEY"]
    master_key = base64.b64decode(key) if key else config["SECRET_KEY"].encode()
    app.extensions["context"] = Context(
        profile=load_profile(config["PROVINCE"]),
        regions=_regions(),
        sealer=Sealer(master_key),
        calendar=WorkingCalendar.from_yaml(Path(config["HOLIDAYS_FILE"] or DIALOGS_DIR / "holidays.yaml")),
    )
    if config["REDIS_URL"]:
        app.extensions["redis"] = redis.Redis.from_url(config["REDIS_URL"])
    else:
        log.warning("REDIS_URL is not set: using an in-process Redis stand-in (development only)")
        app.extensions["redis"] = fakeredis.FakeRedis()
    app.extensions["wechat"] = WeChatGateway(config["WECHAT_APPID"], config["WECHAT_SECRET"],
                                             config["WECHAT_API_BASE_URL"], app.extensions["redis"],
                                             timeout=config["WECHAT_TIMEOUT"])
    ctx = app.extensions["context"]
    app.extensions["policy_qa"] = PolicyQA.load(DIALOGS_DIR, ctx.profile, _intent_classifier())
    app.extensions["guide"] = Guide(ctx, load_content(DIALOGS_DIR / "questions.yaml", ctx.profile),
                                    app.extensions["policy_qa"], StateStore(app.extensions["redis"]),
                                    roster_lookup=roster.lookup, provided_materials=_provided_materials)


def context() -> Context:
    return current_app.extensions["context"]


def redis_client() -> redis.Redis:
    return current_app.extensions["redis"]


def wechat() -> WeChatGateway:
    return current_app.extensions["wechat"]


def policy_qa() -> PolicyQA:
    return current_app.extensions["policy_qa"]
