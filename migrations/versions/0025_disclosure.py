"""Disclosure of hearing material to the licence holder, the officer's report on a case, and
bundles published as fixed records (bytes, hash, version and the items they held).

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_kind', sa.Enum('document', 'intelligence', 'conviction', 'report', 'complaint', 'non_conviction', name='material_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('item_version', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('disclosed', 'withheld', name='disclosure_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('disclosed_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('by_hand', 'post', 'email', 'at_interview', name='disclosure_method', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('extent', sa.String(length=200), nullable=True),
    sa.Column('withheld_reason', sa.Text(), nullable=True),
    sa.Column('gist', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_disclosures_case_id_review_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_disclosures_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures'))
    )
    op.create_index('ix_disclosures_case_id', 'disclosures', ['case_id'])
    op.create_index('ix_disclosures_item', 'disclosures', ['case_id', 'item_kind', 'item_id'])

    op.create_table('officer_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('background', sa.Text(), nullable=False),
    sa.Column('history', sa.Text(), nullable=False),
    sa.Column('assessment', sa.Text(), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_officer_reports_case_id_review_cases')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_officer_reports_updated_by_id_users')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_officer_reports_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_reports')),
    sa.UniqueConstraint('case_id', name=op.f('uq_officer_reports_case_id'))
    )
    op.create_table('published_bundles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('panel', 'holder', name='bundle_audience', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['issued_letters.id'], name=op.f('fk_published_bundles_letter_id_issued_letters')),
    sa.ForeignKeyConstraint(['listing_id'], ['hearing_listings.id'], name=op.f('fk_published_bundles_listing_id_hearing_listings')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_published_bundles_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_bundles')),
    sa.UniqueConstraint('listing_id', 'audience', 'version_number', name='uq_published_bundle_version')
    )
    op.create_index('ix_published_bundles_listing_id', 'published_bundles', ['listing_id'])


def downgrade():
    op.drop_index('ix_published_bundles_listing_id', table_name='published_bundles')
    op.drop_table('published_bundles')
    op.drop_table('officer_reports')
    op.drop_index('ix_disclosures_item', table_name='disclosures')
    op.drop_index('ix_disclosures_case_id', table_name='disclosures')
    op.drop_table('disclosures')
