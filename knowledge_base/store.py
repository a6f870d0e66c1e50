"""Articles as Markdown files with YAML front matter; retrieval by meaning and by words.

An article is found by what a question means (sentence embeddings, knowledge_base/meaning.py) and by
the words it shares with it (BM25 over Jieba tokens); without the embedding model, by words alone.
Staff add or edit files without retraining Rasa: a ``Library`` rebuilds its index when a file in
its folder changed. ``validate`` lists every problem (`gongyou kb-check` prints them).
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml

from knowledge_base.classifier import ArticleClassifier, standardised
from knowledge_base.meaning import Embedder, MeaningIndex, default_embedder, shared_cache
from knowledge_base.synonyms import fold

log = logging.getLogger(__name__)
ARTICLES = Path(__file__).resolve().parent / "articles"
TOPICS = frozenset({"工资支付", "劳动合同", "身份证押金", "黑中介", "工伤", "社保", "医保", "子女上学", "土地承包",
                    "培训补贴", "交通补贴", "劳动仲裁", "法律援助", "维权热线", "返乡创业",
                    # national labour law workers ask about most (issue 13)
                    "辞退补偿", "辞职", "试用期", "加班工时", "休息休假", "最低工资", "扣工资", "女职工", "职业病",
                    "养老保险", "失业保险", "非全日制", "劳务派遣", "包工头", "执行", "拒不支付"})
SHORT_MAX = 90  # characters: with the citation the answer stays within two SMS segments
LOCAL_MATCH = 1.25  # a local rule of the worker's own place
LOCAL_ELSEWHERE = 0.7  # a local rule of another place: still shown when nothing national fits
UNNAMED_PLACES = frozenset({"某市", "某县", "某地"})  # the seeds' anonymised places
REQUIRED = ("id", "title", "topic", "questions", "short", "source", "region", "region_level", "review")
STOP = frozenset(
    "的 了 吗 呢 啊 吧 呀 么 是 我 你 他 她 们 在 有 和 就 都 也 还 这 那 个".split()
    + "要 会 能 可以 怎么 怎么办 什么 给 被 把 让 没 不 啥 咋 嘛".split()
)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    topic: str
    questions: tuple[str, ...]
    short: str
    source: str
    article: str
    region: str
    region_level: str
    body: str
    also: str = ""
    related: tuple[str, ...] = ()
    effective: str = ""
    review: str = ""

    @property
    def national(self) -> bool:
        return self.region in ("全国", "")

    @property
    def is_gap(self) -> bool:
        """A known gap (gaps.yml), not an article: no source to cite, only where to ask."""
        return self.topic == GAP_TOPIC

    def holds_in(self, places: tuple[str, ...]) -> bool:
        """Whether this article's region is one of the places (「临汾市」 holds in 临汾)."""
        region = self.region.removesuffix("市").removesuffix("省")
        return self.national or any(p and (p == region or p.removesuffix("市") == region) for p in places)

    @property
    def citation(self) -> str:
        return f"依据：{self.source}{self.article}"


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n?(.*)$", text, re.S)
    if not match:
        raise ValueError("no front matter between --- lines")
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, match.group(2).strip()


def _as_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")


def parse_article(path: Path) -> Article:
    meta, body = _front_matter(path.read_text(encoding="utf-8"))
    return Article(
        id=str(meta.get("id", "")), title=str(meta.get("title", "")), topic=str(meta.get("topic", "")),
        questions=tuple(str(q) for q in meta.get("questions") or []), short=str(meta.get("short", "")).strip(),
        source=str(meta.get("source", "")), article=str(meta.get("article") or ""),
        region=str(meta.get("region", "")), region_level=str(meta.get("region_level", "")), body=body,
        also=str(meta.get("also") or ""), related=tuple(str(r) for r in meta.get("related") or []),
        effective=_as_text(meta.get("effective")), review=_as_text(meta.get("review")),
    )


def load_articles(folder: Path = ARTICLES) -> list[Article]:
    return [parse_article(p) for p in sorted(folder.glob("*.md"))]


GAPS = "gaps.yml"  # in the articles' folder
GAP_TOPIC = "知识库未收录"
GAP_REQUIRED = ("id", "title", "reply", "questions")


