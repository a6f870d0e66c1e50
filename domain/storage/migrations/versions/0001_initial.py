"""Initial schema: workers and their channel identities, the transcript, cases, vacancies.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "workers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pseudonym", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "worker_identities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address_hash", sa.String(64), nullable=False),
        sa.Column("address_enc", sa.Text, nullable=False),
        sa.Column("address_masked", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("channel", "address_hash", name="uq_identity_channel_hash"),
    )
    op.create_index("ix_worker_identities_worker_id", "worker_identities", ["worker_id"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("platform_id", sa.String(128)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("media", sa.JSON, nullable=False),
        sa.Column("intent", sa.String(64)),
        sa.Column("confidence", sa.Float),
        sa.Column("nlu_source", sa.String(16)),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_messages_worker_id", "messages", ["worker_id"])
    op.create_index("ix_messages_platform_id", "messages", ["platform_id"])
    op.create_index("ix_messages_created_at", "messages", ["created_at"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("first_response_due", TZ),
    )
    op.create_index("ix_cases_worker_id", "cases", ["worker_id"])
    op.create_table(
        "vacancies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(32), nullable=False, unique=True),
        sa.Column("employer", sa.String(128), nullable=False),
        sa.Column("title", sa.String(64), nullable=False),
        sa.Column("job_type", sa.String(32), nullable=False),
        sa.Column("industry", sa.String(32), nullable=False),
        sa.Column("city", sa.String(32), nullable=False),
        sa.Column("district", sa.String(32), nullable=False),
        sa.Column("headcount", sa.Integer, nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("pay_min", sa.Integer, nullable=False),
        sa.Column("pay_max", sa.Integer, nullable=False),
        sa.Column("pay_unit", sa.String(8), nullable=False),
        sa.Column("board_lodging", sa.Boolean, nullable=False),
        sa.Column("age_min", sa.Integer),
        sa.Column("age_max", sa.Integer),
        sa.Column("gender", sa.String(8)),
        sa.Column("requirements", sa.Text, nullable=False),
        sa.Column("contact_name", sa.String(32), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=False),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("posted_on", sa.Date, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_vacancies_job_type", "vacancies", ["job_type"])
    op.create_index("ix_vacancies_city", "vacancies", ["city"])
    op.create_index("ix_vacancies_expires_on", "vacancies", ["expires_on"])


def downgrade() -> None:
    for table in ("vacancies", "cases", "messages", "worker_identities", "workers"):
        op.drop_table(table)
