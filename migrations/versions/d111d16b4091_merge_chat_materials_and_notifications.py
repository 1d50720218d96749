"""Merge chat, materials and notifications

Revision ID: d111d16b4091
Revises: 5e1a7c3b9d20, 84f2f13c9f78, c4a7d1a1e001
Create Date: 2026-11-22 09:47:30.731579

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd111d16b4091'
down_revision = ('5e1a7c3b9d20', '84f2f13c9f78', 'c4a7d1a1e001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