def load_gaps(folder: Path = ARTICLES) -> list[Article]:
    """Known gaps: kinds of question the sources (PROTOCOLS.md, the seeds) do not answer — sick pay's
    amount, the housing fund, a train ticket — each with where to ask instead. They take part in the
    ranking like articles, so that such a question finds its gap rather than a neighbouring article
    that does not answer it; they are never cited."""
    path = folder / GAPS
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:  # the articles still answer; kb-check names the problem
        log.warning("%s unreadable, known gaps left out: %s", GAPS, exc)
        return []
    articles = {p.stem for p in folder.glob("*.md")}
    return [Article(id=str(e["id"]), title=str(e["title"]), topic=GAP_TOPIC,
                    questions=tuple(str(q) for q in e["questions"]), short=str(e["reply"]).strip(),
                    source="", article="", region="全国", region_level="national", body=str(e["reply"]).strip())
            for e in entries if isinstance(entries, list) and _usable_gap(e, articles)]


def _usable_gap(entry: object, articles: set[str]) -> bool:
    return (isinstance(entry, dict) and all(entry.get(key) for key in GAP_REQUIRED)
            and isinstance(entry["questions"], list) and all(isinstance(q, str) for q in entry["questions"])
            and str(entry["id"]) not in articles)


def gap_problems(folder: Path) -> list[str]:
    """What is wrong in the folder's gaps.yml: a missing field, a long reply, a citation (a gap has
    no source, so its reply may state no rule), an id an article already has."""
    path = folder / GAPS
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        return [f"{GAPS}: {exc}"]
    if not isinstance(entries, list):
        return [f"{GAPS}: not a list of gaps"]
    problems: list[str] = []
    articles = {p.stem for p in folder.glob("*.md")}
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        name = f"{GAPS} #{n} {entry.get('id', '') if isinstance(entry, dict) else ''}".rstrip()
        if not isinstance(entry, dict):
            problems.append(f"{name}: not a mapping")
            continue
        missing = [key for key in GAP_REQUIRED if not entry.get(key)]
        if missing:
            problems.append(f"{name}: missing {', '.join(missing)}")
        reply = str(entry.get("reply") or "")
        if len(reply) > SHORT_MAX:
            problems.append(f"{name}: reply is {len(reply)} characters (max {SHORT_MAX})")
        if "《" in reply or re.search(r"第[一二三四五六七八九十百零\d]+条", reply):
            problems.append(f"{name}: a gap's reply cites nothing (it has no source)")
        questions = entry.get("questions") or []
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            problems.append(f"{name}: questions must be a list of sentences")
        elif len(questions) < 3:
            problems.append(f"{name}: give at least 3 question forms")
        if entry.get("id") in articles:
            problems.append(f"{name}: an article has this id")
        if entry.get("id") in seen:
            problems.append(f"{name}: another gap has this id")
        seen.add(str(entry.get("id")))
    return problems


CITATIONS = Path(__file__).resolve().parent / "citations.yml"
CITED = re.compile(
    r"(《[^》]+》|[\u4e00-\u9fff]+〔\d{4}〕\d+号|[\u4e00-\u9fff]+令第\d+号)"  # a law, or a document's number
    r"\s*(第[一二三四五六七八九十百零]+条(?:之[一二三四五六七八九十])?)?"
)


@lru_cache(maxsize=1)
def known_citations() -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """(law, article) pairs and documents the knowledge base may cite (knowledge_base/citations.yml,
    built from ../shared/PROTOCOLS.md and the seeds): no citation can be invented."""
    table = yaml.safe_load(CITATIONS.read_text(encoding="utf-8"))
    pairs = frozenset((law, art) for law, arts in table["laws"].items() for art in arts)
    return pairs, frozenset(table["documents"])


def citation_problems(art: Article) -> list[str]:
    pairs, documents = known_citations()
    cited = [(art.source, art.article)]
    if art.also:
        found = CITED.findall(art.also)
        if not found:
            return [f"also {art.also!r} is not a citation like 《劳动合同法》第八十二条"]
        cited += [(law, article) for law, article in found]
    problems = []
    for law, article in cited:
        known = (law, article) in pairs if article else law in documents or law in {p[0] for p in pairs}
        if not known:
            problems.append(f"{law}{article} is not in the table of known citations (knowledge_base/citations.yml)")
    return problems


