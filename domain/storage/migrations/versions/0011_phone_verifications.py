"""Phone numbers are linked only when a code sent to them is typed back; merges wait for staff.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phone_verifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False),
        sa.Column("phone_enc", sa.Text, nullable=False),
        sa.Column("phone_masked", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_phone_verifications_worker_id", "phone_verifications", ["worker_id"])
    op.create_index("ix_phone_verifications_phone_hash", "phone_verifications", ["phone_hash"])
    op.create_index("ix_phone_verifications_status", "phone_verifications", ["status"])


def downgrade() -> None:
    op.drop_index("ix_phone_verifications_status", table_name="phone_verifications")
    op.drop_index("ix_phone_verifications_phone_hash", table_name="phone_verifications")
    op.drop_index("ix_phone_verifications_worker_id", table_name="phone_verifications")
    op.drop_table("phone_verifications")
