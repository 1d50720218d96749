"""Chat turns remember the message's Idempotency-Key, so a retried message is answered, not applied, again

Revision ID: 534bf7303526
Revises: d111d16b4091
"""
from alembic import op
import sqlalchemy as sa

revision = "534bf7303526"
down_revision = "d111d16b4091"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("chat_turns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=128), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_chat_turns_veteran_id"), ["veteran_id", "client_key"])


def downgrade():
    with op.batch_alter_table("chat_turns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_chat_turns_veteran_id"), type_="unique")
        batch_op.drop_column("client_key")
