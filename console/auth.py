"""Staff accounts: argon2id password hashes, login with growing per-account delays and a per-address
rate limit (Redis, keyed by the real client address behind trusted proxies), the signed session
cookie (revocable: it carries the account's session version), CSRF tokens on every form, role checks.

A refused login always answers the same (「用户名或密码不对…」, 401), whether the name is unknown, the
password wrong or the account waiting out a delay: nothing tells an outsider which names exist."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

import redis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.access import ROLES, can
from domain import audit
from domain.storage.models import ApiToken, StaffUser, aware

FREE_FAILURES = 5  # wrong passwords in a row before each further try must wait
MAX_DELAY = timedelta(minutes=60)  # the wait doubles from one minute up to this
REFUSED = "用户名或密码不对，或者试得太频繁，请过几分钟再试。"
ADDRESS_LIMIT = 20  # failed logins per address per window before it is refused outright
ADDRESS_WINDOW_SECONDS = 15 * 60
MIN_PASSWORD = 10
_hasher = PasswordHasher()
F = TypeVar("F", bound=Callable[..., Any])


def verify_password(user: StaffUser, password: str) -> bool:
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def create_user(db: Session, username: str, password: str, role: str, regions: list[str] | None = None,
                display_name: str = "") -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = StaffUser(username=username, display_name=display_name or username, password_hash=hash_password(password),
                     role=role, regions=list(regions or []), active=True, failed_logins=0)
    db.add(user)
    db.flush()
    return user


class LoginRefused(Exception):
    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


def authenticate(db: Session, client: redis.Redis, address: str, username: str, password: str,
                 now: datetime | None = None) -> StaffUser:
    """The user, or LoginRefused with a message safe to show (never says which part was wrong)."""
    now = now or datetime.now(UTC)
    key = f"gongyou:console:login-failures:{hashlib.sha256(address.encode()).hexdigest()[:32]}"
    if int(client.get(key) or 0) >= ADDRESS_LIMIT:
        raise LoginRefused("尝试次数太多，请15分钟后再试。", 429)
    user = db.scalar(select(StaffUser).where(StaffUser.username == username))
    waiting = user is not None and user.locked_until is not None and aware(user.locked_until) > now
    ok = False
    if waiting:
        _hasher.hash(password)  # the same work and the same answer as a wrong password
    elif user is not None and user.active:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # the same work for an unknown name: no timing hint
    if not ok:
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, ADDRESS_WINDOW_SECONDS)
        pipe.execute()
        if user is not None and not waiting:
            if user.locked_until is not None and now - aware(user.locked_until) > MAX_DELAY:
                user.failed_logins = FREE_FAILURES - 1  # quiet for an hour: one stray try waits a minute, not days
            user.failed_logins += 1
            if user.failed_logins >= FREE_FAILURES:  # 1, 2, 4 … minutes: a guesser slows, the owner waits little
                delay = timedelta(minutes=2 ** (user.failed_logins - FREE_FAILURES))
                user.locked_until = now + min(delay, MAX_DELAY)
        audit.record(db, "anonymous", "login_failed", user.username if user is not None else "(unknown name)",
                     waiting=waiting)
        raise LoginRefused(REFUSED)
    assert user is not None  # ok only when the user exists
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


# --- the session and CSRF -----------------------------------------------------------------------

def log_in(user: StaffUser) -> None:
    session.clear()
    session["staff_id"] = user.id
    session["v"] = user.session_version
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True


def end_sessions(user: StaffUser) -> None:
    """Every session cookie issued to this account stops working (logout, deactivation, new password)."""
    user.session_version = (user.session_version or 0) + 1


def change_password(db: Session, user: StaffUser, new_password: str, actor: str) -> None:
    """A new password ends every session and revokes every API token of the account (they may be
    what was stolen)."""
    user.password_hash = hash_password(new_password)
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user)
    db.execute(update(ApiToken).where(ApiToken.staff_user_id == user.id, ApiToken.revoked_at.is_(None))
               .values(revoked_at=datetime.now(UTC)))
    audit.record(db, actor, "password_changed", user.username)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def check_csrf() -> None:
    """Every state-changing request carries the session's token (a form field or a header)."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description="CSRF token missing or wrong")


def current_user() -> StaffUser | None:
    return cast(StaffUser | None, g.get("staff"))


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("console.login", next=request.path))
        return view(*args, **kwargs)
    return cast(F, wrapped)


def permission_required(action: str) -> Callable[[F], F]:
    """A route only for users who ``can`` do ``action`` (signed out: the login page; else 403)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("console.login", next=request.path))
            if not can(user, action):
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapped)
    return decorate


def redis_client() -> redis.Redis:
    return cast(redis.Redis, current_app.extensions["gongyou.redis"])
