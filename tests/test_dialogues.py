"""Whole conversations through the real pipeline (Rasa, PostgreSQL, Redis), as transcripts."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from domain.cases import handoff
from domain.storage.models import Case, Message, WorkerIdentity
from tests.support.dialog import Conversation, verify_dialog

MENU = ("1 找工作", "6 转人工")


def test_menu_then_job_search_then_detail(conversation: Conversation) -> None:
    verify_dialog(
        conversation,
        [
            ("你好", MENU),
            ("1", "哪个城市"),
            ("苏州 普工", ("苏州", "普工", "回复序号看详情")),
            ("1", ("联系：", "不收押金")),
            ("3", MENU),  # 「主菜单」 from the detail's options
        ],
    )


def test_paging_with_zero(conversation: Conversation) -> None:
    first = conversation.say("找普工")
    assert "第1-5个" in first and "回复0看更多" in first
    second = conversation.say("0")
    assert "第6-" in second
    assert listed(first) and listed(second) and listed(first).isdisjoint(listed(second))


def listed(answer: str) -> set[str]:
    """The jobs listed in an answer, without their option numbers."""
    return {line.split(" ", 1)[1] for line in answer.splitlines() if line[:1].isdigit() and "｜" in line}


def test_expired_and_filled_vacancies_never_show(conversation: Conversation) -> None:
    # The demo set's only 石家庄/无锡/珠海 entries are expired or filled.
    for city in ("石家庄", "无锡", "珠海"):
        answer = conversation.say(f"{city}有什么活")
        assert "V06" not in answer
        assert f"{city}·" not in answer or "共0个" in answer
        assert "暂时没有" in answer, answer


def test_trade_missing_in_city_widens_to_related_trades_nearby_and_says_so(conversation: Conversation) -> None:
    answer = conversation.say("阿克苏 有没有电工")
    assert "阿克苏附近也没有电工" in answer and "相近的工种" in answer
    assert "钢筋工" in answer and "乌鲁木齐" in answer  # construction work, same region


def test_wage_arrears_amount_read_back_as_the_form_starts(conversation: Conversation) -> None:
    answer = conversation.say("包工头跑路了 欠我八千五工钱")
    assert "金额8500元（按「八千五」记）" in answer and "老板或公司叫什么" in answer


def test_handoff_creates_a_case_the_worker_can_look_up(app: Flask, conversation: Conversation) -> None:
    answer = conversation.say("我要转人工")
    assert "已转给工作人员" in answer
    with app.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case))
        assert case is not None and case.kind == "handoff" and case.channel == "cli"
        number = case.number
        handoff.release(db, case.worker_id, actor="staff:1")
    assert number in answer
    assert number in conversation.say("我的进度怎么样了")


def test_gibberish_gets_polite_menu(conversation: Conversation) -> None:
    verify_dialog(conversation, [("asdfgh qwer", MENU), ("今天彩票开什么号", MENU)])


def test_traditional_characters_understood(conversation: Conversation) -> None:
    answer = conversation.say("東莞有沒有普工")
    assert "东莞" in answer and "普工" in answer


def test_every_message_is_kept_and_addresses_are_encrypted(app: Flask, pipeline) -> None:  # type: ignore[no-untyped-def]
    from domain.messages import Channel

    conv = Conversation(pipeline, channel=Channel.SMS, user_id="+8613912345678")
    conv.say("你好")
    conv.say("深圳 保安")
    with app.extensions["gongyou.db"].session() as db:
        texts = [m.text for m in db.scalars(select(Message).order_by(Message.id))]
        identity = db.scalar(select(WorkerIdentity))
    assert texts[0] == "你好" and texts[2] == "深圳 保安" and len(texts) == 4
    assert identity is not None
    assert "13912345678" not in identity.address_enc + identity.address_hash
    assert identity.address_masked == "+86139****5678"


def test_bot_stays_useful_when_rasa_is_down(app_factory: Callable[..., Flask]) -> None:
    app = app_factory("http://127.0.0.1:9", rasa_timeout_seconds=0.5)
    conv = Conversation(app.extensions["gongyou.pipeline"])
    verify_dialog(
        conv,
        [("你好", MENU), ("苏州普工", ("苏州", "回复序号看详情")), ("老板欠工资不给", "老板或公司叫什么"),
         ("转人工", "已转给工作人员")],
    )
    assert not any("Rasa" in a or "rasa" in a for _, a in conv.transcript)


def test_digit_outside_the_offer_asks_again_with_same_options(conversation: Conversation) -> None:
    listing = conversation.say("深圳 保安")
    assert "共1个岗位，回复序号看详情" in listing  # one page: no 「第1-1个」
    again = conversation.say("4")
    assert "没有这个选项" in again and "工业园保安" in again
    assert "联系：" in conversation.say("1")


def test_approximate_amount_is_said_to_be_approximate(conversation: Conversation) -> None:
    answer = conversation.say("老闆欠我們兩萬多塊工錢")
    assert "金额20000多元（按「兩萬多塊」记）" in answer


def test_a_district_finds_the_citys_jobs(conversation: Conversation) -> None:
    answer = conversation.say("宝安有没有普工")
    numbered = [line for line in answer.splitlines() if "｜" in line]
    assert numbered and all("深圳" in line for line in numbered), answer


def test_policy_question_answered_from_the_knowledge_base_with_its_source(conversation: Conversation) -> None:
    answer = conversation.say("没签合同能要双倍工资吗")
    assert "依据：《劳动合同法》第八十二条" in answer and "1 详细说明" in answer
    assert len(answer.split("\n1 ")[0]) <= 134
    detail = conversation.say("1")
    assert "《劳动合同法》第八十二条" in detail and len(detail) > len(answer.split("\n1 ")[0])


def test_policy_from_the_menu_asks_for_the_question_then_answers(conversation: Conversation) -> None:
    verify_dialog(conversation, [("你好", MENU), ("2", "请直接说您想问的"), ("打官司仲裁要交钱吗", "依据：")])


def test_policy_question_nobody_wrote_an_article_for_is_not_guessed(conversation: Conversation) -> None:
    answer = conversation.say("外国人来中国打工要办什么签证")
    assert ("没把握" in answer and "转人工" in answer) or "依据：" not in answer


def test_a_long_story_gets_a_person_first_and_the_article_as_related(conversation: Conversation) -> None:
    story = "上个月在厂里搬货把腰闪了 老板说是我自己不小心 不给报工伤 医药费都是我自己垫的 这种情况能认定工伤吗"
    answer = conversation.say(story)
    assert "比较复杂" in answer and "\n1 转人工" in answer and "依据：" in answer


def test_another_places_local_rule_is_named_as_such(conversation: Conversation) -> None:
    answer = conversation.say("我在深圳打工 灵活就业怎么交医保")
    assert "临汾" in answer and "这是临汾市的规定，深圳的做法请问当地12333" in answer
    assert "依据：" in answer


def test_cantonese_for_looking_for_work_is_a_job_search(conversation: Conversation) -> None:
    answer = conversation.say("搵工")
    assert "哪个城市" in answer or "共" in answer, answer  # a job search, not read as 「yes」


def test_a_city_and_a_trade_never_cancel(conversation: Conversation) -> None:
    # The model once read 「深圳 电子厂」 as 「取消」: the job seeker got 「已取消」 in the middle of a search.
    verify_dialog(conversation, [
        ("找工作", "哪个城市"),
        ("深圳 电子厂", "深圳"),
    ])
    assert "已取消" not in conversation.transcript[-1][1]
    assert "已取消" in conversation.say("取消")  # a word that cancels still does


def test_my_phone_number_without_de_is_a_phone_number(conversation: Conversation) -> None:
    answer = conversation.say("我电话13800138000")  # not 「我的电话」: once handed to staff
    assert "绑定" in answer and "已转给工作人员" not in answer, answer


def test_asking_for_work_in_cantonese_with_board_is_a_job_search(conversation: Conversation) -> None:
    answer = conversation.say("揾工 深圳 有冇包食宿嘅")  # the model read it as a policy question
    assert "深圳" in answer and "包吃住" in answer and "岗位" in answer, answer
    for wronged in ("找工作被中介骗了500块", "交了三百介绍费 那个厂根本不招人"):  # a wrong done: not a search
        answer = Conversation(conversation.pipeline).say(wronged)
        assert "岗位" not in answer, answer
