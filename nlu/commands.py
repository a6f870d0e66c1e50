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
    # the monthly wage question (issue 16), stop first: 「不用再问我工资了」
    ("check_in_off", re.compile(
        r"(?:不用|别|不要|莫)再?问(?:我)?(?:的)?工资|(?:取消|关闭|关掉)(?:每月)?(?:工资|每月)(?:询问|提醒|问)")),
    ("check_in_on", re.compile(
        r"每(?:个)?月.{0,6}问(?:我|一下|一次)?.{0,4}工资|(?:工资|每月)(?:询问|提醒)(?!.*欠)|每月问我|"
        r"(?:开通|打开|订阅|开启)(?:工资|每月)(?:询问|提醒)")),
    # stop first: 「不要再通知我新岗位了」 is a stop, not a subscription
    ("vacancy_alert_off", re.compile(
        r"取消(?:岗位)?(?:订阅|提醒|通知)|(?:不要|不用|别)再?(?:通知|提醒|推送|发)(?:我|了)|退订岗位|关闭(?:提醒|通知)")),
    ("vacancy_alert_on", re.compile(
        r"(?:有|来)(?:了)?新(?:的)?(?:岗位|工作|活|招工)?.{0,4}(?:通知|告诉|提醒|发给|推送给?)我"
        r"|订阅(?:岗位|招工|工作|招聘)|岗位(?:提醒|通知|订阅)|(?:通知|提醒)我.{0,4}(?:新岗位|新工作|招工)")),
    # where the home office has a station (「我在深圳 有老乡站吗」); a question about what the rules say of
    # stations (「服务站每人补多少」「服务站管什么」) stays a policy question, and a problem at work that names
    # a 服务站 or 办事处 (「在快递服务站上班 老板不给钱」) is that problem
    ("find_station", re.compile(
        r"^(?!.*(?:补贴|补助|补多少|政策|规定|文件|管什么|干什么|是什么|谁出钱|交钱|收费|"
        r"欠|工资|工钱|不给|投诉|举报|骗|伤|赔|辞退|开除|老板|上班))"
        r".*(?:老乡(?:站|会|服务站|服务点|之家)|(?:服务|联络|劳务|维权|救助|应急)(?:站|点)|联络处|办事处"
        r"|驻.{1,4}(?:办事处|联络处|办|站))")),
)


# training (issue 16): 「我的培训」 and the certificate before a course search, 「证书办好了没」 is about mine;
# what the law says of training (补贴, 服务期, 培训费 on leaving) stays a policy question
TRAINING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("my_courses", re.compile(
        r"我的培训|我报的(?:名|班|培训)|报名号|(?:证书|培训证|结业证|技能证|等级证|合格证).{0,4}"
        r"(?:办好|下来|发了|发没|什么时候|啥时候|怎么(?:领|拿)|到了|在哪领|好了)")),
    ("find_course", re.compile(
        r"^(?!.*(?:补贴|补助|补多少|政策|规定|文件|合同|工资|违约|赔|扣|离职|辞职|服务期))"
        r".*(?:想学|学(?:个|门|点)?(?:手艺|技术)|学(?:电焊|焊工|厨师|烹饪|做饭|挖掘机|叉车|电工|家政|月嫂|育婴|护理|"
        r"美发|理发|汽修|修车|开车|驾驶|缝纫|电商|直播)|培训班|开班|技能培训|免费培训|订单班|岗前培训|创业培训|"
        r"(?:有|什么|哪些|啥)(?:免费的?)?培训|培训.{0,4}(?:报名|在哪|哪里|什么时候|啥时候|有吗|有没有|怎么报)|"
        r"报(?:个)?名.{0,4}培训|参加培训)")),
)


def match_command(text: str) -> str | None:
    for intent, pattern in COMMANDS + TRAINING:
        if pattern.search(text):
            return intent
    return None
