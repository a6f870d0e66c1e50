"""Training courses of the labour-export office and workers' sign-ups (issue 16).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(32), nullable=False, unique=True),
        sa.Column("title", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("trade", sa.String(32), nullable=False),
        sa.Column("county", sa.String(32), nullable=False),
        sa.Column("venue", sa.String(128), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(8), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("eligibility", sa.Text(), nullable=False),
        sa.Column("certificate", sa.String(64), nullable=False),
        sa.Column("employer", sa.String(128), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_courses_trade", "courses", ["trade"])
    op.create_index("ix_courses_starts_on", "courses", ["starts_on"])
    op.create_table(
        "course_signups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(16), nullable=False, unique=True),
        sa.Column("course_id", sa.Integer(), sa.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("certificate_no", sa.String(32), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_course_signups_course_id", "course_signups", ["course_id"])
    op.create_index("ix_course_signups_worker_id", "course_signups", ["worker_id"])
    op.create_index("ix_course_signups_status", "course_signups", ["status"])
    live = sa.text("status <> 'cancelled'")  # one live place per worker
    op.create_index("uq_course_signups_live", "course_signups", ["worker_id", "course_id"], unique=True,
                    postgresql_where=live, sqlite_where=live)


def downgrade() -> None:
    op.drop_table("course_signups")
    op.drop_table("courses")
