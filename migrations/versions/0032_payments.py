"""Card payments of licence fees through the payment service, and their refunds

Revision ID: 0032
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('online_application_id', sa.Integer(), nullable=True),
    sa.Column('licence_application_id', sa.Integer(), nullable=True),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('fee_edition', sa.String(length=40), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('provider_payment_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.Enum('created', 'started', 'submitted', 'capturable', 'success', 'failed', 'cancelled', 'error', name='payment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('next_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('refunded_pence', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('refunded_pence BETWEEN 0 AND amount_pence', name=op.f('ck_payments_refund_within_amount')),
    sa.ForeignKeyConstraint(['account_id'], ['portal_accounts.id'], name=op.f('fk_payments_account_id_portal_accounts')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_payments_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_application_id'], ['licence_applications.id'], name=op.f('fk_payments_licence_application_id_licence_applications')),
    sa.ForeignKeyConstraint(['online_application_id'], ['online_applications.id'], name=op.f('fk_payments_online_application_id_online_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('provider_payment_id', name=op.f('uq_payments_provider_payment_id'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_licence_application_id'), ['licence_application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_online_application_id'), ['online_application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_status'), ['status'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('provider_refund_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('refunded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
    sa.ForeignKeyConstraint(['refunded_by_id'], ['users.id'], name=op.f('fk_refunds_refunded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_payment_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_status'))
        batch_op.drop_index(batch_op.f('ix_payments_online_application_id'))
        batch_op.drop_index(batch_op.f('ix_payments_licence_application_id'))
        batch_op.drop_index(batch_op.f('ix_payments_holder_id'))

    op.drop_table('payments')
