"""The chat history keeps ID, bank and phone numbers masked: the turns already kept are masked too

Revision ID: 9c1e4b7a2d53
Revises: 534bf7303526
"""
from alembic import op
import sqlalchemy as sa

from security.number_masking import mask_personal_numbers

revision = "9c1e4b7a2d53"
down_revision = "534bf7303526"
branch_labels = None
depends_on = None

TURNS = sa.table("chat_turns", sa.column("id", sa.Integer), sa.column("text", sa.Text))


def upgrade():
    connection = op.get_bind()
    for turn_id, text in connection.execute(sa.select(TURNS.c.id, TURNS.c.text).where(TURNS.c.text.is_not(None))):
        masked = mask_personal_numbers(text)
        if masked != text:
            connection.execute(TURNS.update().where(TURNS.c.id == turn_id).values(text=masked))


def downgrade():
    pass  # what was masked cannot be unmasked
