"""Pinyin-only messages (「shenzhen you pugong ma」) turned back into likely Chinese.

The letters are segmented against the pinyin of the words the bot knows — the Jieba words of the
training examples, the city and trade tables — choosing the reading with the fewest words. A message
whose letters are mostly not covered (English keywords such as STOP or OK) is left alone.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pypinyin import lazy_pinyin

from nlu.gazetteer import DATA, load_gazetteer
from nlu.training_data import load_examples

CJK = re.compile(r"[\u4e00-\u9fff]")
CASE_NUMBER = re.compile(r"(?:ts|qx)\d{11,12}")
MIN_COVERAGE = 0.8
UNREAD_COST = 40.0  # a letter read as nothing costs more than any known word
BACKGROUND_WORDS = 40_000  # the most frequent words of Jieba's dictionary (~1 s to index)
BACKGROUND_PENALTY = 4.0  # workers' own phrases win over general-language homophones
MAX_WORD_LETTERS = 24


def is_pinyin_only(text: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return letters >= 4 and not CJK.search(text)


def training_texts(data_dir: Path = DATA) -> list[str]:
    """The plain text of every training example."""
    return [e.text for path in sorted(data_dir.glob("*.yml")) for e in load_examples(path)]


_BUILD = threading.Lock()


def _index() -> dict[str, tuple[str, float]]:
    with _BUILD:  # the start-up warm-up and a first pinyin message must not build it twice at once
        return _build_index()


@lru_cache(maxsize=1)
def _build_index() -> dict[str, tuple[str, float]]:
    """Pinyin (no tones) → (the likeliest Chinese for it, its cost = -log frequency).

    Words and two- and three-word phrases of the training text are counted, so a reading that
    workers actually write (「是呀」, 「谢了」) beats a homophone that is frequent elsewhere."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    dict_dir = DATA.parent / "dict"
    for userdict in sorted(dict_dir.glob("*.txt")):
        with open(userdict, "rb") as handle:  # given a path, jieba leaves the file open
            jieba.load_userdict(handle)
    counts: Counter[str] = Counter()
    for text in training_texts():
        words = [w for w in jieba.lcut(text) if w.strip()]
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if all(CJK.fullmatch(ch) for w in gram for ch in w):
                    counts["".join(gram)] += 1
    for _surface, _entity, canonical in load_gazetteer().terms:
        if CJK.search(canonical):
            counts[canonical] += 2
    total = sum(counts.values())
    index: dict[str, tuple[str, float]] = {}

    def add(phrase: str, cost: float) -> None:
        key = "".join(lazy_pinyin(phrase)).lower()
        if key.isalpha() and len(key) <= MAX_WORD_LETTERS and cost < index.get(key, ("", math.inf))[1]:
            index[key] = (phrase, cost)

    for phrase, count in counts.items():
        add(phrase, -math.log(count / total))
    # Everyday words the training text lacks (日期, 气温): Jieba's own dictionary, costed higher.
    background = _jieba_words(jieba, BACKGROUND_WORDS)
    bg_total = sum(freq for _, freq in background)
    for word, freq in background:
        add(word, -math.log(freq / bg_total) + BACKGROUND_PENALTY)
    return index


def _jieba_words(jieba: object, limit: int) -> list[tuple[str, int]]:
    path = Path(getattr(jieba, "__file__", "")).parent / "dict.txt"
    rows: list[tuple[str, int]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                rows.append((parts[0], int(parts[1])))
    rows.sort(key=lambda r: -r[1])
    return rows[:limit]


def from_pinyin(text: str) -> str | None:
    """Chinese for a pinyin-only message, or None when too little of it reads as known words.

    Runs of letters are converted; digits (amounts, phone numbers) are kept where they stand."""
    parts: list[str] = []
    for piece in re.split(r"((?:ts|qx)\d{11,12})", text.lower()):  # case numbers first, whole
        parts += [piece] if CASE_NUMBER.fullmatch(piece) else re.findall(r"[a-z][a-z\s']*|\d+(?:\.\d+)?", piece)
    total = covered = 0
    out: list[str] = []
    for part in parts:
        if part[0].isdigit() or part[2:3].isdigit():  # amounts, phone and case numbers stay as they are
            out.append(part.upper())
            continue
        letters = re.sub(r"[^a-z]", "", part)
        words, unmatched = _segment(letters)
        total += len(letters)
        covered += len(letters) - unmatched
        out.append("".join(words))
    if not total or covered / total < MIN_COVERAGE:
        return None
    return "".join(out)


def _segment(letters: str) -> tuple[list[str], int]:
    """The cheapest reading of ``letters`` as known words and phrases; returns it and how many
    letters stayed unread (each costs more than any word)."""
    index = _index()
    n = len(letters)
    inf = float("inf")
    cost = [0.0] + [inf] * n
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    for i in range(n):
        if cost[i] == inf:
            continue
        if cost[i] + UNREAD_COST < cost[i + 1]:
            cost[i + 1], back[i + 1] = cost[i] + UNREAD_COST, (i, None)
        for j in range(i + 1, min(n, i + MAX_WORD_LETTERS) + 1):
            hit = index.get(letters[i:j])
            if hit and cost[i] + hit[1] < cost[j]:
                cost[j], back[j] = cost[i] + hit[1], (i, hit[0])
    words: list[str] = []
    unread = 0
    i = n
    while i > 0:
        start, word = back[i]
        if word:
            words.append(word)
        else:
            unread += 1
        i = start
    return list(reversed(words)), unread


def warm() -> None:
    """Build the index now (it is cached for the process)."""
    _index()
