"""INSERT … ON CONFLICT, which PostgreSQL and SQLite both speak, each through its own SQLAlchemy dialect."""
from sqlalchemy.dialects import postgresql, sqlite

from models import db


def insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)
