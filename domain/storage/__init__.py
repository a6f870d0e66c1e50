"""Persistence: SQLAlchemy 2.x models, the database handle, Alembic migrations, the Redis connection."""
