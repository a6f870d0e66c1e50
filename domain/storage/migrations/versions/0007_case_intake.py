"""Case intake: case fields for forms, grouping and priority; case groups; the case event log;
the hand-off flag on workers; transcripts sealed (phone and ID numbers masked, original encrypted).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("employer_key", sa.String(128), nullable=False),
        sa.Column("employer", sa.String(128), nullable=False),
        sa.Column("city", sa.String(32), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("workers_total", sa.Integer, nullable=False),
        sa.Column("amount_total", sa.Integer, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("urgent_reason", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_case_groups_employer_key", "case_groups", ["employer_key"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("updated_at", TZ))
        batch.add_column(sa.Column("filed_at", TZ))
        batch.add_column(sa.Column("first_response_at", TZ))
        batch.add_column(sa.Column("employer", sa.String(128)))
        batch.add_column(sa.Column("employer_key", sa.String(128)))
        batch.add_column(sa.Column("city", sa.String(32)))
        batch.add_column(sa.Column("amount", sa.Integer))
        batch.add_column(sa.Column("workers_affected", sa.Integer))
        batch.add_column(sa.Column("phone_enc", sa.Text))
        batch.add_column(sa.Column("phone_hash", sa.String(64)))
        batch.add_column(sa.Column("phone_masked", sa.String(32)))
        batch.add_column(sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("consent_share", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("priority", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("group_id", sa.Integer, sa.ForeignKey("case_groups.id", name="fk_cases_group_id")))
        batch.create_index("ix_cases_status", ["status"])
        batch.create_index("ix_cases_employer_key", ["employer_key"])
        batch.create_index("ix_cases_phone_hash", ["phone_hash"])
        batch.create_index("ix_cases_priority", ["priority"])
        batch.create_index("ix_cases_group_id", ["group_id"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    with op.batch_alter_table("workers") as batch:
        batch.add_column(sa.Column("handed_off_at", TZ))
    for table in ("messages", "outbound_messages"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("text_enc", sa.Text))


def downgrade() -> None:
    for table in ("messages", "outbound_messages"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("text_enc")
    with op.batch_alter_table("workers") as batch:
        batch.drop_column("handed_off_at")
    op.drop_index("ix_case_events_case_id", table_name="case_events")
    op.drop_table("case_events")
    with op.batch_alter_table("cases") as batch:
        for name in ("status", "employer_key", "phone_hash", "priority", "group_id"):
            batch.drop_index(f"ix_cases_{name}")
        batch.drop_constraint("fk_cases_group_id", type_="foreignkey")
        for column in ("group_id", "priority", "consent_share", "anonymous", "phone_masked", "phone_hash",
                       "phone_enc", "workers_affected", "amount", "city", "employer_key", "employer",
                       "first_response_at", "filed_at", "updated_at"):
            batch.drop_column(column)
    op.drop_index("ix_case_groups_employer_key", table_name="case_groups")
    op.drop_table("case_groups")
