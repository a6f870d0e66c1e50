"""Build knowledge_base/citations.yml — the (law, article) pairs the knowledge base may cite — from the
law sections of ../shared/PROTOCOLS.md, plus the seed documents cited by name. Run by hand when
PROTOCOLS.md changes; kb-check then refuses any citation not in the table.

    .venv/bin/python scripts/citations_from_protocols.py ../shared/PROTOCOLS.md > knowledge_base/citations.yml
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import cn2an
import yaml

LAW = re.compile(r"《[^》]+》")
ARTICLE = re.compile(r"第([一二三四五六七八九十百零]+)条(之[一二三四五六七八九十])?")
RANGE = re.compile(r"第([一二三四五六七八九十百零]+)条\s*[–—-]\s*第([一二三四五六七八九十百零]+)条")
# Documents from the seeds and their numbers, cited without an article.
DOCUMENTS = ("临政办发〔2017〕52号", "内政〔2006〕104号", "劳社部令第25号", "《推进劳务经济发展工作打算》",
             "《某市农村剩余劳动力转移工作汇报》", "《农村土地承包法》")
ALIASES = {"劳社部令第25号": "《关于实施〈劳动保障监察条例〉若干规定》"}


def _num(text: str) -> int:
    return int(cn2an.cn2an(text, "smart"))


def _article(n: int, suffix: str = "") -> str:
    return f"第{cn2an.an2cn(str(n))}条{suffix}"


def citations(text: str) -> dict[str, list[str]]:
    start = text.index("## Law and policy facts")
    found: dict[str, set[str]] = defaultdict(set)
    law = ""
    for line in text[start:].splitlines():
        for alias, name in ALIASES.items():  # 「劳社部令第25号 第十八条」
            line = line.replace(alias, name)
        # a law named on the line (or a line of its own, as a heading for the bullets below)
        pos = 0
        tokens = sorted([(m.start(), "law", m.group()) for m in LAW.finditer(line)]
                        + [(m.start(), "range", m) for m in RANGE.finditer(line)]
                        + [(m.start(), "article", m) for m in ARTICLE.finditer(line)], key=lambda t: t[0])
        for at, kind, value in tokens:
            if at < pos:
                continue
            if kind == "law":
                law = str(value)
            elif kind == "range" and law:
                m = value
                for n in range(_num(m.group(1)), _num(m.group(2)) + 1):
                    found[law].add(_article(n))
                pos = m.end()
            elif kind == "article" and law:
                m = value
                found[law].add(m.group())
    return {law: sorted(arts, key=_order) for law, arts in sorted(found.items())}


def _order(article: str) -> tuple[int, str]:
    match = ARTICLE.match(article)
    return (_num(match.group(1)) if match else 0, article)


def main() -> None:
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    table = citations(text)
    print("# (law, article) pairs the knowledge base may cite: generated from ../shared/PROTOCOLS.md")
    print("# by scripts/citations_from_protocols.py; documents from the seeds are cited without an article.")
    print(yaml.safe_dump({"laws": table, "documents": list(DOCUMENTS)}, allow_unicode=True, sort_keys=False))


if __name__ == "__main__":
    main()
