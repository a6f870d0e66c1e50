"""The audit log for what happens outside a case (case actions are case events): who signed in and
failed, who changed an account or a policy article, who issued or revoked an API token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.storage.models import AuditEvent


def record(db: Session, actor: str, action: str, target: str = "", **detail: Any) -> AuditEvent:
    row = AuditEvent(at=datetime.now(UTC), actor=actor[:64], action=action[:32], target=target[:128], detail=detail)
    db.add(row)
    return row
