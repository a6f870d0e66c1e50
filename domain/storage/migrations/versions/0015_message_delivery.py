"""A transcript row says what became of an answer: being written, handed back in the platform's reply,
or sent later through the outbox (and then its status is that outbox row's).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:  # batch: SQLite (make run) cannot add a constraint in place
        batch.add_column(sa.Column("delivery", sa.String(16), nullable=True))
        batch.add_column(sa.Column("outbound_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_messages_outbound_id", "outbound_messages", ["outbound_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_messages_outbound_id", ["outbound_id"])  # an outbox row's delete finds its answer


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_outbound_id")
        batch.drop_constraint("fk_messages_outbound_id", type_="foreignkey")
        batch.drop_column("outbound_id")
        batch.drop_column("delivery")
