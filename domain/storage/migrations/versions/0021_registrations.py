"""Workers' real-name registrations with the home office (issue 16).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("name_enc", sa.Text(), nullable=False),
        sa.Column("name_masked", sa.String(16), nullable=False),
        sa.Column("home", sa.String(64), nullable=False),
        sa.Column("county", sa.String(32), nullable=False),
        sa.Column("destination", sa.String(32), nullable=False),
        sa.Column("employer", sa.String(128), nullable=False),
        sa.Column("trade", sa.String(64), nullable=False),
        sa.Column("training_wish", sa.String(64), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_registrations_status", "registrations", ["status"])
    op.create_index("ix_registrations_county", "registrations", ["county"])
    op.create_index("ix_registrations_destination", "registrations", ["destination"])


def downgrade() -> None:
    op.drop_table("registrations")
