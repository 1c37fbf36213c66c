"""Online accounts for licence holders and applicants, their one-time codes, the officers' link codes,
and outbox messages to an account not yet linked to a holder

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portal_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_portal_accounts_holder_id_licence_holders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_portal_accounts_email')),
    sa.UniqueConstraint('holder_id', name=op.f('uq_portal_accounts_holder_id')),
    sa.UniqueConstraint('session_token', name=op.f('uq_portal_accounts_session_token'))
    )
    op.create_table('holder_link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('used_by_account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_holder_link_codes_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_holder_link_codes_issued_by_id_users')),
    sa.ForeignKeyConstraint(['used_by_account_id'], ['portal_accounts.id'], name=op.f('fk_holder_link_codes_used_by_account_id_portal_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_link_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_holder_link_codes_code_hash'))
    )
    with op.batch_alter_table('holder_link_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_link_codes_holder_id'), ['holder_id'], unique=False)

    op.create_table('portal_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('verify_email', 'sign_in', 'reset_password', name='portal_code_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['portal_accounts.id'], name=op.f('fk_portal_codes_account_id_portal_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_codes'))
    )
    with op.batch_alter_table('portal_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_codes_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_codes_code_hash'), ['code_hash'], unique=False)

    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('portal_account_id', sa.Integer(), nullable=True))
        batch_op.alter_column('holder_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_outbound_emails_portal_account_id'), ['portal_account_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbound_emails_portal_account_id_portal_accounts'), 'portal_accounts', ['portal_account_id'], ['id'])
        batch_op.create_check_constraint(op.f("ck_outbound_emails_addressee"),
                                         sa.text("holder_id IS NOT NULL OR portal_account_id IS NOT NULL"))



def downgrade():
    op.execute("DELETE FROM outbound_emails WHERE holder_id IS NULL")
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbound_emails_addressee"), type_="check")
        batch_op.drop_constraint(batch_op.f('fk_outbound_emails_portal_account_id_portal_accounts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbound_emails_portal_account_id'))
        batch_op.alter_column('holder_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('portal_account_id')

    with op.batch_alter_table('portal_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_codes_code_hash'))
        batch_op.drop_index(batch_op.f('ix_portal_codes_account_id'))

    op.drop_table('portal_codes')
    with op.batch_alter_table('holder_link_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_link_codes_holder_id'))

    op.drop_table('holder_link_codes')
    op.drop_table('portal_accounts')
