"""Vacancy alerts (saved searches) and when each vacancy entered the database.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vacancies") as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.func.now()))
        batch.create_index("ix_vacancies_created_at", ["created_at"])
    op.create_table(
        "vacancy_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("last_sent_at", sa.DateTime(timezone=True)),
        sa.Column("sent_count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_vacancy_alerts_worker_id", "vacancy_alerts", ["worker_id"])


def downgrade() -> None:
    op.drop_index("ix_vacancy_alerts_worker_id", table_name="vacancy_alerts")
    op.drop_table("vacancy_alerts")
    with op.batch_alter_table("vacancies") as batch:
        batch.drop_index("ix_vacancies_created_at")
        batch.drop_column("created_at")
