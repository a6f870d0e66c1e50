"""The worker-facing runtime and the composition root: the app factory (wiring only), channels, the
conversation pipeline, background jobs, every CLI command."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# One BLAS thread, set before NumPy is first imported: the article classifier's small products gain
# nothing from OpenBLAS's thread pool, which fights the embedding engine's OpenMP threads, and a pool
# alive when RQ forks its scheduler hung the background worker after a Redis restart (one run in three,
# tests/test_durability.py). knowledge_base/__init__.py says the same for scripts that start there.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if TYPE_CHECKING:
    from flask import Flask

    from config import Settings


def create_app(settings: Settings | None = None) -> Flask:
    from bot.app import create_app as _create_app

    return _create_app(settings)


__all__ = ["create_app"]
