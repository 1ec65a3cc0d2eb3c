"""final selection: criteria, interview scores, final decisions, the announcement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:00:00.000000

"""
import hashlib
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.shared.platform.database


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Activities held before this revision have no announcement time until their next
    # activity_changed event: nothing of theirs is announced meanwhile.
    op.create_table('final_criteria',
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('positions', sa.Integer(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('min_test_score', sa.Float(), nullable=False),
    sa.Column('disclose_scores', sa.Boolean(), nullable=False),
    sa.Column('accepted', sa.Integer(), server_default='0', nullable=False),
    sa.Column('decided', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('updated_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('accepted >= 0 AND accepted <= positions', name=op.f('ck_final_criteria_within_positions')),
    sa.CheckConstraint('min_test_score >= 0 AND min_test_score <= 100', name=op.f('ck_final_criteria_min_test_score_range')),
    sa.CheckConstraint('positions >= 1', name=op.f('ck_final_criteria_positions_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_final_criteria_activity_id_activities')),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_final_criteria'))
    )
    op.create_table('final_decisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('decided_by', sa.String(length=36), nullable=False),
    sa.Column('decided_by_role', sa.String(length=20), nullable=False),
    sa.Column('decided_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('accepted', 'rejected')", name=op.f('ck_final_decisions_known_decision')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_final_decisions_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_final_decisions')),
    sa.UniqueConstraint('application_id', name=op.f('uq_final_decisions_application_id'))
    )
    with op.batch_alter_table('final_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_decisions_activity_id'), ['activity_id'], unique=False)

    op.create_table('interview_scores',
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('entered_by', sa.String(length=36), nullable=False),
    sa.Column('entered_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 100', name=op.f('ck_interview_scores_score_range')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_interview_scores_application_id_applications')),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_interview_scores'))
    )
    with op.batch_alter_table('interview_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_scores_activity_id'), ['activity_id'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('full_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('education', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('has_bps_experience', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('domicile_regency_code', sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column('preferred_met', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('preferred_total', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('nik_sha256', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_applications_nik_sha256'), ['nik_sha256'], unique=False)
    # The ranking's columns (and the NIK digest of the mitra roster) of the applications
    # held, from their snapshot and checks (the repository writes them with every save).
    applications = sa.table(
        'applications', sa.column('id', sa.String), sa.column('profile', sa.JSON),
        sa.column('checks', sa.JSON), sa.column('full_name', sa.String),
        sa.column('education', sa.String), sa.column('has_bps_experience', sa.Boolean),
        sa.column('domicile_regency_code', sa.String), sa.column('preferred_met', sa.Integer),
        sa.column('preferred_total', sa.Integer), sa.column('nik_sha256', sa.String))
    bind = op.get_bind()
    for row in bind.execute(sa.select(applications.c.id, applications.c.profile,
                                      applications.c.checks)).all():
        profile, checks = row.profile or {}, row.checks or {}
        bind.execute(applications.update().where(applications.c.id == row.id).values(
            full_name=profile.get('full_name'), education=profile.get('education'),
            has_bps_experience=profile.get('has_bps_experience'),
            domicile_regency_code=profile.get('domicile_regency_code'),
            preferred_met=checks.get('preferred_score'),
            preferred_total=checks.get('preferred_total'),
            nik_sha256=(hashlib.sha256(profile['nik'].encode('ascii')).hexdigest()
                        if profile.get('nik') else None)))

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announcement_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('announced_at', services.shared.platform.database.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_activities_announcement_at'), ['announcement_at'], unique=False)

    # The final decisions are append-only, also for anyone with SQL access through the app's
    # role: the committee's decision is final.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION final_decisions_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'final_decisions is append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER final_decisions_append_only
                BEFORE UPDATE OR DELETE ON final_decisions
                FOR EACH ROW EXECUTE FUNCTION final_decisions_append_only();
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER final_decisions_append_only ON final_decisions;"
                   " DROP FUNCTION final_decisions_append_only();")
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_announcement_at'))
        batch_op.drop_column('announced_at')
        batch_op.drop_column('announcement_at')

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_nik_sha256'))
        batch_op.drop_column('nik_sha256')
        batch_op.drop_column('preferred_total')
        batch_op.drop_column('preferred_met')
        batch_op.drop_column('domicile_regency_code')
        batch_op.drop_column('has_bps_experience')
        batch_op.drop_column('education')
        batch_op.drop_column('full_name')

    with op.batch_alter_table('interview_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_scores_activity_id'))

    op.drop_table('interview_scores')
    with op.batch_alter_table('final_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_decisions_activity_id'))

    op.drop_table('final_decisions')
    op.drop_table('final_criteria')
