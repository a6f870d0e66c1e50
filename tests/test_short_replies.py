"""Short replies read against the question just asked (issue 14): 「是的」「不用了」 to a yes-or-no offer pick
that option; the model alone once answered a yes with the main menu and lost it."""

from __future__ import annotations

from tests.support.dialog import Conversation, verify_dialog


def test_a_short_no_declines_and_a_short_yes_confirms(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("删除我的信息", ["1 确定删除", "2 不删了"]),
        ("不用了", "1 找工作"),  # the no: nothing deleted, the menu
        ("删除我的信息", "确定删除吗"),
        ("是的", "您的信息已删除"),
    ])


def test_a_yes_in_words_opens_the_form_the_bot_asked_about(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("老板说下个月再说", ["您是要登记欠薪求助吗", "1 是，开始登记"]),  # the model's guess: asked first
        ("对的", ["好的，登记欠薪求助", "欠钱的老板或公司叫什么"]),
    ])


def test_a_short_word_without_a_yes_or_no_offer_is_still_small_talk(conversation: Conversation) -> None:
    verify_dialog(conversation, [("你好", "1 找工作"), ("好的", "请回复数字")])
