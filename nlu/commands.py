"""Commands the model is not trained for: service words with one meaning, checked after Rasa so
the message's entities still come from the model (「东莞普工有新的通知我」 keeps 东莞 and 普工)."""

from __future__ import annotations

import re

COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a worker's rights over their data (PIPL): delete before show, 「删除我的信息」 contains 「我的信息」
    ("privacy_delete", re.compile(
        r"(?:删除|删掉|删了|清除|注销)(?:我的)?(?:个人)?(?:信息|资料|数据|记录|账号)|把我的(?:信息|资料|记录)删")),
    ("privacy_show", re.compile(
        r"^(?:查看|查)?我的(?:个人)?(?:信息|资料)$|(?:存|保存|记)了我(?:的)?(?:哪些|什么|啥)")),
    ("privacy_notice", re.compile(r"^隐私$|隐私(?:政策|说明|条款)|个人信息保护")),
    # stop first: 「不要再通知我新岗位了」 is a stop, not a subscription
    ("vacancy_alert_off", re.compile(
        r"取消(?:岗位)?(?:订阅|提醒|通知)|(?:不要|不用|别)再?(?:通知|提醒|推送|发)(?:我|了)|退订岗位|关闭(?:提醒|通知)")),
    ("vacancy_alert_on", re.compile(
        r"(?:有|来)(?:了)?新(?:的)?(?:岗位|工作|活|招工)?.{0,4}(?:通知|告诉|提醒|发给|推送给?)我"
        r"|订阅(?:岗位|招工|工作|招聘)|岗位(?:提醒|通知|订阅)|(?:通知|提醒)我.{0,4}(?:新岗位|新工作|招工)")),
)


def match_command(text: str) -> str | None:
    for intent, pattern in COMMANDS:
        if pattern.search(text):
            return intent
    return None
