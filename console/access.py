"""Who may see and do what: the only place roles are named and checked. Routes (``permission_required``),
views, the API and templates all ask ``can(user, action)``; every case lookup goes through ``can_view``
or ``visible``, so an agent cannot open a case outside their regions by guessing its number or id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, or_

from domain.storage.models import Case, StaffUser

ROLES = ("agent", "supervisor", "admin")
ROLE_LABEL = {"agent": "办事员", "supervisor": "主管", "admin": "管理员"}
_SUPERVISORS = frozenset({"supervisor", "admin"})

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
    "see_all_regions": _SUPERVISORS,  # agents see the cases of their regions (or assigned to them) only
    "edit_content": _SUPERVISORS,  # vacancies and policy articles; agents read them
    "manage_users": frozenset({"admin"}),
    "merge_records": _SUPERVISORS,  # two records of one person: only after checking both
    "held_messages": _SUPERVISORS,  # messages no channel could carry: send again, or note how the worker was reached
    # the labour-export office's services (issue 16): stations; a supervisor with regions keeps those regions'
    "manage_services": _SUPERVISORS,
}


def can(user: StaffUser | None, action: str) -> bool:
    """May this user do this? An unknown action is refused (a typo locks out, never opens up)."""
    return user is not None and user.role in PERMISSIONS.get(action, frozenset())


def sees_all(user: StaffUser) -> bool:
    return can(user, "see_all_regions")


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


def can_manage_in(user: StaffUser | None, city: str) -> bool:
    """May this user change a service record of this city? Admins anywhere; a supervisor within their
    regions, or anywhere when they have none (a county office's one supervisor)."""
    if not can(user, "manage_services") or user is None:
        return False
    return user.role == "admin" or not user.regions or city in user.regions
