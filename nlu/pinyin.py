"""Pinyin-only messages (「shenzhen you pugong ma」) turned back into likely Chinese.

The letters are segmented against the pinyin of the words the bot knows — the Jieba words of the
training examples, the city and trade tables — choosing the reading with the fewest words. A message
whose letters are mostly not covered (English keywords such as STOP or OK) is left alone.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

from nlu.gazetteer import DATA, load_gazetteer

CJK = re.compile(r"[\u4e00-\u9fff]")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
CASE_NUMBER = re.compile(r"(?:ts|qx)\d{11,12}")
MIN_COVERAGE = 0.8
MAX_WORD_LETTERS = 24


def is_pinyin_only(text: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return letters >= 4 and not CJK.search(text)


def training_texts(data_dir: Path = DATA) -> list[str]:
    """The plain text of every training example (annotations stripped)."""
    texts: list[str] = []
    for path in sorted(data_dir.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in item:
                texts += [ANNOTATION.sub(r"\1", line.strip()[2:]) for line in str(item.get("examples", "")).splitlines()
                          if line.strip().startswith("- ")]
    return texts


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    dict_dir = DATA.parent / "dict"
    for userdict in sorted(dict_dir.glob("*.txt")):
        with open(userdict, "rb") as handle:  # given a path, jieba leaves the file open
            jieba.load_userdict(handle)
    counts: Counter[str] = Counter()
    for text in training_texts():
        counts.update(w for w in jieba.lcut(text) if CJK.search(w))
    for _surface, _entity, canonical in load_gazetteer().terms:
        if CJK.search(canonical):
            counts[canonical] += 1
    index: dict[str, str] = {}
    for word, _ in counts.most_common():  # most frequent word wins a shared reading
        key = "".join(lazy_pinyin(word)).lower()
        if key.isalpha() and len(key) <= MAX_WORD_LETTERS:
            index.setdefault(key, word)
    return index


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
    """Known words covering ``letters`` with the fewest unmatched letters, then the fewest words."""
    index = _index()
    n = len(letters)
    best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, n + 1)] * n
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    for i in range(n):
        skip = (best[i][0] + 1, best[i][1])
        if skip < best[i + 1]:
            best[i + 1], back[i + 1] = skip, (i, None)
        for j in range(i + 1, min(n, i + MAX_WORD_LETTERS) + 1):
            word = index.get(letters[i:j])
            if word and (best[i][0], best[i][1] + 1) < best[j]:
                best[j], back[j] = (best[i][0], best[i][1] + 1), (i, word)
    words: list[str] = []
    i = n
    while i > 0:
        start, word = back[i]
        if word:
            words.append(word)
        i = start
    return list(reversed(words)), best[n][0]
