"""Revocations, suspensions and appeals: appeals and their hearings, NR3S entries and match
requests, cross-border referrals; on enforcement actions the NR3S grounds flag, cancellation and
end dates, and the return of badges and plates

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cross_border_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('other_authority', sa.String(length=200), nullable=False),
    sa.Column('driver_name', sa.String(length=200), nullable=False),
    sa.Column('other_licence_number', sa.String(length=64), nullable=True),
    sa.Column('vehicle_registration', sa.String(length=16), nullable=True),
    sa.Column('information', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('what_sent', sa.Text(), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('reply_on', sa.Date(), nullable=True),
    sa.Column('reply_summary', sa.Text(), nullable=True),
    sa.Column('overdue_flagged_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('sent_on IS NULL OR sent_on >= received_on', name=op.f('ck_cross_border_referrals_sent_after_received')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_cross_border_referrals_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_cross_border_referrals_sent_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cross_border_referrals'))
    )
    with op.batch_alter_table('cross_border_referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cross_border_referrals_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cross_border_referrals_received_on'), ['received_on'], unique=False)

    op.create_table('nr3s_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('recording_authority', sa.String(length=200), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('reply_on', sa.Date(), nullable=True),
    sa.Column('reply_summary', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['compliance_checks.id'], name=op.f('fk_nr3s_requests_check_id_compliance_checks')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_nr3s_requests_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_nr3s_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nr3s_requests')),
    sa.UniqueConstraint('check_id', name=op.f('uq_nr3s_requests_check_id'))
    )
    with op.batch_alter_table('nr3s_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nr3s_requests_holder_id'), ['holder_id'], unique=False)

    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('court', sa.Enum('magistrates', 'crown_court', name='appeal_court', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=True),
    sa.Column('notice_on', sa.Date(), nullable=False),
    sa.Column('lodged_on', sa.Date(), nullable=False),
    sa.Column('court_reference', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.Enum('dismissed', 'allowed', 'varied', 'withdrawn', 'abandoned', name='appeal_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('outcome_notes', sa.Text(), nullable=True),
    sa.Column('varied_kind', sa.Enum('suspension', 'revocation', 'warning', name='appeal_varied_kind', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('varied_suspension_to', sa.Date(), nullable=True),
    sa.Column('costs_direction', sa.Enum('none', 'for_council', 'against_council', name='appeal_costs_direction', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('costs_pence', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(outcome IS NULL) = (decided_on IS NULL)', name=op.f('ck_appeals_outcome_has_date')),
    sa.CheckConstraint('costs_pence >= 0', name=op.f('ck_appeals_costs_not_negative')),
    sa.CheckConstraint('decided_on IS NULL OR decided_on >= lodged_on', name=op.f('ck_appeals_decided_after_lodged')),
    sa.ForeignKeyConstraint(['action_id'], ['enforcement_actions.id'], name=op.f('fk_appeals_action_id_enforcement_actions')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_appeals_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_appeals_licence_id_licences')),
    sa.ForeignKeyConstraint(['parent_id'], ['appeals.id'], name=op.f('fk_appeals_parent_id_appeals')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_appeals_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeals_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_licence_id'), ['licence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_lodged_on'), ['lodged_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_parent_id'), ['parent_id'], unique=False)

    op.create_table('nr3s_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('nr3s_reference', sa.String(length=64), nullable=True),
    sa.Column('retain_until', sa.Date(), nullable=True),
    sa.Column('needs_update', sa.Boolean(), nullable=False),
    sa.Column('update_reason', sa.String(length=300), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('update_note', sa.Text(), nullable=True),
    sa.Column('overdue_flagged_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['enforcement_actions.id'], name=op.f('fk_nr3s_entries_action_id_enforcement_actions')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_nr3s_entries_entered_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_nr3s_entries_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_nr3s_entries_licence_id_licences')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_nr3s_entries_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nr3s_entries')),
    sa.UniqueConstraint('action_id', name=op.f('uq_nr3s_entries_action_id'))
    )
    with op.batch_alter_table('nr3s_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nr3s_entries_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_nr3s_entries_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nr3s_entries_licence_id'), ['licence_id'], unique=False)

    op.create_table('appeal_hearings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('hearing_on', sa.Date(), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_hearings_appeal_id_appeals')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_appeal_hearings_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_hearings'))
    )
    with op.batch_alter_table('appeal_hearings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_hearings_appeal_id'), ['appeal_id'], unique=False)

    # Plain ALTER TABLE on both engines (new nullable or defaulted columns need no table rebuild).
    op.add_column('enforcement_actions', sa.Column('safeguarding_or_road_safety', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('enforcement_actions', sa.Column('cancelled_on', sa.Date(), nullable=True))
    op.add_column('enforcement_actions', sa.Column('ended_on', sa.Date(), nullable=True))
    op.add_column('enforcement_actions', sa.Column('return_due_on', sa.Date(), nullable=True))
    op.add_column('enforcement_actions', sa.Column('returned_on', sa.Date(), nullable=True))
    op.add_column('enforcement_actions', sa.Column('return_overdue_flagged_on', sa.Date(), nullable=True))
    op.create_index(op.f('ix_enforcement_actions_return_due_on'), 'enforcement_actions', ['return_due_on'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_enforcement_actions_return_due_on'), table_name='enforcement_actions')
    for column in ('return_overdue_flagged_on', 'returned_on', 'return_due_on', 'ended_on', 'cancelled_on',
                   'safeguarding_or_road_safety'):
        op.drop_column('enforcement_actions', column)

    with op.batch_alter_table('appeal_hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_hearings_appeal_id'))

    op.drop_table('appeal_hearings')
    with op.batch_alter_table('nr3s_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nr3s_entries_licence_id'))
        batch_op.drop_index(batch_op.f('ix_nr3s_entries_holder_id'))
        batch_op.drop_index(batch_op.f('ix_nr3s_entries_due_on'))

    op.drop_table('nr3s_entries')
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeals_parent_id'))
        batch_op.drop_index(batch_op.f('ix_appeals_lodged_on'))
        batch_op.drop_index(batch_op.f('ix_appeals_licence_id'))
        batch_op.drop_index(batch_op.f('ix_appeals_holder_id'))
        batch_op.drop_index(batch_op.f('ix_appeals_decided_on'))
        batch_op.drop_index(batch_op.f('ix_appeals_action_id'))

    op.drop_table('appeals')
    with op.batch_alter_table('nr3s_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nr3s_requests_holder_id'))

    op.drop_table('nr3s_requests')
    with op.batch_alter_table('cross_border_referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cross_border_referrals_received_on'))
        batch_op.drop_index(batch_op.f('ix_cross_border_referrals_due_on'))

    op.drop_table('cross_border_referrals')
