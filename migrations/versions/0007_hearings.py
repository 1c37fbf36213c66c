"""Hearings, listings, decisions and issued decision letters

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hearings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('deciding_body', sa.String(length=200), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('scheduled', 'held', 'adjourned', 'cancelled', name='hearing_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('imported', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chair_id'], ['users.id'], name=op.f('fk_hearings_chair_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_hearings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearings'))
    )
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearings_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearings_starts_at'), ['starts_at'], unique=False)

    op.create_table('hearing_panel_members',
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearings.id'], name=op.f('fk_hearing_panel_members_hearing_id_hearings')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_hearing_panel_members_user_id_users')),
    sa.PrimaryKeyConstraint('hearing_id', 'user_id', name=op.f('pk_hearing_panel_members'))
    )
    with op.batch_alter_table('hearing_panel_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_panel_members_user_id'), ['user_id'], unique=False)

    op.create_table('hearing_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('notice_override_reason', sa.Text(), nullable=True),
    sa.Column('attendance', sa.Enum('attended', 'represented', 'did_not_attend', name='hearing_attendance', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('proposed_outcome', sa.Enum('grant', 'refuse', 'no_action', 'warning', 'suspend', 'revoke', 'defer', 'surrendered', name='hearing_proposed_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('listed_by_id', sa.Integer(), nullable=False),
    sa.Column('listed_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_hearing_listings_case_id_review_cases')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearings.id'], name=op.f('fk_hearing_listings_hearing_id_hearings')),
    sa.ForeignKeyConstraint(['listed_by_id'], ['users.id'], name=op.f('fk_hearing_listings_listed_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_hearing_listings_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_listings'))
    )
    with op.batch_alter_table('hearing_listings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_listings_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_listings_hearing_id'), ['hearing_id'], unique=False)

    op.create_table('hearing_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('grant', 'refuse', 'no_action', 'warning', 'suspend', 'revoke', 'defer', 'surrendered', name='hearing_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('agrees_with_proposal', sa.Boolean(), nullable=True),
    sa.Column('immediate', sa.Boolean(), nullable=False),
    sa.Column('public_safety_reason', sa.Text(), nullable=True),
    sa.Column('suspension_to', sa.Date(), nullable=True),
    sa.Column('deferred_to', sa.Date(), nullable=True),
    sa.Column('safeguarding_or_road_safety', sa.Boolean(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('notice_date', sa.Date(), nullable=True),
    sa.Column('effective_date', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('NOT immediate OR public_safety_reason IS NOT NULL', name=op.f('ck_hearing_decisions_hearing_immediate_has_reason')),
    sa.ForeignKeyConstraint(['action_id'], ['enforcement_actions.id'], name=op.f('fk_hearing_decisions_action_id_enforcement_actions')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_hearing_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['letter_id'], ['issued_letters.id'], name=op.f('fk_hearing_decisions_letter_id_issued_letters')),
    sa.ForeignKeyConstraint(['listing_id'], ['hearing_listings.id'], name=op.f('fk_hearing_decisions_listing_id_hearing_listings')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_hearing_decisions_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['hearing_decisions.id'], name=op.f('fk_hearing_decisions_supersedes_id_hearing_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_decisions')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_hearing_decisions_supersedes_id'))
    )
    with op.batch_alter_table('hearing_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_decisions_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_decisions_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_decisions_listing_id'), ['listing_id'], unique=False)



def downgrade():
    with op.batch_alter_table('hearing_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_decisions_listing_id'))
        batch_op.drop_index(batch_op.f('ix_hearing_decisions_letter_id'))
        batch_op.drop_index(batch_op.f('ix_hearing_decisions_action_id'))

    op.drop_table('hearing_decisions')
    with op.batch_alter_table('hearing_listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_listings_hearing_id'))
        batch_op.drop_index(batch_op.f('ix_hearing_listings_case_id'))

    op.drop_table('hearing_listings')
    with op.batch_alter_table('hearing_panel_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_panel_members_user_id'))

    op.drop_table('hearing_panel_members')
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_hearings_chair_id'))

    op.drop_table('hearings')
