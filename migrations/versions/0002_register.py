"""Register: licence decisions, evidence and the records issue 3 adds

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('licence_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('new', 'renewal', name='application_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.Enum('pending', 'granted', 'refused', 'deferred', name='application_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Enum('delegated_officer', 'hearing', name='decision_capacity', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("outcome = 'pending' OR (decided_by_id IS NOT NULL AND capacity IS NOT NULL AND decided_on IS NOT NULL)", name=op.f('ck_licence_applications_decision_recorded')),
    sa.CheckConstraint('decided_on IS NULL OR decided_on >= received_on', name=op.f('ck_licence_applications_decided_after_received')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_licence_applications_decided_by_id_users')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_applications_licence_id_licences')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_licence_applications_received_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_applications'))
    )
    with op.batch_alter_table('licence_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_applications_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_applications_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_applications_licence_id'), ['licence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_applications_received_on'), ['received_on'], unique=False)



def downgrade():
    with op.batch_alter_table('licence_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_applications_received_on'))
        batch_op.drop_index(batch_op.f('ix_licence_applications_licence_id'))
        batch_op.drop_index(batch_op.f('ix_licence_applications_decided_on'))
        batch_op.drop_index(batch_op.f('ix_licence_applications_decided_by_id'))

    op.drop_table('licence_applications')
