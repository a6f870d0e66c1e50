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
    ("vacancy_alert_off", re.compile(  # not the monthly wage question's (「问工资的消息不要再发了」)
        r"^(?!.*(?:工资|工钱|人工)).*(?:取消(?:岗位)?(?:订阅|提醒|通知)|(?:不要|不用|别)再?(?:通知|提醒|推送|发)(?:我|了)|退订岗位|关闭(?:提醒|通知))")),
    ("vacancy_alert_on", re.compile(
        r"(?:有|来)(?:了)?新(?:的)?(?:岗位|工作|活|招工)?.{0,4}(?:通知|告诉|提醒|发给|推送给?)我"
        r"|订阅(?:岗位|招工|工作|招聘)|岗位(?:提醒|通知|订阅)|(?:通知|提醒)我.{0,4}(?:新岗位|新工作|招工)")),
)


# --- the labour-export office's services (issue 16) ----------------------------------------------
# Each is a service word with the worker's own thing in it; a message that also speaks of a problem at
# work (欠薪, 骗, 伤, 扣钱, 合法吗) or of what the law or a subsidy says is that problem or question, not
# the service (「公司说岗前培训要交500块 这合法吗」「救助站在哪 钱包丢了」「厂里组织去旅游 不去扣钱吗」).
PROBLEM = (r"欠|拖欠|不给|没给|讨薪|投诉|举报|骗|伤|赔|扣|辞退|开除|仲裁|劳动局|合法|合理|正规|靠谱|违约|补贴|补助|"
           r"政策|规定")
TRADES = (r"电焊|电悍|焊工|厨师|烹饪|面点|家政|月嫂|育婴|护工|护理|叉车|挖掘机|铲车|电工|美发|理发|汽修|修车|电商|直播|"
          r"缝纫|保安")
MONTHLY = r"每个?月|月月|按月|每到月底|到月底"
PAY = r"工资|工钱|人工|公资|薪水|薪资"
SUBSIDY = r"补贴|补助|补帖|补助金|补贴款|路费|车费"  # 路费 and 车费: the transport subsidy in workers' words
SUBSIDY_PROBLEM = (r"欠|拖欠|骗|扣|克扣|冒领|被领|领走|拿走|贪|吞|截留|举报|投诉|(?<!给)不给|(?<!给)没给|不报|没报|"
                   r"合法|违法|餐补|饭补|房补|住房补|高温|夜班|加班|全勤|话补|交通费")
# One's own application: said as one's own (申请了, 我那个), or a step only an application has (进度, 审核, 到账).
MY_SUBSIDY = (rf"(?:申请了|申请过|申请的|我的|我那个|俺的|俺那个|我嘅)[^，,。？?]{{0,12}}"
              rf"(?:{SUBSIDY})|(?:{SUBSIDY})[^，,。？?]{{0,12}}(?:进度|审核|结果|批下来|批了|批没批|到账|到了[吗没]|"
              rf"发了[吗没]|发没发|给没给|收到没|点样|咋回事|怎么回事|还没到|还没发|没动静|没消息|有消息|显示|撤回|"
              rf"撤销|打到哪|到哪一?步|哪一步|到哪了|怎么样了|咋样了|什么时候到|啥时候到|什么时候发|啥时候发|下来没)|"
              rf"(?:进度|审核|撤回|撤销)[^，,。？?]{{0,8}}(?:{SUBSIDY})")
