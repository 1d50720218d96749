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
        "VETERAN_TOKEN_MAX_AGE": int(env.get("VETERAN_TOKEN_MAX_AGE", str(7 * 24 * 3600))),
        "STAFF_TOKEN_MAX_AGE": int(env.get("STAFF_TOKEN_MAX_AGE", str(12 * 3600))),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(10 * 1024 * 1024))),
        "HOLIDAYS_FILE": env.get("HOLIDAYS_FILE"),
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
