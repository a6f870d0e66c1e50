"""The policy knowledge base: articles in knowledge_base/articles/*.md, retrieval, validation."""

from knowledge_base.store import Article, KnowledgeBase, Library, current, load_articles, validate

__all__ = ["Article", "KnowledgeBase", "Library", "current", "load_articles", "validate"]
