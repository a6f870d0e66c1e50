"""Context carries (issue 14): a refinement keeps the last search; a follow-up keeps the last answer's topic."""

from __future__ import annotations

from tests.support.dialog import Conversation, verify_dialog


def test_a_refinement_after_a_list_of_jobs_searches_again_and_never_opens_a_form(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("深圳", "深圳 共"),
        ("有没有日结的", "日结"),
        ("别的城市呢", lambda a: "日结 共" in a and "没把握" not in a),  # the same search anywhere
        ("工资高点的", lambda a: "日薪" in a and "登记欠薪" not in a),  # once opened the wage-arrears form
    ])


def test_a_pay_floor_or_board_named_after_a_list_narrows_the_same_search(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("东莞有什么活", "东莞 共"),
        ("有没有一万的", ["东莞·10000元以上", "实木家具木工"]),  # was read as a yes: the main menu, search lost
        ("工资高点的呢", lambda a: "东莞·" in a and "登记欠薪" not in a),
        ("深圳", "深圳 共"),
        ("有没有包吃住的", ["深圳·包吃住", "工业园保安"]),
        ("8千以上的呢", lambda a: "深圳·包吃住·8000元以上" in a and "酒楼服务员" not in a),
        ("13912345678", lambda a: "13912元" not in a and "元以上" not in a),  # a phone number is no pay floor
    ])


def test_a_month_pay_after_day_rates_is_a_month_pay(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("东莞日结 一天200以上", "日薪200以上"),
        ("有没有8000的", lambda a: "日薪8000" not in a and "8000元以上" in a),  # not 8000 a day
    ])


def test_a_follow_up_to_an_answer_is_asked_in_its_light(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("加班费怎么算", "150%"),
        ("那周末呢", ["200%", "依据：《劳动法》第四十四条"]),  # was 「没看懂您的意思」
    ])


def test_a_follow_up_word_without_an_answer_before_is_not_taken_for_one(conversation: Conversation) -> None:
    reply = conversation.say("那周末呢")
    assert "200%" not in reply, reply


def test_better_pay_in_other_words_is_a_search_not_a_law_answer(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("深圳 普工", "深圳·普工"),
        ("有没有工资高的", lambda a: "元以上" in a and "依据" not in a),  # once the compensation cap's article
    ])


def test_a_follow_up_is_not_answered_with_the_article_just_given(conversation: Conversation) -> None:
    first = conversation.say("厂里不给交社保")
    follow = conversation.say("那我自己交行不行")
    assert follow.split("依据")[0] != first.split("依据")[0], (first, follow)  # was the same answer again


def test_a_trade_named_after_a_list_and_elsewhere_keep_the_search(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("找活", "哪个城市"),
        ("东莞", "东莞"),
        ("电子厂", ["东莞", "岗位"]),  # once read as a yes and answered with the main menu
        ("有没有包吃住的", "东莞·包吃住"),
        ("别的地方呢", ["包吃住", "岗位"]),  # anywhere, still with board: once asked for the city again
    ])
    assert "哪个城市" not in conversation.transcript[-1][1]


def test_a_story_of_harm_after_a_list_of_jobs_is_not_a_refinement(conversation: Conversation) -> None:
    verify_dialog(conversation, [("东莞 电子厂", "岗位")])
    answer = conversation.say("在电子厂受伤了")
    assert "岗位" not in answer, answer
