"""The policy knowledge base: articles in knowledge_base/articles/*.md, retrieval, validation."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy: see bot/__init__.py

from knowledge_base.store import Article, KnowledgeBase, Library, current, load_articles, validate

__all__ = ["Article", "KnowledgeBase", "Library", "current", "load_articles", "validate"]
