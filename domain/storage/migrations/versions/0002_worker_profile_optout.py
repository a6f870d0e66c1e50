"""Worker city and source; opt-out per channel identity.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workers") as batch:
        batch.add_column(sa.Column("city", sa.String(32)))
        batch.add_column(sa.Column("source", sa.String(64)))
    with op.batch_alter_table("worker_identities") as batch:
        batch.add_column(sa.Column("opted_out_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("worker_identities") as batch:
        batch.drop_column("opted_out_at")
    with op.batch_alter_table("workers") as batch:
        batch.drop_column("source")
        batch.drop_column("city")
