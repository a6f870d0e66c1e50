"""A small rule layer that keeps the bot useful when the Rasa server is down or slow.

Keywords in priority order; the first that matches decides. Cities and trades come from the
gazetteer, so 「苏州普工」 still finds jobs. The worker is never told that a fallback happened.
"""

from __future__ import annotations

import re

from nlu.gazetteer import Gazetteer
from nlu.result import FALLBACK_INTENT, Entity, NluResult

RULE_CONFIDENCE = 0.9

# (intent, pattern) — earlier rules win. Patterns run on normalised text.
KEYWORD_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        ("human_agent", r"转人工|人工客服|真人|找客服|人工服务|跟人说"),
        ("cancel", r"^(取消|退出|不弄了|不办了|算了吧?|重新来)$"),
        ("check_status", r"进度|(?:TS|QX)\d{8,}|案子.*(怎么样|结果)|投诉.*(怎么样|结果|回复)"),
        ("report_wage_arrears",
         r"欠薪|欠.{0,4}(工资|工钱|钱)|拖欠|讨薪|不给钱|不发工资|没发工资|不结账|结不了账|跑路|要工资|工钱"),
        ("file_complaint", r"投诉|举报|黑中介|被骗|骗子|押.{0,2}身份证|扣.{0,2}身份证|不签合同|没签合同"),
        ("ask_policy", r"政策|补贴|社保|医保|工伤|仲裁|劳动合同|上学|土地|培训|法律援助|养老保险|12333"),
        ("search_vacancy", r"找工作|找活|招.{0,3}工|招人|进厂|日结|岗位|工作|上班|包吃住|招聘|缺人"),
        ("help", r"^(菜单|帮助|help|怎么用|不会用|你能做什么|\?|？)$"),
        ("greet", r"^(你好|您好|在吗|在不在|hi|hello|哈喽|嗨|早上好|晚上好)[啊呀吗!！~。 ]*$"),
        ("thank", r"谢谢|多谢|感谢|thanks?"),
        ("goodbye", r"^(再见|拜拜|bye|88)[!！。 ]*$"),
        ("affirm", r"^(是|是的|对|对的|好|好的|确认|可以|嗯|行|ok)[!！。 ]*$"),
        ("deny", r"^(不|不是|不要|不对|没有|不用)[!！。 ]*$"),
    )
)
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CASE_ID = re.compile(r"(?:TS|QX)\d{11,12}", re.IGNORECASE)


def rule_parse(text: str, gazetteer: Gazetteer) -> NluResult:
    entities: list[Entity] = gazetteer.find(text)
    entities += [Entity("phone", m.group(), m.group(), "rules") for m in PHONE.finditer(text)]
    entities += [Entity("case_id", m.group().upper(), m.group(), "rules") for m in CASE_ID.finditer(text)]
    for intent, pattern in KEYWORD_RULES:
        if pattern.search(text):
            return NluResult(intent, RULE_CONFIDENCE, tuple(entities), source="rules")
    if any(e.name in ("city", "job_type") for e in entities):
        return NluResult("search_vacancy", RULE_CONFIDENCE, tuple(entities), source="rules")
    return NluResult(FALLBACK_INTENT, 0.0, tuple(entities), source="rules")
