"""Workers' subsidy applications (issue 16).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

LIVE = "status NOT IN ('rejected', 'withdrawn', 'draft')"


def upgrade() -> None:
    op.create_table(
        "subsidy_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(16), nullable=False, unique=True),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("scheme", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("name_enc", sa.Text(), nullable=False),
        sa.Column("name_masked", sa.String(16), nullable=False),
        sa.Column("county", sa.String(64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_subsidy_applications_worker_id", "subsidy_applications", ["worker_id"])
    op.create_index("ix_subsidy_applications_scheme", "subsidy_applications", ["scheme"])
    op.create_index("ix_subsidy_applications_status", "subsidy_applications", ["status"])
    op.create_index("uq_subsidy_applications_live", "subsidy_applications", ["worker_id", "scheme", "year"],
                    unique=True, postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))


def downgrade() -> None:
    op.drop_table("subsidy_applications")
