"""The long-lived pieces the app builds once: the domain context, Redis and the WeChat gateway."""
import base64
import logging
from functools import lru_cache
from pathlib import Path

import fakeredis
import redis
from flask import Flask, current_app

from cases.context import Context
from cases.deadlines import WorkingCalendar
from catalog.loader import DIALOGS_DIR, load_profile
from catalog.regions import RegionDirectory
from security.sealing import Sealer
from wechat.client import WeChatGateway

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _regions() -> RegionDirectory:
    return RegionDirectory.load()


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


def context() -> Context:
    return current_app.extensions["context"]


def redis_client() -> redis.Redis:
    return current_app.extensions["redis"]


def wechat() -> WeChatGateway:
    return current_app.extensions["wechat"]