# Applying, or whether one may have it: 「去哪报路费」「社保补贴我能不能拿到」「我可唔可以攞」.
_MAY = r"能不能|能|可以|可不可以|可唔可以|中不中|行不行"
_TAKE = r"领|拿|申请|享受|攞|报|弄|办"
GET_SUBSIDY = (rf"(?:申请|申领|领取|办理?|去领|领|拿|要|报|弄|攞)(?:个|点|一下|下)?[^，,。？?]{{0,8}}(?:{SUBSIDY})|"
               rf"(?:{SUBSIDY})[^，,。？?]{{0,10}}(?:申请|申领|怎么领|去哪|在哪|哪里|哪个窗口|窗口|咋领|怎么办|咋办|办理|领取|"
               rf"怎么拿|(?:{_MAY})(?:{_TAKE})|拿到|领得到|有我的份|有没有我的|找谁|表格|怎么弄|咋弄|点报名|怎么报|"
               rf"符合|条件)|(?:{_MAY})(?:{_TAKE})[^，,。？?]{{0,8}}(?:{SUBSIDY})|(?:有|能领|能申请)(?:什么|哪些|啥)(?:{SUBSIDY})|"
               rf"(?:{SUBSIDY})有哪些|符合[^，,。？?]{{0,6}}(?:{SUBSIDY})|想(?:{_TAKE})[^，,。？?]{{0,6}}(?:八百|800)")


def _unless(exclusions: str, wanted: str) -> re.Pattern[str]:
    """``wanted`` anywhere in a message that says none of ``exclusions``."""
    return re.compile(rf"^(?!.*(?:{exclusions})).*(?:{wanted})")


# Family left at home (seed 004: the elderly, children, farm-season labour): help asked for them, not a
# question of leave (请假), schooling rules or a wrong at work.
KIN = (r"老人|老母|老父|老爹|老娘|爹|娘|爸|妈|父母|爷爷|奶奶|姥姥|姥爷|外婆|外公|孩子|娃|小孩|儿子|女儿|闺女|"
       r"老伴|媳妇|老婆")
CARE = (r"照顾|照看|看护|看看|看一下|看下|探望|没人管|没人照顾|没人看|没人带|没人接|帮忙|帮一下|帮帮|帮个忙|接送|"
        r"管一下|管管|搭把手|关照|操心|放心不下|不放心|生病了?没人|一个人在(?:老)?家|独自在(?:老)?家|没人陪")
