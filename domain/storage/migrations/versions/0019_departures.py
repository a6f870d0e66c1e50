"""Organised departures (batches) and the workers who join them (issue 16).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(32), nullable=False, unique=True),
        sa.Column("destination", sa.String(32), nullable=False),
        sa.Column("province", sa.String(16), nullable=False),
        sa.Column("employer", sa.String(128), nullable=False),
        sa.Column("trade", sa.String(32), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("county", sa.String(32), nullable=False),
        sa.Column("departs_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meeting_point", sa.String(128), nullable=False),
        sa.Column("escort_phone", sa.String(32), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_departures_destination", "departures", ["destination"])
    op.create_index("ix_departures_departs_at", "departures", ["departs_at"])
    op.create_table(
        "departure_signups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(16), nullable=False, unique=True),
        sa.Column("departure_id", sa.Integer(), sa.ForeignKey("departures.id", ondelete="CASCADE"), nullable=False),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_departure_signups_departure_id", "departure_signups", ["departure_id"])
    op.create_index("ix_departure_signups_worker_id", "departure_signups", ["worker_id"])
    op.create_index("ix_departure_signups_status", "departure_signups", ["status"])
    live = sa.text("status <> 'cancelled'")  # one live place per worker
    op.create_index("uq_departure_signups_live", "departure_signups", ["worker_id", "departure_id"], unique=True,
                    postgresql_where=live, sqlite_where=live)


def downgrade() -> None:
    op.drop_table("departure_signups")
    op.drop_table("departures")
