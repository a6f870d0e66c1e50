"""Questions about rights, answered as a new worker asks them (issue 13): the answer first, citing the
article that answers it, then the form or a person offered; figures the law computes; stories."""

from __future__ import annotations

import re

import pytest

from tests.support.dialog import Conversation, verify_dialog

CITED = re.compile(r"依据：(《[^》]+》(?:第[一二三四五六七八九十百零]+条(?:之[一二三四五六七八九十])?)?|\S+)")


def cited(answer: str) -> str:
    found = CITED.search(answer)
    return found.group(1) if found else ""


@pytest.mark.parametrize(("asked", "answered_by"), [
    ("被公司辞退了有补偿吗", ("《劳动合同法》第四十六条", "《劳动合同法》第四十七条", "《劳动合同法》第八十七条",
                           "《劳动合同法》第四十八条")),
    ("加班费怎么算", ("《劳动法》第四十四条",)),
    ("周末加班给多少", ("《劳动法》第四十四条",)),
    ("上下班路上被车撞了算工伤吗", ("《工伤保险条例》第十四条",)),
    ("公司不给交社保可以补缴吗", ("《社会保险法》第六十三条", "《社会保险法》第五十八条", "《社会保险法》第八十六条",
                               "《社会保险法》第六十条")),
    ("在厂里干了三年 老板说明天不用来了", ("《劳动合同法》第四十六条", "《劳动合同法》第四十七条",
                                     "《劳动合同法》第四十八条", "《劳动合同法》第八十七条", "《劳动合同法》第四十条")),
    ("中介可以收押金吗", ("《就业促进法》第四十一条", "《劳动合同法》第九条", "《劳动合同法》第八十四条")),
])
def test_a_question_about_rights_is_answered_from_the_article_that_answers_it(
        conversation: Conversation, asked: str, answered_by: tuple[str, ...]) -> None:
    answer = conversation.say(asked)
    assert cited(answer) in answered_by, answer
    assert "转人工" in answer  # a person is always one digit away


def test_a_local_rule_for_someone_else_is_not_the_answer_to_a_general_question(conversation: Conversation) -> None:
    answer = conversation.say("回老家创业有没有贷款")
    # once answered with 某市's rule for farmers whose land was taken
    assert "被征地" not in answer.splitlines()[0], answer


def test_question_first_then_the_form_is_offered(conversation: Conversation) -> None:
    answer = conversation.say("中介可以收押金吗")
    assert "依据：" in answer and "投诉举报" in answer  # the answer, then 投诉举报 as a numbered step
    assert "您要反映什么问题" not in answer  # no form forced on a question
    report = conversation.say("中介收了我500押金 人跑了")
    assert "登记投诉举报" in report  # a report with no question opens the form, as before


def test_compensation_is_estimated_from_years_and_wage(conversation: Conversation) -> None:
    answer = conversation.say("干了三年 每月五千 被公司辞退了 有补偿吗")
    assert "约15000元" in answer and "约30000元" in answer, answer


def test_a_story_gets_the_main_answer_and_a_person(conversation: Conversation) -> None:
    story = "在工地上干活从架子上摔下来腿骨折了 老板没给买工伤保险 现在伤还没好就说让我走人 我该怎么办"
    answer = conversation.say(story)
    assert "比较复杂" in answer and "1 转人工" in answer and "依据：" in answer, answer
    follow_ups = answer.split("1 转人工", 1)[1]
    assert "工伤保险" in follow_ups, answer  # the uninsured employer: the story's other problem, offered


def test_a_question_no_article_answers_is_not_guessed(conversation: Conversation) -> None:
    for asked in ("外国人来中国打工要办什么签证", "哪个银行贷款利息低", "搬家了房东扣着押金不退",
                  "网贷还不上会不会被抓"):
        answer = conversation.say(asked)
        assert "依据：" not in answer, answer


@pytest.mark.parametrize(("asked", "answered_by"), [
    # read by the NLU as a job search, a status check: the law answers first
    ("两班倒一天十二个小时正常吗", ("《劳动法》第三十六条", "《劳动法》第四十一条")),  # once a job search
    ("12333投诉以后多久处理", ("《关于实施〈劳动保障监察条例〉若干规定》第十八条",  # once a status check
                            "《劳动保障监察条例》第十七条")),
])
def test_a_rights_question_misread_as_something_else_is_answered_first(
        conversation: Conversation, asked: str, answered_by: tuple[str, ...]) -> None:
    answer = conversation.say(asked)
    assert cited(answer) in answered_by, answer


def test_a_job_search_phrased_as_a_question_still_searches_jobs(conversation: Conversation) -> None:
    for asked in ("深圳有没有电子厂招普工", "东莞包吃住的活有吗"):
        answer = conversation.say(asked)
        assert "依据：" not in answer, answer


def test_a_report_opens_the_form_after_saying_what_the_law_says(conversation: Conversation) -> None:
    answer = conversation.say("老板一直扣着我的身份证不给")
    assert cited(answer) == "《劳动合同法》第九条", answer  # holding an ID card is unlawful …
    assert "登记投诉举报" in answer, answer  # … and the complaint form starts, as before
    assert answer.index("依据：") < answer.index("登记投诉举报")


