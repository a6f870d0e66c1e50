"""The Alembic migrations build exactly the schema the models describe (on real PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from domain.storage.db import Database
from domain.storage.models import Base


def test_migrations_match_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        db.dispose()
    assert diff == [], diff
    assert {"workers", "worker_identities", "messages", "cases", "vacancies", "alembic_version"} <= tables
