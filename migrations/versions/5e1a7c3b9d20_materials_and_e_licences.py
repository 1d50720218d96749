"""Materials: uploaded case files and the local e-licence (电子证照) table

Revision ID: 5e1a7c3b9d20
Revises: 1bd1202bfdc0
"""
from alembic import op
import sqlalchemy as sa

revision = "5e1a7c3b9d20"
down_revision = "1bd1202bfdc0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("extension", sa.String(length=8), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_materials_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_materials")),
    )
    with op.batch_alter_table("case_materials", schema=None) as batch_op:
        batch_op.create_index("ix_case_materials_case_id_kind", ["case_id", "kind"], unique=False)

    op.create_table(
        "e_licences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number_hash", sa.String(length=64), nullable=False),
        sa.Column("licence_type", sa.String(length=48), nullable=False),
        sa.Column("licence_no", sa.String(length=64), nullable=True),
        sa.Column("issuer", sa.String(length=100), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e_licences")),
        sa.UniqueConstraint("id_number_hash", "licence_type", name=op.f("uq_e_licences_id_number_hash")),
    )
    with op.batch_alter_table("e_licences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_e_licences_id_number_hash"), ["id_number_hash"], unique=False)


def downgrade():
    with op.batch_alter_table("e_licences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_e_licences_id_number_hash"))
    op.drop_table("e_licences")
    with op.batch_alter_table("case_materials", schema=None) as batch_op:
        batch_op.drop_index("ix_case_materials_case_id_kind")
    op.drop_table("case_materials")
