"""A timeline event's actor is "staff:" and a username of up to 64 characters: 70 did not fit in 64

Revision ID: b7d2e9f40c18
Revises: a3f5c8e2b417
"""
from alembic import op
import sqlalchemy as sa

revision = "b7d2e9f40c18"
down_revision = "a3f5c8e2b417"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_events") as batch:
        batch.alter_column("actor", existing_type=sa.String(64), type_=sa.String(80), existing_nullable=False)


def downgrade():
    with op.batch_alter_table("case_events") as batch:
        batch.alter_column("actor", existing_type=sa.String(80), type_=sa.String(64), existing_nullable=False)
