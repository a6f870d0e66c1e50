"""Forms answered in the worker's own words, and never looping (issue 14, first slice)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.conversation.pipeline import Pipeline
from domain.messages import Channel
from tests.support.dialog import Conversation, verify_dialog

START = ("老板欠我三个月工资", "宏达建筑", "东莞 宏达工地", "两万")


def to_evidence(conversation: Conversation) -> None:
    for said in START:
        conversation.say(said)
    assert "几个人" in conversation.transcript[-1][1]
    assert "有这些材料吗" in conversation.say("就我一个人")  # an answer to 「几个人」, not a call for a person


def test_evidence_in_words_with_what_is_missing(conversation: Conversation) -> None:
    to_evidence(conversation)
    verify_dialog(conversation, [("有工资条 没签合同", "留个手机号")])
    summary = conversation.say("匿名")
    assert "证据材料：考勤或工资条" in summary, summary


def test_no_contract_alone_is_an_answer(conversation: Conversation) -> None:
    to_evidence(conversation)
    verify_dialog(conversation, [("没签合同", "留个手机号")])


def test_a_question_not_understood_never_loops(conversation: Conversation) -> None:
    to_evidence(conversation)
    verify_dialog(conversation, [
        ("嗯嗯", "没看明白"),
        ("嗯嗯", "换个说法"),
        ("嗯嗯", ["这一项可以先跳过", "1 跳过这一项", "2 转人工", "3 取消登记"]),
        ("1", "留个手机号"),  # skipped: on to the next question
    ])
    assert "证据材料：（跳过了）" in conversation.say("匿名")


def test_after_the_way_on_is_offered_the_form_goes_on_instead_of_offering_it_again(conversation: Conversation) -> None:
    to_evidence(conversation)
    for said in ("嗯嗯", "嗯嗯", "嗯嗯"):
        conversation.say(said)
    verify_dialog(conversation, [("嗯嗯", lambda a: "这一项可以先跳过" not in a)])  # was offered again and again
    assert "先跳过" in conversation.transcript[-1][1] and "留个手机号" in conversation.transcript[-1][1]


def test_an_amount_per_person_is_multiplied_by_the_people_owed(conversation: Conversation) -> None:
    conversation.say("老板欠我们十个人三个月工资")
    for said in ("宏达建筑", "东莞 宏达工地"):
        conversation.say(said)
    asked = conversation.say("每人八千")
    assert "有这些材料吗" in asked, conversation.transcript  # the head count was already said
    summary = conversation.say("4")
    summary = conversation.say("匿名") if "手机号" in summary else summary
    assert "每人8000×10人=80000元" in summary, summary


def test_the_total_follows_when_the_head_count_comes_after_the_amount(conversation: Conversation) -> None:
    for said in ("老板欠我三个月工资", "宏达建筑", "东莞 宏达工地", "大概每人一万"):
        conversation.say(said)
    assert "有这些材料吗" in conversation.say("我们十个人")
    conversation.say("4")
    summary = conversation.say("匿名")
    assert "×10人=100000元" in summary, summary


def test_zero_turns_the_page_of_a_long_summary_on_sms(pipeline: Pipeline) -> None:
    sms = Conversation(pipeline, channel=Channel.SMS, user_id="+8613900001111")
    story = ("老板欠我们十个人三个月工资", "宏达建筑 包工头老李", "东莞市长安镇 锦绣小区工地 今年3月开始",
             "每人八千", "12")
    for said in story:
        sms.say(said)
    first = sms.say("匿名")
    assert "回复0看下一页" in first, first
    rest = sms.say("0")
    assert "请回复1确认提交" not in rest and "确认提交" in rest, rest  # the rest of the summary, not a miss


def test_a_plain_report_with_a_question_still_opens_the_form_and_is_confirmed_in_words(
        conversation: Conversation) -> None:
    verify_dialog(conversation, [("我想问下老板不给工资咋整", "登记欠薪求助")])  # no article answers it: the form
    for said in ("老板叫王大发 开装修公司的", "在东莞厚街 去年十月开始干", "三个多月没给", "大概两万五", "就我自己",
                 "有微信聊天记录 合同没签"):
        conversation.say(said)
    verify_dialog(conversation, [("不想留", "请核对欠薪求助"), ("对的 提交吧", "已提交。编号QX")])


def to_people(conversation: Conversation) -> None:
    for said in START[:3]:
        conversation.say(said)
    assert "一共欠多少钱" in conversation.transcript[-1][1]
    assert "几个人" in conversation.say("两万")


def test_a_head_count_in_words(conversation: Conversation) -> None:
    to_people(conversation)
    verify_dialog(conversation, [("整个班组十二个", "有这些材料吗"), ("123都有", "留个手机号"), ("不留", "请核对")])
    summary = conversation.transcript[-1][1]
    assert "被欠人数：12人" in summary and "证据材料：劳动合同、考勤或工资条、聊天记录或转账截图" in summary, summary


def test_me_and_my_brother_are_two(conversation: Conversation) -> None:
    to_people(conversation)
    conversation.say("就我和我哥")
    conversation.say("4")
    assert "被欠人数：2人" in conversation.say("匿名")


def test_a_day_rate_and_days_worked_make_the_amount(conversation: Conversation) -> None:
    for said in START[:3]:
        conversation.say(said)
    conversation.say("一天三百 干了四十天")
    conversation.say("1")
    conversation.say("4")
    assert "欠多少钱：12000元" in conversation.say("匿名"), conversation.transcript


def test_consent_and_a_phone_number_said_as_a_voice_transcript(conversation: Conversation) -> None:
    to_evidence(conversation)
    verify_dialog(conversation, [
        ("有聊天记录", "留个手机号"),
        ("嗯 那个 一三九 一二三四 五六七八", "同意把您的电话"),
        ("怕打击报复 不同意", "请核对"),
    ])
    summary = conversation.transcript[-1][1]
    assert "139****5678" in summary and "化名" in summary, summary


def test_the_summary_is_confirmed_in_words_and_never_shown_a_third_time(conversation: Conversation) -> None:
    to_evidence(conversation)
    conversation.say("4")
    assert "请核对" in conversation.say("匿名")
    verify_dialog(conversation, [
        ("啥", ["请回复1确认提交", "请核对"]),  # once more, with what to reply
        ("啥", ["还是没看明白", "1 确认提交", "2 修改", "3 转人工"]),  # not the summary a third time
        ("没毛病 提交吧", "已提交"),
    ])


def test_months_said_as_lia_in_the_first_message_are_not_asked_again(conversation: Conversation) -> None:
    answer = conversation.say("老板拖了俺们工钱 俩月了")
    assert "登记欠薪求助" in answer and "欠2个月" in answer, answer


def test_a_correction_puts_the_last_answer_right_and_the_form_goes_on(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("老板欠我工资", "欠钱的老板"),
        ("华达建筑", "在哪干的活"),
        ("广州 白云区 工地", "欠了几个月"),
        ("不对 是东莞", ["已改：干活地点：", "东莞", "欠了几个月"]),  # the place put right, the question again
        ("三个月", "一共欠多少钱"),
    ])


def test_when_the_work_began_is_read_back_as_the_months_meant(conversation: Conversation) -> None:
    last_year = date.today().year - 1
    for said in ("老板欠我三个月工资", "宏达建筑", "东莞 宏达工地 去年10月开始干的", "两万", "就我一个人", "4"):
        conversation.say(said)
    summary = conversation.say("匿名")
    assert f"干活地点：东莞 宏达工地（{last_year}年10月起）" in summary, summary


def test_when_it_happened_is_read_back_as_the_month_meant(conversation: Conversation) -> None:
    for said in ("中介收了我800押金 不给介绍工作也不退", "东莞 华达劳务"):
        conversation.say(said)
    assert "什么时候的事" in conversation.transcript[-1][1], conversation.transcript
    conversation.say("上上个月")
    summary = conversation.say("匿名")
    month = (date.today().year * 12 + date.today().month - 1) - 2
    assert f"时间：上上个月（{month // 12}年{month % 12 + 1}月）" in summary, summary


def test_a_nod_is_not_taken_for_a_name(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("这个月工资又没发", "欠钱的老板或公司叫什么"),
        ("好", "欠钱的老板或公司叫什么"),  # the employer was once recorded as 「好」
        ("宏达建筑", "在哪干的活"),
    ])
    assert "没看明白" not in conversation.transcript[1][1]  # a nod to the opening question is not scolded
    verify_dialog(conversation, [("好的", "没看明白")])  # later, a nod to where is no answer to it


def test_a_filler_alone_is_no_name_and_no_place(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("这个月工资又没发", "欠钱的老板或公司叫什么"),
        ("嗯", "好的，请说"),
        ("嗯", "没看明白"),  # 「嗯」 was once recorded as the employer, then as the place
        ("宏达建筑", "在哪干的活"),
        ("嗯", "没看明白"),
    ])


def test_nodding_again_at_the_first_question_counts_as_a_miss(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("这个月工资又没发", "欠钱的老板或公司叫什么"),
        ("好", "好的，请说"),
        ("好", "没看明白"),  # once was enough: no loop of 「好的，请说」
        ("好", "换个说法"),
        ("好", "这一项可以先跳过"),
    ])


def test_a_place_alone_in_traditional_characters_is_shown_once(conversation: Conversation) -> None:
    last_year = date.today().year - 1
    for said in ("老板欠我三个月工资", "宏达建筑", "東莞 長安 去年十月開始", "兩萬", "就我一个人", "4"):
        conversation.say(said)
    summary = conversation.say("匿名")
    assert f"干活地点：东莞长安镇（{last_year}年10月起）" in summary, summary  # was 「东莞长安镇 东莞 长安」


def test_two_months_in_words_are_not_two_people(conversation: Conversation) -> None:
    opened = conversation.say("那个 老板欠我俩月工钱 一共一万二")
    assert "欠2个月" in opened and "12000元" in opened and "2人" not in opened, opened  # 「我俩月」 read as 2 people


def test_alone_in_northern_words(conversation: Conversation) -> None:
    for said in ("老板欠俺俩月工钱 一共一万二", "宏达建筑 包工头老刘", "东莞长安 去年十月开始干的"):
        conversation.say(said)
    assert "有这些材料吗" in conversation.say("就俺自己")  # was 「没看明白」: 俺 is 我


def test_just_the_two_of_us(conversation: Conversation) -> None:
    for said in ("老板欠我三个月工资", "宏达建筑", "东莞 宏达工地", "两万"):
        conversation.say(said)
    conversation.say("就我俩")
    conversation.say("4")
    summary = conversation.say("匿名")
    assert "被欠人数：2人" in summary, summary  # 「就我」 matched first once: 1


def test_about_ten_people_is_shown_as_about(conversation: Conversation) -> None:
    for said in ("老板欠我三个月工资", "宏达建筑", "东莞 宏达工地", "两万", "十几个", "4"):
        conversation.say(said)
    assert "被欠人数：10多人" in conversation.say("匿名")  # was 「10人」


def test_an_unknown_boss_with_a_known_contractor_keeps_the_contractor(conversation: Conversation) -> None:
    for said in ("老板欠我俩月工钱咋整", "不知道叫啥 就知道包工头姓刘", "在东莞厚街 过完年来的", "俩月 一万二左右",
                 "就我自己", "啥也没有"):
        conversation.say(said)
    summary = conversation.say("不留了")
    assert "老板/单位：不知道（包工头姓刘）" in summary, summary  # the contractor was dropped
    assert "（按「一万二」记）" in summary, summary  # not 「俩月 一万二左右」


REPORTED = ("包工头欠我三个月工钱", "刘老板", "成都 天府新区 万科工地 今年3月开始", "两万四", "就我自己", "有聊天记录",
            "13800138000", "同意")


def test_words_at_the_summary_that_only_look_like_a_correction_change_nothing(conversation: Conversation) -> None:
    for said in REPORTED:
        conversation.say(said)
    for said in ("老板叫我明天去拿钱", "老板是不是跑了"):
        assert "已改" not in conversation.say(said)
    fixed = conversation.say("是3个人")  # a line put right, not a yes that files
    assert "被欠人数：3人" in fixed and "已提交" not in fixed, fixed
    assert "老板/单位：刘老板" in fixed  # and the employer is still the boss named


@pytest.mark.parametrize(("fix", "now"), [
    ("不对 钱是两万六", "欠多少钱：26000元\n"),  # was 「请回复1确认提交…」 and the summary unchanged
    ("不对 是两万六", "欠多少钱：26000元\n"),  # the line told by the value
    ("老板叫李建军", "老板/单位：李建军"),
    ("错了 应该是4个月", "欠了几个月：4个月"),
    ("人数是3个", "被欠人数：3人"),
    ("电话是13900139000", "联系电话：139****9000"),
])
def test_a_line_of_the_summary_is_put_right_in_words(conversation: Conversation, fix: str, now: str) -> None:
    for said in REPORTED:
        conversation.say(said)
    assert "请核对欠薪求助" in conversation.transcript[-1][1]
    fixed = conversation.say(fix)
    assert fixed.startswith("已改：") and now in fixed and "请核对欠薪求助" in fixed, fixed
    assert "已提交" in conversation.say("1")


def test_answers_given_before_their_question_are_kept_and_the_open_question_asked_again(
        conversation: Conversation) -> None:
    """Asked where they worked, a worker says how much, how many and what proof they have: each is kept
    for its own question (not recorded as the place, not 「没看明白」), and the place is asked again."""
    verify_dialog(conversation, [
        ("老板欠我工资三个月了", "老板或公司叫什么"),
        ("东莞的一个鞋厂 叫不出名字", "在哪干的活"),
        ("大概一万五吧", ["已记下", "一万五", "在哪干的活"]),
        ("就我一个人", ["1人", "在哪干的活"]),
        ("有个微信聊天记录", ["聊天记录", "在哪干的活"]),
        ("长安镇 去年8月开始干的", "手机号"),  # amount, head count and evidence are not asked again
        ("匿名", ["欠多少钱：15000元", "被欠人数：1人", "证据材料：聊天记录", "干活地点：东莞"]),
    ])
    assert "没看明白" not in "".join(answer for _, answer in conversation.transcript)


def test_what_happened_told_when_asked_who_is_the_story(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("我要投诉黑中介", "叫什么名字"),
        ("收了我500块说包进厂 结果没有", ["已记下", "叫什么名字"]),  # the story, not the agency's name
        ("叫什么人力资源 在长安", "什么时候"),  # the story is not asked for again
        ("上个月", "手机号"),
        ("匿名", ["经过：收了我500块说包进厂", "单位/中介：什么人力资源"]),
    ])


def test_a_head_count_is_not_money(conversation: Conversation) -> None:
    answer = conversation.say("工地老板跑了 欠我们二十几个人的钱")  # 「二十几」 once became 20多元
    assert "20多人" in answer and "元" not in answer.split("已记下")[-1].split("。")[0], answer


def test_a_crew_report_answered_ahead_files_without_asking_twice(conversation: Conversation) -> None:
    """Evidence and a phone number given before their questions are kept; 「半年」 in the first message
    is six months; the summary shows all of it."""
    verify_dialog(conversation, [
        ("我们班组12个人 包工头欠了半年的钱 一共二十多万 工地在西安", ["欠6个月", "12人"]),
        ("包工头叫张建国", "在哪干的活"),
        ("西安高新区 去年3月", "有这些材料吗"),
        ("有考勤 没合同", "手机号"),
        ("13912345678", "同意把您的电话"),
        ("同意", ["欠了几个月：6个月", "被欠人数：12人", "证据材料：考勤或工资条", "139****5678"]),
    ])


def test_not_wanting_to_give_a_phone_said_early_is_kept_and_a_nod_is_no_date(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("我要举报", "反映什么问题"),
        ("老板不给交社保", "叫什么名字"),
        ("电子厂 在苏州", "发生了什么"),
        ("厂里一直不给我们交社保 问了就说再等等", "什么时候"),
        ("不想说电话", ["匿名", "什么时候"]),  # the phone question's answer, given early
        ("确认", "什么时候"),  # a nod is not when it happened
        ("去年就这样了", ["请核对", "联系电话：匿名"]),
    ])


def test_money_in_renminbi_is_money_and_a_year_is_no_amount(conversation: Conversation) -> None:
    answer = conversation.say("老板欠我一万多人民币")
    assert "10000多元" in answer or "一万多" in answer, answer
    assert "人。" not in answer.split("已记下")[-1].split("\n")[0], answer  # not 10000 people


def test_a_hedged_amount_and_a_small_range_of_people(conversation: Conversation) -> None:
    """「呃 差不多七八千吧」 is an amount (it was asked for again), and 「四五个」 people are about four, not
    「4多人」."""
    for said in START[:3]:
        conversation.say(said)
    verify_dialog(conversation, [("呃 差不多七八千吧", "几个人被欠"), ("四五个", "有这些材料吗"), ("4", "留个手机号"),
                                 ("匿名", ["欠多少钱：7000多元", "被欠人数：约4人"])])


@pytest.mark.parametrize(("said", "category"), [
    ("胳膊被机器夹伤了", "不安全或受了伤"),
    ("招聘广告上说包吃住 去了才知道是假的", "黑中介或乱收费"),
    ("嗯 别的问题", "其他"),
    ("以上都不是", "其他"),
])
def test_the_complaint_kind_in_the_workers_words(conversation: Conversation, said: str, category: str) -> None:
    verify_dialog(conversation, [("我要投诉", "您要反映什么问题"), (said, "叫什么名字")])
    answers = {"叫什么名字": "不知道", "发生了什么": "就是这个事 想让人管管", "什么时候": "上个礼拜", "手机号": "匿名"}
    reply = conversation.say("不知道")
    for _ in range(4):
        if "请核对" in reply:
            break
        reply = conversation.say(next(a for asked, a in answers.items() if asked in reply))
    assert f"类别：{category}" in reply, conversation.transcript
    if len(said) >= 8:  # told in words: what happened is not asked again
        assert all("发生了什么" not in r for _, r in conversation.transcript), conversation.transcript


def test_a_question_about_rights_in_the_middle_of_the_form_is_answered_and_the_form_goes_on(
        conversation: Conversation) -> None:
    """Asked where they worked, a worker asks how overtime is paid: the law answers it and the same question
    comes again (the question was once recorded as the place); a job search waits for the form."""
    verify_dialog(conversation, [
        ("老板欠我两个月工资", "老板或公司叫什么"),
        ("宏发电子厂", "在哪干的活"),
        ("周末叫我们加班 加班费到底怎么算", ["依据：《劳动法》第四十四条", "接着登记：在哪干的活"]),
        ("东莞塘厦 去年10月开始", "一共欠多少钱"),
        ("我想顺便找工作 深圳那边的", ["填完就帮您找活", "一共欠多少钱"]),
        ("一万二", "几个人被欠"),
        ("就我自己", "有这些材料吗"),
        ("有工资条", "留个手机号"),
        ("匿名", ["干活地点：东莞塘厦镇", "欠多少钱：12000元", "被欠人数：1人"]),
    ])


def test_where_to_complain_the_status_and_work_wanted_mid_form_are_answered_not_recorded(
        conversation: Conversation) -> None:
    """「那我能去哪里告他」, 「查询进度」 and 「有没有包吃住的活」 asked where they worked were once recorded as
    the place or got 「没看明白」: each is answered and the same question comes again; a third thing said at
    the same question that is plainly no answer counts as a miss, so the way on still comes."""
    verify_dialog(conversation, [
        ("老板欠我工资", "老板或公司叫什么"),
        ("他们公司叫什么我忘了", "在哪干的活"),
        ("那我能去哪里告他", ["这份登记就是帮您反映", "劳动保障监察", "接着登记：在哪干的活"]),
        ("查询进度", ["您还没有已提交的登记", "接着登记：在哪干的活"]),
        ("有没有包吃住的活", ["没看明白", "在哪干的活"]),
        ("东莞长安", "一共欠多少钱"),
    ])
    assert "在哪干的活" not in conversation.say("有没有包吃住的活")  # asked the amount: a first aside is answered
    summary = conversation.say("取消")
    assert "已取消" in summary


def test_a_name_said_with_doubt_is_the_name_not_a_question(conversation: Conversation) -> None:
    verify_dialog(conversation, [("老板欠我工资", "老板或公司叫什么"), ("华达劳务吧？", "在哪干的活")])


def test_a_question_the_law_cannot_answer_mid_form_is_kept_for_staff(conversation: Conversation) -> None:
    verify_dialog(conversation, [
        ("我要投诉", "您要反映什么问题"), ("1", "叫什么名字"),
        ("这种情况能报警吗", ["这个问题已记下", "接着登记：", "叫什么名字"]),
        ("不知道", "发生了什么"), ("收了三百块介绍费 没安排活", "什么时候的事"), ("上个月", "手机号"),
        ("匿名", "请核对"), ("1", ["已提交", "您登记时问的1个问题，工作人员会一并答复"]),
    ])


def test_a_question_back_is_not_taken_for_when_it_happened(conversation: Conversation) -> None:
    verify_dialog(conversation, [("我要投诉", "您要反映什么问题"), ("1", "叫什么名字"), ("不知道", "发生了什么"),
                                 ("收了我五百块介绍费 没给安排活", "什么时候的事"),
                                 ("这个能要回来吗", lambda a: "什么时候的事" in a and "请核对" not in a)])


def test_a_name_followed_by_a_question_keeps_the_name_and_answers_the_question(conversation: Conversation) -> None:
    """「华达劳务 押金能退吗」 asked the agency's name: the name is kept and the question answered after it
    (the whole message was once thrown away for the answer)."""
    verify_dialog(conversation, [
        ("我要投诉", "您要反映什么问题"), ("1", "叫什么名字"),
        ("华达劳务 中介收的押金能退吗", ["依据：", "接着登记：", "发生了什么"]),
        ("去年交了800块押金 一直不给安排活", "什么时候的事"), ("去年冬天", "手机号"),
        ("匿名", "单位/中介：华达劳务"),
    ])


def test_the_year_a_job_search_began_is_when_not_a_search(conversation: Conversation) -> None:
    verify_dialog(conversation, [("我要投诉", "您要反映什么问题"), ("1", "叫什么名字"), ("不知道", "发生了什么"),
                                 ("收了介绍费不给安排", "什么时候的事"), ("去年3月找工作的时候", "手机号")])
