"""The knowledge base: every article valid and cited, and retrieval measured on workers' questions."""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge_base import current, load_articles, validate
from knowledge_base.store import ARTICLES, RECHECK_SECONDS, SHORT_MAX

QUESTIONS = Path(__file__).resolve().parent / "data" / "policy_questions.yml"
NEW_ARTICLE = """---
id: zz-new
title: 高温津贴
topic: 工资支付
questions: [高温补贴有没有, 夏天高温费, 防暑降温费给不给]
short: 高温天气作业应发高温津贴。
source: 《防暑降温措施管理办法》
article: 第十七条
region: 全国
region_level: national
review: 2027-11-01
---
高温天气下作业，单位应发高温津贴。
"""


def test_every_article_is_valid_and_cites_a_source() -> None:
    assert validate() == []
    articles = load_articles()
    assert len(articles) >= 40
    for art in articles:
        assert art.source.startswith("《") or "〔" in art.source, art.id
        assert len(art.short) <= SHORT_MAX
        assert len(f"{art.short}\n{art.citation}") <= 134, art.id  # two SMS segments


def test_validator_names_the_problems(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\nid: other\ntopic: 天气\nshort: " + "长" * 120 + "\n---\n", encoding="utf-8")
    problems = "\n".join(validate(tmp_path))
    expected = ("missing", "differs from the file name", "unknown topic", "short answer is 120", "no longer answer")
    assert all(e in problems for e in expected), problems


def test_retrieval_top1_on_workers_questions() -> None:
    cases = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    kb = current()
    assert len(cases) >= 80 and all(c["expected"] in kb.by_id for c in cases)
    misses = []
    for case in cases:
        hits = kb.search(case["q"])
        expected = kb.by_id[case["expected"]]
        # Several articles may answer from one rule (「扣工资」 has its own articles now): the same citation counts.
        right = {expected.id, *case.get("also_ok", [])}
        if not hits or (hits[0][0].id not in right and hits[0][0].citation != expected.citation):
            misses.append((case["q"], case["expected"], hits[0][0].id if hits else None))
    top1 = 1 - len(misses) / len(cases)
    print(f"\nknowledge-base retrieval: top-1 {top1:.3f} on {len(cases)} questions")
    assert top1 >= 0.85, misses[:15]


def test_an_edited_article_is_answered_without_restart(tmp_path: Path) -> None:
    import shutil

    for art in load_articles()[:3]:
        shutil.copy(Path("knowledge_base/articles") / f"{art.id}.md", tmp_path)
    first = current(tmp_path)
    new = tmp_path / "zz-new.md"
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    second = current(tmp_path)
    assert second is not first and second.search("夏天高温费给不给")[0][0].id == "zz-new"


def test_the_workers_region_is_preferred() -> None:
    kb = current()
    question = "就业服务补贴"
    in_linfen = kb.search(question, where=("临汾", "山西"))[0][0]
    assert in_linfen.region == "临汾市"
    assert in_linfen.holds_in(("临汾",)) and not in_linfen.holds_in(("深圳", "广东"))
    # in 深圳 the same rule scores lower than the national one (it may still come first where nothing
    # national answers the question: the reply then says whose rule it is, test_dialogues)
    linfen_rule = {h.article.id: h for h in kb.search(question, where=("深圳", "广东"), limit=10)}
    national = max((h for h in linfen_rule.values() if h.article.national), key=lambda h: h.score)
    assert linfen_rule[in_linfen.id].score < national.score


def test_a_citation_not_in_the_table_of_known_articles_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")  # cites a rule PROTOCOLS.md does not list
    problems = "\n".join(validate(tmp_path))
    assert "《防暑降温措施管理办法》第十七条 is not in the table of known citations" in problems, problems
    invented = NEW_ARTICLE.replace("《防暑降温措施管理办法》", "《劳动合同法》").replace("第十七条", "第九十九条")
    (tmp_path / "zz-new.md").write_text(invented, encoding="utf-8")
    assert "《劳动合同法》第九十九条 is not in the table" in "\n".join(validate(tmp_path))


def test_a_known_gap_cites_nothing_and_may_not_state_a_rule(tmp_path: Path) -> None:
    gap = ("- id: sick-pay-amount\n  title: 病假工资怎么算\n  reply: {reply}\n"
           "  questions: [病假工资咋算, 生病请假还给钱吗, 病假扣多少工资]\n")
    (tmp_path / "gaps.yml").write_text(gap.format(reply="各地不一样，打12333问当地人社部门。"), encoding="utf-8")
    assert validate(tmp_path) == []
    (tmp_path / "gaps.yml").write_text(gap.format(reply="不低于最低工资的80%，依据《劳动法》第四十八条。"),
                                      encoding="utf-8")
    assert "a gap's reply cites nothing" in "\n".join(validate(tmp_path))


def test_a_broken_gaps_file_leaves_the_articles_answering(tmp_path: Path) -> None:
    for art in load_articles()[:3]:
        source = (ARTICLES / f"{art.id}.md").read_text(encoding="utf-8")
        (tmp_path / f"{art.id}.md").write_text(source, encoding="utf-8")
    (tmp_path / "gaps.yml").write_text("- id: x\n  title: [unclosed\n", encoding="utf-8")
    assert current(tmp_path).search(load_articles()[0].questions[0])  # the articles still answer
    assert "gaps.yml" in "\n".join(validate(tmp_path))
    (tmp_path / "gaps.yml").write_text("- id: a\n  title: 公积金\n  reply: 打12329问。\n  questions: 公积金怎么取\n"
                                      "- id: a\n  title: 公积金\n  reply: 打12329问。\n  questions: [一, 二, 三]\n",
                                      encoding="utf-8")
    problems = "\n".join(validate(tmp_path))
    assert "questions must be a list" in problems and "another gap has this id" in problems


def test_an_article_edited_in_place_is_answered_within_a_second(tmp_path: Path) -> None:
    import shutil
    import time

    for art in load_articles()[:3]:
        shutil.copy(Path("knowledge_base/articles") / f"{art.id}.md", tmp_path)
    (tmp_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    first = current(tmp_path)
    assert current(tmp_path) is first  # nothing changed: the same index, the files not compared again
    edited = (tmp_path / "zz-new.md")
    with edited.open("a", encoding="utf-8") as handle:  # in place: the folder's own time does not change
        handle.write("\n补充：各地标准不一样。\n")
    time.sleep(RECHECK_SECONDS + 0.1)
    assert current(tmp_path) is not first
