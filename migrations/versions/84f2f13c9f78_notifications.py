"""Notifications (inbox and outbox), subscription grants, staff alerts

Revision ID: 84f2f13c9f78
Revises: 1bd1202bfdc0
Create Date: 2026-11-22 08:32:00.361528

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '84f2f13c9f78'
down_revision = '1bd1202bfdc0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscription_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('veteran_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.String(length=128), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['veteran_id'], ['veterans.id'], name=op.f('fk_subscription_grants_veteran_id_veterans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_grants')),
    sa.UniqueConstraint('veteran_id', 'template_id', name=op.f('uq_subscription_grants_veteran_id'))
    )
    op.create_table('staff_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_staff_alerts_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_alerts')),
    sa.UniqueConstraint('case_id', 'kind', 'deadline', name=op.f('uq_staff_alerts_case_id'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('veteran_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('case_event_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('push_status', sa.String(length=16), nullable=False),
    sa.Column('template_id', sa.String(length=128), nullable=True),
    sa.Column('grant_held', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claims_lost', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('msgid', sa.String(length=32), nullable=True),
    sa.Column('last_errcode', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['case_event_id'], ['case_events.id'], name=op.f('fk_notifications_case_event_id_case_events')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notifications_case_id_cases')),
    sa.ForeignKeyConstraint(['veteran_id'], ['veterans.id'], name=op.f('fk_notifications_veteran_id_veterans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('case_event_id', name=op.f('uq_notifications_case_event_id'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_push_status_next_attempt_at', ['push_status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_veteran_id'), ['veteran_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_veteran_id'))
        batch_op.drop_index('ix_notifications_push_status_next_attempt_at')

    op.drop_table('notifications')
    op.drop_table('staff_alerts')
    op.drop_table('subscription_grants')
