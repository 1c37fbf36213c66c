"""Training, requirements, scheduler job runs and the e-mail outbox

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_locks',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_locks'))
    )
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('run_for', sa.Date(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.Enum('running', 'succeeded', 'failed', 'skipped', name='job_run_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_started_at'), ['started_at'], unique=False)

    op.create_table('training_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('safeguarding', 'disability_awareness', 'qualification', 'refresher', name='course_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('satisfies', sa.String(length=40), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('validity_months IS NULL OR validity_months > 0', name=op.f('ck_training_courses_validity_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_courses')),
    sa.UniqueConstraint('code', name=op.f('uq_training_courses_code'))
    )
    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('trainer', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity BETWEEN 1 AND 500', name=op.f('ck_training_sessions_capacity_range')),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_sessions_course_id_training_courses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_held_on'), ['held_on'], unique=False)

    op.create_table('compliance_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('requirement', sa.String(length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'chased', 'resolved', name='flag_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('chased_at', sa.DateTime(), nullable=True),
    sa.Column('chased_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chased_by_id'], ['users.id'], name=op.f('fk_compliance_flags_chased_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_compliance_flags_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_compliance_flags_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_flags')),
    sa.UniqueConstraint('licence_id', 'requirement', 'due_on', 'lead_days', name='uq_flag_stage')
    )
    with op.batch_alter_table('compliance_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compliance_flags_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_compliance_flags_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index('ix_compliance_flags_status', ['status'], unique=False)

    op.create_table('suspension_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('open_licence_id', sa.Integer(), nullable=True),
    sa.Column('proposed_on', sa.Date(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'confirmed', 'dismissed', 'ended', name='proposal_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('letter_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_suspension_proposals_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_suspension_proposals_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_suspension_proposals_licence_id_licences')),
    sa.ForeignKeyConstraint(['open_licence_id'], ['licences.id'], name=op.f('fk_suspension_proposals_open_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suspension_proposals')),
    sa.UniqueConstraint('open_licence_id', name=op.f('uq_suspension_proposals_open_licence_id'))
    )
    with op.batch_alter_table('suspension_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suspension_proposals_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suspension_proposals_licence_id'), ['licence_id'], unique=False)

    op.create_table('outbound_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', name='email_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['flag_id'], ['compliance_flags.id'], name=op.f('fk_outbound_emails_flag_id_compliance_flags')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_outbound_emails_holder_id_licence_holders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_emails')),
    sa.UniqueConstraint('key', name=op.f('uq_outbound_emails_key'))
    )
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_emails_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_emails_flag_id'), ['flag_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_emails_holder_id'), ['holder_id'], unique=False)

    op.create_table('training_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('booked', 'completed', 'did_not_attend', 'cancelled', name='booking_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('booked_at', sa.DateTime(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('certificate_reference', sa.String(length=64), nullable=True),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status != 'completed' OR (completed_on IS NOT NULL AND certificate_reference IS NOT NULL)", name=op.f('ck_training_bookings_completion_has_certificate')),
    sa.ForeignKeyConstraint(['check_id'], ['compliance_checks.id'], name=op.f('fk_training_bookings_check_id_compliance_checks')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_training_bookings_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_bookings_session_id_training_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_bookings')),
    sa.UniqueConstraint('session_id', 'holder_id', name='uq_booking_session_holder')
    )
    with op.batch_alter_table('training_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_bookings_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index('ix_training_bookings_holder_status', ['holder_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_bookings_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('training_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_bookings_session_id'))
        batch_op.drop_index('ix_training_bookings_holder_status')
        batch_op.drop_index(batch_op.f('ix_training_bookings_holder_id'))

    op.drop_table('training_bookings')
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_emails_holder_id'))
        batch_op.drop_index(batch_op.f('ix_outbound_emails_flag_id'))
        batch_op.drop_index('ix_outbound_emails_due')

    op.drop_table('outbound_emails')
    with op.batch_alter_table('suspension_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suspension_proposals_licence_id'))
        batch_op.drop_index(batch_op.f('ix_suspension_proposals_holder_id'))

    op.drop_table('suspension_proposals')
    with op.batch_alter_table('compliance_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_compliance_flags_status')
        batch_op.drop_index(batch_op.f('ix_compliance_flags_holder_id'))
        batch_op.drop_index(batch_op.f('ix_compliance_flags_due_on'))

    op.drop_table('compliance_flags')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_held_on'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_course_id'))

    op.drop_table('training_sessions')
    op.drop_table('training_courses')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_started_at'))
        batch_op.drop_index(batch_op.f('ix_job_runs_name'))

    op.drop_table('job_runs')
    op.drop_table('job_locks')