def test_a_situation_misread_as_a_reply_word_is_answered_from_the_law(conversation: Conversation) -> None:
    answer = conversation.say("进厂三个月了合同还没签")  # the NLU once read it as 「不是」
    assert cited(answer) in ("《劳动合同法》第十条", "《劳动合同法》第八十二条", "《劳动合同法》第七条"), answer


@pytest.mark.parametrize(("asked", "not_about"), [
    ("包工头跑了", "受伤"),  # it shares 包工头 with the injury article, but nobody said they were hurt
    ("老板不认我是他的工人", "工伤"),  # proving the employment relationship is not only for injuries
])
def test_an_article_on_a_topic_the_question_never_names_is_not_the_answer(
        conversation: Conversation, asked: str, not_about: str) -> None:
    answer = conversation.say(asked)
    assert not_about not in answer.split("依据")[0] and "《工伤保险条例》" not in answer, answer


def test_a_coin_toss_between_articles_is_not_given_as_the_answer(conversation: Conversation) -> None:
    """「工地上摔伤了 老板不给报销」 barely cleared the bar with four injury articles level: it once got the
    one on injuries during a business trip. Not sure → say so, offer a person."""
    answer = conversation.say("工地上摔伤了 老板不给报销")
    assert "派出去" not in answer and "出差" not in answer, answer


def test_a_hurt_hand_is_a_rights_question_not_a_hand_off(conversation: Conversation) -> None:
    """「机器」 once made the model read this as asking for a person (「机器人听不懂」): the conversation was
    handed to staff at night and the bot fell silent."""
    first = conversation.say("我手被机器压了")
    assert "已转给工作人员" not in first and "转人工" in first, first  # a person offered, not imposed
    assert conversation.say("老板不认")  # the bot still answers
    assert "已转给工作人员" in conversation.say("机器人听不懂 给我找个人")  # asking for a person still works


def test_a_hand_off_the_worker_did_not_ask_for_in_words_is_asked_about_first(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("你是机器人吗", ["要我转给工作人员吗", "1 要，转人工", "2 不用，接着问"]),  # was handed off at once
        ("2", "请回复数字"),  # the bot goes on answering
        ("你是机器人吗", "要我转给工作人员吗"),
        ("1", "已转给工作人员"),
    ])


@pytest.mark.parametrize(("asked", "not_this"), [
    ("实名登记是啥 不登记会不会发不到工资", "已取消"),  # 「不登记」 read as cancelling, outside any form
    ("押金退不退 厂里说干满一年才退", "登记投诉举报，几个问题"),  # 「退不退」 asks: the law first
])
def test_a_question_is_not_taken_for_an_instruction(conversation: Conversation, asked: str, not_this: str) -> None:
    answer = conversation.say(asked)
    assert not_this not in answer, answer


def test_pinyin_among_chinese_is_read(conversation: Conversation) -> None:
    answer = conversation.say("laodong zhongcai 怎么弄")
    assert "仲裁" in answer and "您好，我是工友助手" not in answer, answer


def test_a_job_named_in_a_story_of_harm_is_not_a_job_search(conversation: Conversation) -> None:
    """「电焊工」 is where it happened, not work wanted: an injured welder once got two welding vacancies.
    Not sure of the article, the bot says so and offers the nearest articles to pick from."""
    answer = conversation.say("电焊工被烫伤了 老板不管")
    assert "岗位" not in answer, answer
    assert "依据：" in answer or "您问的是不是" in answer, answer
    if "您问的是不是" in answer:
        assert "依据：" in conversation.say("1"), conversation.transcript
    assert "岗位" in Conversation(conversation.pipeline).say("电焊工有没有活")  # asked for, it is a search


def test_two_articles_on_the_same_law_article_make_an_answer(conversation: Conversation) -> None:
    """Just below the bar, the two articles first both stand on 《工伤保险条例》第十四条: whichever of
    the two, the worker is told it is a work injury and where that is written."""
    answer = conversation.say("开叉车的时候被货砸到脚了")
    assert cited(answer) == "《工伤保险条例》第十四条", answer


@pytest.mark.parametrize(("asked", "where_to_ask"), [
    ("公积金能不能取出来", "12329"),  # the housing fund: its own office, no labour article
    ("高铁票买错了能退吗", "12306"),
    ("病假工资怎么算", "12333"),  # the amount is set locally: no national article says it
])
def test_a_question_the_sources_do_not_answer_is_told_where_to_ask(
        conversation: Conversation, asked: str, where_to_ask: str) -> None:
    answer = conversation.say(asked)
    assert "依据：" not in answer and "没把握" in answer and where_to_ask in answer, answer


@pytest.mark.parametrize("wanted", ["深圳普工 不压工资的", "电工 死工资也行"])
def test_what_a_job_should_not_do_is_a_wish_not_a_story_of_harm(conversation: Conversation, wanted: str) -> None:
    answer = conversation.say(wanted)
    assert "没把握" not in answer and "依据：" not in answer, answer


def test_arrears_with_a_train_ticket_still_opens_the_form(conversation: Conversation) -> None:
    """A known gap (train tickets) is no reason not to take the arrears report."""
    answer = conversation.say("老板拖欠工资三个月 我想回家买不到火车票怎么办")
    assert "登记欠薪求助" in answer or "欠薪" in answer, answer
