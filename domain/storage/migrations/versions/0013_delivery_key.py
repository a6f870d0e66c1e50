"""Inbound messages are de-duplicated on the database: a unique keyed hash of channel, sender and the
platform's message id. Event ids held the sender's openid in plain text: they are no longer kept.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("delivery_key", sa.String(64)))
        batch.create_unique_constraint("uq_messages_delivery_key", ["delivery_key"])
    op.execute("UPDATE messages SET platform_id = NULL WHERE platform_id LIKE 'ev:%'")


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("uq_messages_delivery_key", type_="unique")
        batch.drop_column("delivery_key")
