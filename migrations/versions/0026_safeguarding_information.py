"""Non-conviction information, NR3S match overrides and incoming s.5 concerns, the
information-sharing log, reviewed subject access, and the basic DBS check kind

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

OLD_KINDS = ("dbs_enhanced", "dbs_update_service", "medical_group2", "dvla", "right_to_work", "insurance", "mot",
             "vehicle_test", "camera_certificate", "nr3s_search", "safeguarding_training")
NEW_KINDS = OLD_KINDS[:1] + ("dbs_basic",) + OLD_KINDS[1:]


def _check_kinds(kinds):
    """The allowed check kinds are a CHECK constraint: replaced in place on PostgreSQL, by a
    table copy on SQLite (which cannot alter a constraint)."""
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE compliance_checks DROP CONSTRAINT ck_compliance_checks_check_kind")
        op.execute(f"ALTER TABLE compliance_checks ADD CONSTRAINT ck_compliance_checks_check_kind "
                   f"CHECK (kind IN ({allowed}))")
        return
    with op.batch_alter_table("compliance_checks", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_compliance_checks_check_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_compliance_checks_check_kind"), sa.text(f"kind IN ({allowed})"))


def upgrade():
    _check_kinds(NEW_KINDS)
    op.create_table('information_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('received', 'sent', name='share_direction', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('partner', sa.Enum('police', 'nca', 'marp', 'cse_meeting', 'other_licensing_authority', 'other', name='share_partner', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('partner_name', sa.String(length=200), nullable=False),
    sa.Column('shared_on', sa.Date(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('lawful_basis', sa.String(length=40), nullable=False),
    sa.Column('handling_conditions', sa.Text(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_information_shares_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_information_shares_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_information_shares_shared_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_information_shares'))
    )
    with op.batch_alter_table('information_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_information_shares_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_information_shares_shared_on'), ['shared_on'], unique=False)

    op.create_table('subject_access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'released', name='subject_access_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('prepared_by_id', sa.Integer(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('release_json', sa.Text(), nullable=True),
    sa.Column('release_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_subject_access_requests_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['users.id'], name=op.f('fk_subject_access_requests_prepared_by_id_users')),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_subject_access_requests_released_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_access_requests'))
    )
    with op.batch_alter_table('subject_access_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subject_access_requests_holder_id'), ['holder_id'], unique=False)

    op.create_table('subject_access_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('source_table', sa.String(length=64), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('content_json', sa.Text(), nullable=False),
    sa.Column('third_party_fields', sa.String(length=500), nullable=True),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.Enum('pending', 'disclose', 'redact', 'withhold', name='subject_access_decision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('redacted_fields', sa.String(length=500), nullable=True),
    sa.Column('exemption', sa.String(length=40), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['subject_access_requests.id'], name=op.f('fk_subject_access_items_request_id_subject_access_requests')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_subject_access_items_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_access_items'))
    )
    with op.batch_alter_table('subject_access_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subject_access_items_request_id'), ['request_id'], unique=False)

    op.create_table('incoming_concerns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=True),
    sa.Column('sending_authority', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('information', sa.Text(), nullable=False),
    sa.Column('consider_by', sa.Date(), nullable=False),
    sa.Column('considered_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.Enum('no_action', 'warning', 'suspension', 'revocation', 'referred_to_hearing', name='concern_decision', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('decision_reasons', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('inform_by', sa.Date(), nullable=True),
    sa.Column('sender_informed_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('considered_on IS NULL OR considered_on >= received_on', name=op.f('ck_incoming_concerns_considered_after_received')),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_incoming_concerns_case_id_review_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_incoming_concerns_decided_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_incoming_concerns_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_incoming_concerns_licence_id_licences')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_incoming_concerns_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_concerns'))
    )
    with op.batch_alter_table('incoming_concerns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_concerns_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incoming_concerns_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incoming_concerns_licence_id'), ['licence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incoming_concerns_received_on'), ['received_on'], unique=False)

    op.create_table('non_conviction_information',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('arrest', 'charge', 'acquittal', 'no_further_action', 'allegation', 'safeguarding_referral', name='non_conviction_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('source', sa.Enum('police', 'nca', 'multi_agency_panel', 'other_licensing_authority', 'public', name='non_conviction_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('handling_code', sa.String(length=20), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('holder_response', sa.Text(), nullable=True),
    sa.Column('finding', sa.Enum('not_yet_assessed', 'more_likely_than_not', 'not_proven', name='non_conviction_finding', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('finding_reasons', sa.Text(), nullable=True),
    sa.Column('found_by_id', sa.Integer(), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('occurred_on <= received_on', name=op.f('ck_non_conviction_information_occurred_before_received')),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_non_conviction_information_case_id_review_cases')),
    sa.ForeignKeyConstraint(['found_by_id'], ['users.id'], name=op.f('fk_non_conviction_information_found_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_non_conviction_information_holder_id_licence_holders')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_non_conviction_information_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_non_conviction_information'))
    )
    with op.batch_alter_table('non_conviction_information', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_non_conviction_information_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_non_conviction_information_holder_id'), ['holder_id'], unique=False)

    op.create_table('nr3s_match_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['compliance_checks.id'], name=op.f('fk_nr3s_match_overrides_check_id_compliance_checks')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_nr3s_match_overrides_decided_by_id_users')),
    sa.ForeignKeyConstraint(['holder_id'], ['licence_holders.id'], name=op.f('fk_nr3s_match_overrides_holder_id_licence_holders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nr3s_match_overrides')),
    sa.UniqueConstraint('check_id', name=op.f('uq_nr3s_match_overrides_check_id'))
    )
    with op.batch_alter_table('nr3s_match_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nr3s_match_overrides_holder_id'), ['holder_id'], unique=False)


def downgrade():
    with op.batch_alter_table('nr3s_match_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nr3s_match_overrides_holder_id'))

    op.drop_table('nr3s_match_overrides')
    with op.batch_alter_table('non_conviction_information', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_non_conviction_information_holder_id'))
        batch_op.drop_index(batch_op.f('ix_non_conviction_information_case_id'))

    op.drop_table('non_conviction_information')
    with op.batch_alter_table('incoming_concerns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incoming_concerns_received_on'))
        batch_op.drop_index(batch_op.f('ix_incoming_concerns_licence_id'))
        batch_op.drop_index(batch_op.f('ix_incoming_concerns_holder_id'))
        batch_op.drop_index(batch_op.f('ix_incoming_concerns_case_id'))

    op.drop_table('incoming_concerns')
    with op.batch_alter_table('subject_access_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_access_items_request_id'))

    op.drop_table('subject_access_items')
    with op.batch_alter_table('subject_access_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_access_requests_holder_id'))

    op.drop_table('subject_access_requests')
    with op.batch_alter_table('information_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_information_shares_shared_on'))
        batch_op.drop_index(batch_op.f('ix_information_shares_holder_id'))

    op.drop_table('information_shares')
    op.execute("DELETE FROM compliance_checks WHERE kind = 'dbs_basic'")
    _check_kinds(OLD_KINDS)