FARM = r"农忙|农活|地里|庄稼|麦子|秋收|收麦|割麦|种地|插秧|玉米|苹果|棉花|稻子|水稻|花生|几亩地|亩地"
SERVICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # one's own registration first (「我的实名登记」; 「我的登记」 alone is a case's status: the bot calls a
    # filed report a 登记), then registering (「实名登记」); not a case (登记欠薪)
    ("my_registration", _unless(rf"{PROBLEM}", r"^(?:我的|查看?我的|看看我的)实名登记(?:信息)?$|我的实名登记|"
                                               r"实名登记信息")),
    ("register", _unless(
        rf"{PROBLEM}|工资|工钱|案件|投诉|举报|报名|培训|车|批次",
        r"实名登记|实名制?登记|(?:外出)?务工(?:人员)?登记|劳务(?:输出)?登记|(?:改|更新|修改)(?:一下)?(?:我的)?(?:登记|信息)|"
        r"(?:在|到|跟|向)?劳务办(?:登记|备案|登个记)|登记(?:一下)?(?:我的)?(?:个人)?信息|打工(?:的)?登记")),
    ("family_help", _unless(
        rf"{PROBLEM}|工资|请假|假期|陪护假|护理假|探亲假|几天假|放假|入学|转学|借读|上学的?政策|学籍|户口|能不能上学|"
        r"医保|报销|低保|五保|养老金|老板|公司|厂里|工地|招人|招工|找活|的活|活干|活儿|工作|介绍|想去|要去",
        rf"(?:老家|家里|屋里|村里|在家|留守)[^，,。？?]{{0,10}}(?:{KIN})[^，,。？?]{{0,12}}(?:{CARE})|"
        rf"(?:{KIN})[^，,。？?]{{0,8}}(?:在老家|在家里|留在家|在村里)[^，,。？?]{{0,24}}(?:{CARE})|"
        rf"(?:{CARE})[^，,。？?]{{0,4}}(?:老家|家里)的?(?:{KIN})|"
        rf"(?:老家|家里|村里)[^，,。？?]{{0,10}}(?:{CARE})[^，,。？?]{{0,4}}(?:{KIN})|留守(?:老人|儿童|孩子|妇女)|"
        rf"(?:老家|家里|屋里|家中)[^，,。？?]{{0,6}}(?:{FARM})[^，,。？?]{{0,10}}(?:没人|缺人|缺劳力|帮忙|帮收|帮种|回不去|"
        rf"顾不上|找人|忙不过来|来不及)|(?:{FARM})[^，,。？?]{{0,10}}(?:没人收|没人种|没人管|俺回不去|我回不去|回不去)")),
    # the monthly wage question: stop before start (「不用再每个月问了」 names both)
    ("check_in_off", _unless(
        r"找工作|找活|欠|拖欠",
        rf"(?:不用|别|不要|莫|唔使|唔好|不必)(?:你们)?再?(?:{MONTHLY})?(?:都)?(?:来)?问(?:我)?(?:的)?(?:{PAY}|了)|"
        rf"(?:不用|别|不要|不必)(?:你们)?(?:{MONTHLY})(?:都)?(?:来)?问|"
        rf"(?:{PAY})?(?:询问|提醒|问(?:{PAY})).{{0,6}}(?:关掉|关了|停了|停掉|取消|退订|不要了|不要再发)|"
        rf"(?:取消|关闭|关掉|退订|停掉?)\s*(?:每月|{MONTHLY})?(?:的)?(?:{PAY}|每月)?(?:询问|提醒|问)|"
        rf"问(?:{PAY}).{{0,10}}(?:不要再?发|别再?发|不用再?发|烦)")),
    ("check_in_on", _unless(
        rf"{PROBLEM}|社保|医保|交费|缴费|不用|别再|不要|取消|关掉|停",
        rf"(?:{MONTHLY}).{{0,8}}(?:问|盯|提醒|确认|查)(?:一?下|问)?.{{0,8}}(?:{PAY})|"
        rf"(?:{PAY}).{{0,8}}(?:{MONTHLY}).{{0,4}}(?:问|提醒|盯)|(?:{PAY})(?:询问|提醒)|每月问我|"
        rf"(?:开通|打开|订阅|开启)(?:{PAY}|每月)(?:询问|提醒)")),
    # subsidies (issue 16): one's own application, the public list, then applying. Whether a subsidy
    # exists or how much it pays (「学电焊政府给不给补贴」「出省打工有路费补贴吗」) is the law's question,
    # answered by its article, which offers the check; applying and eligibility are the service's.
    ("my_subsidies", _unless(rf"{SUBSIDY_PROBLEM}", rf"{MY_SUBSIDY}")),
    ("subsidy_public", _unless(
        rf"{SUBSIDY_PROBLEM}",
        rf"(?:{SUBSIDY}).{{0,6}}(?:公示|名单)|公示(?:名单)?.{{0,4}}(?:{SUBSIDY})|(?:谁|哪些人)(?:领|拿|申请)(?:到|了)?(?:{SUBSIDY})|"
        r"^.{0,4}公示名单|公示名单.{0,6}(?:哪|边度|在哪|看)")),
    ("find_subsidy", _unless(rf"{SUBSIDY_PROBLEM}|企业|公司|老板|单位|服务站|机构|报销|厂里", rf"{GET_SUBSIDY}")),
    # one's own sign-ups first: 「我报的电焊班报上了没」 is mine, not a search
    ("my_courses", _unless(
        rf"{PROBLEM}|身份证.{{0,6}}(?:押|压|拿走|还|要回|补办)|(?<![叉铲])车|专列|大巴|那趟|拾花|集合",
        r"我的培训|我的报名|查.{0,3}(?:我的)?报名|我报的(?:名|班|培训|课)|报名号|"
        r"(?:报名的|报的|报了的)(?:那个)?.{0,6}(?:班|培训|课).{0,8}(?:去不了|不去了|取消|退)|"
        r"(?:培训|班|课程?).{0,10}(?:报上|报没报上|报成|报名成功|报过名|报了没)|"
        r"(?:报了|报过名|报过|报咗|已经报|报名了).{0,14}(?:培训|班|课|开课|开班|报上|通知|几时|什么时候|啥时候)|"
        rf"(?:证书|培训证|结业证|技能证|等级证|合格证|(?:{TRADES}|培训|技能)的?证).{{0,6}}"
        r"(?:办好|下来|出来|发了|发没|什么时候|啥时候|怎么(?:领|拿)|咋领|去哪领|在哪领|领取|好了|做好)")),
    ("find_course", _unless(
        rf"{PROBLEM}|合同|工资|离职|辞职|服务期|交.{{0,4}}(?:钱|块|元)|招人的|招工|招聘|找工作|找活|上岗的|包吃住|进厂",
        rf"想学|学(?:个|门|点)?(?:手艺|技术)|学开?(?:{TRADES}|开车|驾驶)|(?:{TRADES})的?(?:培训|班|课)|培训班|开班|开课|"
        r"技能培训|免费培训|订单班|岗前培训|创业培训|(?:有|什么|哪些|啥)(?:免费的?)?培训|"
        r"培训.{0,4}(?:报名|在哪|哪里|什么时候|啥时候|几号|有吗|有没有|怎么报)|报(?:个)?名.{0,4}(?:培训|班)|"
        r"报个.{0,4}班|参加培训")),
    # one's own seat in a batch first: 「我报了去新疆的车 在哪集合」
    ("my_departures", _unless(
        rf"{PROBLEM}|车票|火车票|机票|买票",
        r"我的行程|我的(?:返岗|返乡)?车|集合(?:地点|地方|时间)|在哪(?:集合|上车)|几点(?:发车|上车|走)|"
        r"(?:报了|报过|报咗|报名了?|报的).{0,14}(?:车|批|专列|包车|大巴|队|那趟)|"
        r"(?:车|批|专列|包车|大巴|那趟).{0,12}(?:集合|上车|改时间|改没|退了|取消|不去了|去不成|去不了)|"
        r"(?:不去了|去不成了?|去不了了?).{0,10}(?:车|名|那趟|专列)|取消报名.{0,6}(?:车|专列|包车|那趟)")),
    ("find_departure", _unless(
        rf"{PROBLEM}|旅游|年会|团建|车费|车票|票|收钱|人头费|厂区|工资|报销|老板",
        r"(?:统一|组织|集体|带队|劳务办).{0,8}(?:去|走|出发|外出|出去|打工|务工|摘棉|拾花|输出)|"
        r"包车|专列|(?:返岗|返乡|务工)(?:大巴|专车|车|包车|专列)|(?:什么时候|哪天|几号)(?:发车|出发)|"
        r"(?:去|到).{1,6}的(?:车|队伍)|(?:拾花|摘棉花?).{0,6}(?:报名|什么时候走|哪天走|出发|组织)|"
        r"(?:什么时候|啥时候|哪天|几号)(?:去|走|出发).{0,6}(?:摘棉|拾花)|"
        r"跟(?:着)?(?:队|团|劳务办).{0,4}(?:走|去|出去)")),
    # where the home office has a station (「我在深圳 有老乡站吗」; 驻马店 is a city, 救助站 the state's)
    ("find_station", _unless(
        rf"{PROBLEM}|补多少|能补|管什么|干什么|是什么|谁出钱|交钱|收费|收钱|工资|工钱|老板|招人|救助站|驻马店|"
        r"在.{0,12}(?:站|点|处)(?:里|上)?(?:上班|干活|干了|打工|工作)",
        r"老乡(?:站|会|服务站|服务点|之家)|(?:服务|联络|劳务|维权|应急|工作)(?:站|点)|联络处|办事处|"
        r"驻.{1,4}(?:办事处|联络处|办|站)|(?:咱|我们|俺们?|本|老家|家乡)(?:县|乡|镇)的?.{0,6}(?:站|点|办事|帮忙|联络|人能帮)|"
        r"(?:县里|县上|老家|家乡|咱县|我们县)(?:的)?在(?:这边|这里|这|外面|当地)有(?:没有)?(?:人|站|办事|地方)")),
)


def match_command(text: str) -> str | None:
    for intent, pattern in COMMANDS + SERVICES:
        if pattern.search(text):
            return intent
    return None