def validate(folder: Path = ARTICLES) -> list[str]:
    """Every problem in the folder, as 'file: problem' lines; empty when all is well."""
    problems: list[str] = []
    articles: dict[str, Article] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            meta, body = _front_matter(path.read_text(encoding="utf-8"))
            art = parse_article(path)
        except (ValueError, yaml.YAMLError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        missing = [key for key in REQUIRED if not meta.get(key)]
        if missing:
            problems.append(f"{path.name}: missing {', '.join(missing)}")
        if art.id != path.stem:
            problems.append(f"{path.name}: id {art.id!r} differs from the file name")
        if art.topic not in TOPICS:
            problems.append(f"{path.name}: unknown topic {art.topic!r}")
        if len(art.short) > SHORT_MAX:
            problems.append(f"{path.name}: short answer is {len(art.short)} characters (max {SHORT_MAX})")
        if len(art.questions) < 3:
            problems.append(f"{path.name}: give at least 3 question forms")
        if not body:
            problems.append(f"{path.name}: no longer answer under the front matter")
        problems += [f"{path.name}: {problem}" for problem in citation_problems(art)]
        articles[art.id] = art
    for art in articles.values():
        for rel in art.related:
            if rel not in articles:
                problems.append(f"{art.id}.md: related article {rel!r} does not exist")
    return problems + gap_problems(folder)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """A jieba tokenizer of the knowledge base's own: the NLU adds its gazetteer to jieba's global
    dictionary, and retrieval must score the same whether or not that happened first."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def tokens(text: str) -> list[str]:
    words = _segmenter().lcut_for_search(fold(text.lower()))
    return [t for t in words if t.strip() and t not in STOP and not re.fullmatch(r"\W+", t)]


@lru_cache(maxsize=512)
def _query_tokens(query: str) -> tuple[str, ...]:
    """A question's tokens, once: search and the confidence check read the same question."""
    return tuple(tokens(query))


class Hit(NamedTuple):
    """An article found for a question: ``score`` is its meaning with words (or words alone);
    ``words`` is its BM25 and ``meaning`` its embedding score (0.0 without the model). With the model,
    ``best`` is the best score any article got for the question and ``gap`` how far ahead of the
    second that one was: whether the question is answered at all is told by those, which article
    answers it by the ranking (the scores and the article classifier together)."""

    article: Article
    score: float
    words: float = 0.0
    meaning: float = 0.0
    best: float = 0.0
    gap: float = 0.0


# Ranking with the model: meaning (≈1.2 unrelated … 1.6 the same question) plus a saturating share of
# BM25, so shared rare words still count but cannot outvote meaning. Calibrated on the dev questions
# (tests/data/kb_blind.yml, tests/data/policy_questions.yml), never on the blind or real sets.
WORDS_WEIGHT = 0.2
WORDS_HALF = 10.0  # the BM25 at which words give half their weight
TOPIC_BONUS = 0.03  # the NLU named this article's topic
LOCAL_BONUS = 0.03  # a local rule of the worker's own place
ELSEWHERE_MALUS = 0.1  # a local rule of another place than the worker's
UNNAMED_MALUS = 0.05  # a local rule of a seed's unnamed example city (某市): nobody's own
# A topic a question cannot be about without saying so: an article on injury for 「包工头跑了」 (shared
# words: 包工头) is demoted when the question names nothing of an injury. A small topic classifier by
# the words each topic needs; a real injury question in other words loses a little, not the answer.
ASPECTS: dict[str, re.Pattern[str]] = {
    "工伤": re.compile(r"伤|残|死|亡|病|事故|出事|意外|摔|砸|压|夹|卷|割|切|烫|烧|电|撞|骨折|断|住院|医|治疗|抢救|"
                      r"鉴定|手指|截肢|丧葬|抚恤|劳动能力|工伤|赔|垫"),
    "职业病": re.compile(r"职业病|尘肺|矽肺|粉尘|灰尘|噪音|噪声|耳聋|中毒|毒|化学|辐射|病|咳|肺"),
    "女职工": re.compile(r"女|怀|孕|产|哺乳|喂奶|月子|生育|生孩子|生娃|经期|例假|妈|媳妇|老婆|妇"),
    "非全日制": re.compile(r"小时工|钟点工|兼职|非全日制|按小时|计时|临时工|零工|短工|小时"),
    "劳务派遣": re.compile(r"派遣|劳务公司|外包|借调"),
}
ASPECT_MALUS = 0.06
# Confidence with the model: the ranking score of the best article …
CONFIDENT = 1.48  # 1.47 before the articles had four more question forms each (scores rose with them)
# … but not when it barely clears that and another article scores the same: a coin toss, not an
# answer (「工地上摔伤了 老板不给报销」 once drew the article on injuries on a business trip).
NEAR_THRESHOLD = 0.01
TIE = 0.005
# The article the classifier puts first is given only if its own score is near the best: the
# classifier separates siblings, it does not make a distant article the answer.
PICK_SLACK = 0.05
# … or, a little below the bar, when the first two articles stand on the same law article (two
# articles on 《工伤保险条例》第十四条 for 「开叉车被货砸了脚」): which of them, the answer's source is
# the same. Dev sets: +0.5 and +2.9 points answered, +0 and +1.0 confidently wrong.
AGREED = 1.43
GAP_BAR = 1.42  # a known gap first, with a best score from here: say where to ask, cite nothing
# … or, words alone (no model): BM25 and the share of the question's informative words it covers.
MIN_SCORE = 12.0
MIN_COVERAGE = 0.3
SHORT_QUESTION_COVERAGE = 0.8  # or, for a short question (low BM25 by nature), nearly all of them
SHORT_QUESTION_SCORE = 6.0
STRONG_SCORE = 18.0  # a long story scores high on its many words: past this, coverage is not required


@dataclass
class KnowledgeBase:
    """Retrieval over each article's title, question forms, short answer and topic: by meaning when
    an embedding model is given, always by words (BM25)."""

    articles: list[Article]
    embedder: Embedder | None = None
    cache_folder: Path | None = None
    gaps: list[Article] = field(default_factory=list)  # load_gaps: ranked with the articles by meaning
    k1: float = 1.5
    b: float = 0.75
    _docs: list[Counter[str]] = field(default_factory=list)
    _df: Counter[str] = field(default_factory=Counter)
    _avg: float = 1.0
    _meaning: MeaningIndex | None = None
    _classifier: ArticleClassifier | None = None

    def __post_init__(self) -> None:
        # the gaps take part only by meaning: by words alone a gap's few forms would say little
        self._entries = self.articles + (self.gaps if self.embedder is not None else [])
        for art in self._entries:
            words = tokens(" ".join([art.title, art.title, *art.questions, art.short, art.topic]))
            doc = Counter(words)
            self._docs.append(doc)
            self._df.update(doc.keys())
        self._avg = sum(sum(d.values()) for d in self._docs) / max(len(self._docs), 1)
        self._term_scores = self._bm25_by_term()
        self.by_id = {a.id: a for a in self.articles}
        self._doc_of = {a.id: doc for a, doc in zip(self._entries, self._docs, strict=True)}
        if self.embedder is not None:
            forms = [(a.title, *a.questions) for a in self._entries]
            passages = [a.title if a.is_gap else a.short for a in self._entries]  # a gap's reply is where to ask
            self._meaning = MeaningIndex(shared_cache(self.embedder, self.cache_folder), forms, passages)
            self._classifier = ArticleClassifier(self._meaning.form_vectors, [t for f in forms for t in f],
                                                 self._meaning.form_owners, len(self._entries))

    @property
    def by_meaning(self) -> bool:
        return self._meaning is not None

    def _bm25_by_term(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each term's BM25 contribution to the entries that hold it, computed once (sparse: the
        entries, then the contributions): a question's words score is the sum of its terms' parts
        (a loop over every article for each question cost ~3 ms)."""
        n = len(self._entries)
        parts: dict[str, tuple[list[int], list[float]]] = {}
        for i, doc in enumerate(self._docs):
            norm = self.k1 * (1 - self.b + self.b * sum(doc.values()) / self._avg)
            for term, tf in doc.items():
                idf = math.log(1 + (n - self._df[term] + 0.5) / (self._df[term] + 0.5))
                where, value = parts.setdefault(term, ([], []))
                where.append(i)
                value.append(idf * tf * (self.k1 + 1) / (tf + norm))
        return {term: (np.array(where, dtype=np.int32), np.array(value)) for term, (where, value) in parts.items()}

    def words_scores(self, q: tuple[str, ...]) -> np.ndarray:
        """BM25 of the question's terms for every entry (articles, then gaps)."""
        total = np.zeros(len(self._entries))
        for term in q:
            part = self._term_scores.get(term)
            if part is not None:
                total[part[0]] += part[1]
        return total

    def search(self, query: str, topic: str | None = None, limit: int = 3,
               where: tuple[str, ...] = ()) -> list[Hit]:
        """Best articles for the question, best first. The NLU's topic, if any, counts in an article's
        favour. ``where``: the worker's places when known (city, province): a local article for that
        place ranks higher, a local article for somewhere else lower (a national one is unchanged)."""
        if self._meaning is None or self._classifier is None or not query.strip():
            return self._rank(query, None, topic, limit, where)
        vector = self._meaning.question_vector(query)
        return self._rank(query, self._meaning.scores_of(vector), topic, limit, where,
                          self._classifier.scores(vector, query))

    def prefetch(self, query: str) -> None:
        """Embed a question ahead of its lookup (see ``MeaningIndex.prefetch``); nothing without the model."""
        if self._meaning is not None and query.strip():
            self._meaning.prefetch(query)

    def search_parts(self, parts: list[str], where: tuple[str, ...] = ()) -> list[Hit | None]:
        """The best article for each part of a story (「老板没给买工伤保险」「伤还没好就叫我走人」), or None
        for a part nothing matches. By words only: a part is short and plain, and embedding four more
        sentences would double a long message's answer time."""
        best = [self._rank(part, None, None, 1, where) for part in parts]
        return [hits[0] if hits else None for hits in best]

    def _rank(self, query: str, meaning: Any, topic: str | None, limit: int, where: tuple[str, ...],
              classified: Any = None) -> list[Hit]:
        """Hits best first: by words alone without the model; with it, by the score (meaning and
        words) and the classifier's view, each on a common scale, and in both the same adjustments
        for the NLU's topic, a topic the question does not name and the worker's place (the classifier
        knows none of them, so they would otherwise count for half)."""
        q = _query_tokens(query)
        unsaid = {name for name, words in ASPECTS.items() if not words.search(query)}
        hits: list[Hit] = []
        adjustments: list[float] = []
        all_words = self.words_scores(q)
        for i, art in enumerate(self._entries if meaning is not None else self.articles):
            words = float(all_words[i])
            if meaning is None:
                if words <= 0:
                    continue
                score = words * (2.0 if topic and art.topic == topic else 1.0) * self._place_factor(art, where)
                hits.append(Hit(art, score, words))
                continue
            adjust = (TOPIC_BONUS if topic and art.topic == topic else 0.0) - (
                ASPECT_MALUS if art.topic in unsaid else 0.0) + self._place_bonus(art, where)
            adjustments.append(adjust)
            score = float(meaning[i]) + WORDS_WEIGHT * words / (words + WORDS_HALF) + adjust
            hits.append(Hit(art, score, words, float(meaning[i])))
        if meaning is None or not hits:
            hits.sort(key=lambda hit: -hit.score)
            return hits[:limit]
        scores = np.array([hit.score for hit in hits])
        # the best is the best article's: a known gap's closeness does not make an article an answer
        of_articles = np.sort([hit.score for hit in hits if not hit.article.is_gap])[::-1]
        first = of_articles[0] if len(of_articles) else -np.inf
        second = of_articles[1] if len(of_articles) > 1 else -np.inf
        order = standardised(scores)
        if classified is not None:
            order = order + classified + np.array(adjustments) / (scores.std() + 1e-9)
        ranked = [hits[i]._replace(best=float(first), gap=float(first - second))
                  for i in np.argsort(-order, kind="stable")]
        return ranked[:limit]

    @staticmethod
    def _place_factor(art: Article, where: tuple[str, ...]) -> float:
        if where and not art.national:
            return LOCAL_MATCH if art.holds_in(where) else LOCAL_ELSEWHERE
        return LOCAL_ELSEWHERE if art.region in UNNAMED_PLACES else 1.0  # a seed's example city

    @staticmethod
    def _place_bonus(art: Article, where: tuple[str, ...]) -> float:
        if where and not art.national:
            return LOCAL_BONUS if art.holds_in(where) else -ELSEWHERE_MALUS
        return -UNNAMED_MALUS if art.region in UNNAMED_PLACES else 0.0

    def confident(self, question: str, hit: Hit, runner_up: Hit | None = None) -> bool:
        """Whether the article answers the question well enough to say so; below this the bot says it
        is not sure rather than guess. By meaning: the question is answered at all (its best score
        clears the bar, and not by a coin toss between two, or clears a lower bar with the
        ``runner_up`` citing the same law article), and this article is near that best."""
        if hit.article.is_gap:
            return False
        if hit.meaning:  # found by meaning
            tied = hit.gap < TIE and hit.best < CONFIDENT + NEAR_THRESHOLD
            agreed = runner_up is not None and runner_up.article.citation == hit.article.citation
            answered = (hit.best >= CONFIDENT and not tied) or (agreed and hit.best >= AGREED)
            return answered and hit.score >= hit.best - PICK_SLACK
        covered = self.coverage(question, hit.article)
        return (hit.score >= MIN_SCORE and covered >= MIN_COVERAGE) or hit.score >= STRONG_SCORE or (
            hit.score >= SHORT_QUESTION_SCORE and covered >= SHORT_QUESTION_COVERAGE)

    def points_to_gap(self, hit: Hit) -> bool:
        """Whether the question is one the sources do not answer: a known gap ranks first, near the
        best score, and that best is not far from the articles' bar."""
        return hit.article.is_gap and hit.score >= GAP_BAR and hit.score >= hit.best - PICK_SLACK

    def coverage(self, query: str, art: Article) -> float:
        """How much of the question the article speaks to: the share of the question's informative
        words (weighted by rarity) that the article contains. 「外国人来中国打工要办什么签证」 shares only
        「打工」「办」 with the unemployment article it scores on: not an answer."""
        terms = set(_query_tokens(query))
        doc = self._doc_of[art.id]
        n = len(self._entries)
        weight = {t: math.log(1 + (n - self._df[t] + 0.5) / (self._df[t] + 0.5)) for t in terms}
        total = sum(weight.values())
        return sum(w for t, w in weight.items() if t in doc) / total if total else 0.0


RECHECK_SECONDS = 1.0


class Library:
    """The articles of one folder and their index, rebuilt when a file was added, changed or removed.
    One per app (settings: GONGYOU_KB_DIR; the package's own folder by default)."""

    def __init__(self, folder: Path | None = None, embedder: Embedder | None = None,
                 cache_folder: Path | None = None) -> None:
        self.folder = folder or ARTICLES
        self.embedder = embedder  # None: retrieval by words only
        self.cache_folder = cache_folder
        self._lock = threading.Lock()
        self._signature: tuple[tuple[str, int], ...] | None = None
        self._index: KnowledgeBase | None = None
        self._folder_stamp = 0  # the folder's own mtime when the files were last compared
        self._compared_at = -math.inf

    def index(self) -> KnowledgeBase:
        """The index of the folder as it is now. A file added, removed or saved by renaming (as the
        console does) changes the folder's own time and is seen at once; a file edited in place is
        seen within ``RECHECK_SECONDS`` (comparing every file's time cost ~5 ms a message)."""
        stamp = self.folder.stat().st_mtime_ns
        now = time.monotonic()
        with self._lock:
            if (self._index is not None and stamp == self._folder_stamp
                    and now - self._compared_at < RECHECK_SECONDS):
                return self._index
        gaps = self.folder / GAPS
        files = [*sorted(self.folder.glob("*.md")), *([gaps] if gaps.exists() else [])]
        signature = tuple((p.name, p.stat().st_mtime_ns) for p in files)
        with self._lock:
            if self._index is None or signature != self._signature:
                self._index = KnowledgeBase(load_articles(self.folder), self.embedder, self.cache_folder,
                                            gaps=load_gaps(self.folder))
                self._signature = signature
            self._folder_stamp, self._compared_at = stamp, now
            return self._index

    def problems(self) -> list[str]:
        return validate(self.folder)

    def prefetch(self, question: str) -> None:
        """Start finding the question's meaning while the NLU reads it (only once the index is built:
        a first question never waits for the articles to be embedded on its account)."""
        if self._index is None:
            return
        try:
            self.index().prefetch(question)
        except (OSError, ValueError, RuntimeError) as exc:  # the folder moved, a file half-saved, shutting down:
            log.warning("knowledge base: question not embedded ahead (%s)", type(exc).__name__)  # asked later

    def warm_in_background(self) -> None:
        """Build the index (embedding new or changed articles) before the first question needs it."""
        threading.Thread(target=self.index, name="kb-warm", daemon=True).start()


_libraries: dict[Path, Library] = {}
_libraries_lock = threading.Lock()


def current(folder: Path = ARTICLES) -> KnowledgeBase:
    """The index of a folder as it is now, for tests and one-off scripts only: the app answers from
its own ``Library`` (app.extensions["gongyou.kb"])."""
    with _libraries_lock:
        library = _libraries.setdefault(folder, Library(folder, default_embedder()))
    return library.index()
