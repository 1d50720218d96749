"""Configuration from the environment, by APP_ENV (development, testing, production)."""
import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET = "development-only-secret-key"


class ConfigError(RuntimeError):
    pass


def load_config(overrides: dict | None = None) -> dict:
    env = os.environ
    app_env = (overrides or {}).get("APP_ENV") or env.get("APP_ENV", "development")
    config = {
        "APP_ENV": app_env,
        "TESTING": app_env == "testing",
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": _database_url(env.get("DATABASE_URL")),
        "REDIS_URL": env.get("REDIS_URL"),
        "PROVINCE": env.get("PROVINCE", "guangdong"),
        # 32 bytes, base64; in development derived from SECRET_KEY
        "DATA_ENCRYPTION_KEY": env.get("DATA_ENCRYPTION_KEY"),
        "WECHAT_APPID": env.get("WECHAT_APPID", "wx-demo-appid"),
        "WECHAT_SECRET": env.get("WECHAT_SECRET", "demo-secret"),
        "WECHAT_API_BASE_URL": env.get("WECHAT_API_BASE_URL", "https://api.weixin.qq.com/"),
        "WECHAT_TIMEOUT": float(env.get("WECHAT_TIMEOUT", "5")),
        # Message push (客服消息) callback: the Token and EncodingAESKey set in the mini-program console.
        "WECHAT_TOKEN": env.get("WECHAT_TOKEN", ""),
        "WECHAT_AES_KEY": env.get("WECHAT_AES_KEY", ""),
        # The mini-program page a subscribe message opens, given `?id=<message id>`; empty: none.
        "WECHAT_NOTIFY_PAGE": env.get("WECHAT_NOTIFY_PAGE", "pages/messages/detail"),
        # Seconds before each retry of a push WeChat could not take (busy, daily quota, unreachable).
        "NOTIFY_RETRY_DELAYS": [float(s) for s in env.get("NOTIFY_RETRY_DELAYS", "10,60,300,1800,3600").split(",")],
        # How long a worker holds a claimed notification before others take it as lost.
        "NOTIFY_LEASE_SECONDS": float(env.get("NOTIFY_LEASE_SECONDS", "300")),
        "VETERAN_TOKEN_MAX_AGE": int(env.get("VETERAN_TOKEN_MAX_AGE", str(7 * 24 * 3600))),
        "STAFF_TOKEN_MAX_AGE": int(env.get("STAFF_TOKEN_MAX_AGE", str(12 * 3600))),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(10 * 1024 * 1024))),
        "HOLIDAYS_FILE": env.get("HOLIDAYS_FILE"),
        # Materials: files on local disk, named by SHA-256; one file may not exceed MATERIAL_MAX_BYTES.
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads")),
        "MATERIAL_MAX_BYTES": int(env.get("MATERIAL_MAX_BYTES", str(8 * 1024 * 1024))),
        # 电子证照: "local" (the e_licences table) or "package.module:factory" (materials/e_licence.py)
        "E_LICENCE_SOURCE": env.get("E_LICENCE_SOURCE", "local"),
        # The staff console (/console): a cookie session of its own, apart from the API's bearer tokens.
        # It ends after CONSOLE_IDLE_SECONDS without a request, and CONSOLE_SESSION_MAX_AGE after login.
        "PERMANENT_SESSION_LIFETIME": int(env.get("CONSOLE_IDLE_SECONDS", str(30 * 60))),
        "CONSOLE_SESSION_MAX_AGE": int(env.get("CONSOLE_SESSION_MAX_AGE", str(12 * 3600))),
        "SESSION_COOKIE_NAME": "console_session",
        "SESSION_COOKIE_PATH": "/console",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": app_env == "production",
        # Console forms carry a CSRF token, checked by the console's blueprints only: the JSON API
        # authenticates by bearer token, which a browser never sends on its own.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,  # as long as the session
        # Console login failures allowed per username and address in LOGIN_FAILURE_WINDOW seconds, then 429.
        "LOGIN_FAILURE_LIMIT": int(env.get("LOGIN_FAILURE_LIMIT", "5")),
        "LOGIN_FAILURE_WINDOW": int(env.get("LOGIN_FAILURE_WINDOW", str(15 * 60))),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "JSON_AS_ASCII": False,
    }
    config.update(overrides or {})
    if config["APP_ENV"] == "production":
        _refuse_unsafe_production(config, env)
    return config


def _database_url(url: str | None) -> str:
    if not url:
        INSTANCE_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'veterans.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _refuse_unsafe_production(config: dict, env) -> None:
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DATA_ENCRYPTION_KEY")
               if not env.get(name)]
    if missing:
        raise ConfigError(f"APP_ENV=production needs these environment variables: {', '.join(missing)}")
    if config["SECRET_KEY"] == DEV_SECRET or len(config["SECRET_KEY"]) < 32:
        raise ConfigError("APP_ENV=production needs a random SECRET_KEY of at least 32 characters")
