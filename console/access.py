"""Who may see and do what. Every route and every case lookup goes through here: an agent cannot
open a case outside their regions by guessing its number or id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, or_

from domain.storage.models import Case, StaffUser

# action → roles allowed
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"agent", "supervisor", "admin"}),
    "reply": frozenset({"agent", "supervisor", "admin"}),
    "note": frozenset({"agent", "supervisor", "admin"}),
    "status": frozenset({"agent", "supervisor", "admin"}),
    "release": frozenset({"agent", "supervisor", "admin"}),
    "reveal": frozenset({"agent", "supervisor", "admin"}),  # audited; only with the worker's consent
    "report": frozenset({"agent", "supervisor", "admin"}),
    "assign": frozenset({"supervisor", "admin"}),
    "close": frozenset({"supervisor", "admin"}),
    "export_personal": frozenset({"supervisor", "admin"}),
    "dashboard": frozenset({"agent", "supervisor", "admin"}),
    "reports": frozenset({"supervisor", "admin"}),
}


def allowed(user: StaffUser, action: str) -> bool:
    return user.role in PERMISSIONS.get(action, frozenset())


def sees_all(user: StaffUser) -> bool:
    return user.role in ("supervisor", "admin")


def can_view(user: StaffUser, case: Case) -> bool:
    if sees_all(user):
        return True
    return case.assigned_to == user.id or (case.city or "") in (user.regions or [])


def visible(stmt: Select[Any], user: StaffUser) -> Select[Any]:
    """Restrict a case query to what the user may see."""
    if sees_all(user):
        return stmt
    regions = list(user.regions or [])
    return stmt.where(or_(Case.assigned_to == user.id, Case.city.in_(regions) if regions else false()))
