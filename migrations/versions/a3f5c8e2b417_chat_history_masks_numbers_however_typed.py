"""The chat history's turns kept before numbers typed in groups, in full-width digits or read out were
recognised ("440106 19990315 2117", "１３９…", "幺三九…") are masked now too

Revision ID: a3f5c8e2b417
Revises: 9c1e4b7a2d53
"""
from alembic import op
import sqlalchemy as sa

from security.number_masking import mask_personal_numbers

revision = "a3f5c8e2b417"
down_revision = "9c1e4b7a2d53"
branch_labels = None
depends_on = None

TURNS = sa.table("chat_turns", sa.column("id", sa.Integer), sa.column("text", sa.Text))


def upgrade():
    connection = op.get_bind()
    kept = connection.execute(sa.select(TURNS.c.id, TURNS.c.text).where(TURNS.c.text.is_not(None))).all()
    changed = [{"turn_id": turn_id, "masked": masked} for turn_id, text in kept
               if (masked := mask_personal_numbers(text)) != text]
    if changed:
        connection.execute(TURNS.update().where(TURNS.c.id == sa.bindparam("turn_id"))
                           .values(text=sa.bindparam("masked")), changed)


def downgrade():
    pass  # what was masked cannot be unmasked
