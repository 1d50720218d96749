"""Chat: the conversation turns and the dialogue answers of a draft case

Revision ID: c4a7d1a1e001
Revises: 1bd1202bfdc0
"""
from alembic import op
import sqlalchemy as sa

revision = "c4a7d1a1e001"
down_revision = "1bd1202bfdc0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dialogue", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "chat_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("veteran_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.Column("expecting", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_chat_turns_case_id_cases")),
        sa.ForeignKeyConstraint(["veteran_id"], ["veterans.id"], name=op.f("fk_chat_turns_veteran_id_veterans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_turns")),
    )
    with op.batch_alter_table("chat_turns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_turns_veteran_id"), ["veteran_id"], unique=False)


def downgrade():
    with op.batch_alter_table("chat_turns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_turns_veteran_id"))
    op.drop_table("chat_turns")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("dialogue")
