"""Which webhook signatures were used, and for which body: kept in the database when Redis is away."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from domain.storage.db import Database
from domain.storage.models import UsedSignature, utcnow

PRUNE_ONE_IN = 200  # now and then, expired rows go


class SignatureLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    def first_use(self, key: str, digest: str, ttl_seconds: int) -> str | None:
        """Record the signature's use with this body. None when it is the first use; else the body
        digest recorded at its first use (the same body: the platform's own retry)."""
        now = utcnow()
        try:
            with self._db.session() as db:
                db.add(UsedSignature(key=key, digest=digest, expires_at=now + timedelta(seconds=ttl_seconds)))
                db.flush()
                if random.randrange(PRUNE_ONE_IN) == 0:
                    db.execute(delete(UsedSignature).where(UsedSignature.expires_at < now))
            return None
        except IntegrityError:
            with self._db.session() as db:
                row = db.get(UsedSignature, key)
                return row.digest if row is not None else digest
