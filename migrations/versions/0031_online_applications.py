"""Applications made online, and the documents holders send online (for an application or a due
requirement), kept apart until an officer accepts them

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('online_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('licence_type', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('renews_licence_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'more_information', 'decided', 'withdrawn', name='online_application_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('licence_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('officer_request', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['portal_accounts.id'], name=op.f('fk_online_applications_account_id_portal_accounts')),
    sa.ForeignKeyConstraint(['application_id'], ['licence_applications.id'], name=op.f('fk_online_applications_application_id_licence_applications')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_online_applications_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_online_applications_licence_id_licences')),
    sa.ForeignKeyConstraint(['renews_licence_id'], ['licences.id'], name=op.f('fk_online_applications_renews_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_applications'))
    )
    with op.batch_alter_table('online_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_online_applications_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_applications_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_applications_status'), ['status'], unique=False)

    op.create_table('submitted_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('online_application_id', sa.Integer(), nullable=True),
    sa.Column('licence_id', sa.Integer(), nullable=True),
    sa.Column('requirement', sa.String(length=60), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'accepted', 'rejected', name='submission_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['portal_accounts.id'], name=op.f('fk_submitted_evidence_account_id_portal_accounts')),
    sa.ForeignKeyConstraint(['check_id'], ['compliance_checks.id'], name=op.f('fk_submitted_evidence_check_id_compliance_checks')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_submitted_evidence_decided_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_submitted_evidence_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_submitted_evidence_licence_id_licences')),
    sa.ForeignKeyConstraint(['online_application_id'], ['online_applications.id'], name=op.f('fk_submitted_evidence_online_application_id_online_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submitted_evidence'))
    )
    with op.batch_alter_table('submitted_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submitted_evidence_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submitted_evidence_licence_id'), ['licence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submitted_evidence_online_application_id'), ['online_application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submitted_evidence_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('submitted_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submitted_evidence_status'))
        batch_op.drop_index(batch_op.f('ix_submitted_evidence_online_application_id'))
        batch_op.drop_index(batch_op.f('ix_submitted_evidence_licence_id'))
        batch_op.drop_index(batch_op.f('ix_submitted_evidence_holder_id'))

    op.drop_table('submitted_evidence')
    with op.batch_alter_table('online_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_applications_status'))
        batch_op.drop_index(batch_op.f('ix_online_applications_holder_id'))
        batch_op.drop_index(batch_op.f('ix_online_applications_account_id'))

    op.drop_table('online_applications')
