"""Unit tests of the pieces workers' messages pass through (no services needed)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from config import ConfigError, Settings
from domain.crypto import DataCipher, mask_address, mask_text
from domain.dialogue import DialogueState
from domain.messages import Option, Reply
from handlers import default_registry
from handlers.base import Context, DuplicateIntentError, build_registry
from handlers.intake import fields
from handlers.menu import FallbackHandler, GreetHandler
from nlu.gazetteer import load_gazetteer
from nlu.normalize import normalize, parse_amount
from nlu.result import CONTRACT_INTENTS, NluResult
from nlu.rules import rule_parse


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("老闆欠我們工錢三個月了", "老板欠我们工钱3个月了"),  # Traditional → Simplified, 三个月 → 3个月
        ("ｓｕｚｈｏｕ　找工作！", "苏州 找工作!"),  # full-width → half-width, and pinyin among Chinese read
        ("欠我八千五块", "欠我8500块"),
        ("一直不给钱", "一直不给钱"),  # an idiom with 一 is not a number
        ("包工头欠我八千五工钱", "包工头欠我8500工钱"),
        ("十分感谢 千万别忘了", "十分感谢 千万别忘了"),
        ("一万二", "12000"),
        ("我们五六个人 干了七八个月", "我们五六个人 干了七八个月"),  # ranges stay in words
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "value", "approx"),
    [("八千五", 8500, False), ("1万2", 12000, False), ("两万多", 20000, True), ("3千5", 3500, False),
     ("1.5万", 15000, False), ("8500块", 8500, False), ("五百元", 500, False), ("3个月", 3, False),
     ("七八个月", 7, True), ("两三万", 20000, True), ("五六个人", 5, True),
     ("呃 差不多七八千吧", 7000, True), ("大约3万", 30000, False), ("总共一万二啊", 12000, False)],
)
def test_parse_amount(raw: str, value: int, approx: bool) -> None:
    assert parse_amount(raw) == (value, approx)


def test_parse_amount_without_a_number() -> None:
    assert parse_amount("很多钱") is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("老板跑路了 欠我们工钱", "report_wage_arrears"),
        ("我要举报黑中介", "file_complaint"),
        ("转人工", "human_agent"),
        ("你好", "greet"),
        ("东莞有没有日结的活", "search_vacancy"),
        ("苏州普工", "search_vacancy"),
        ("工伤怎么认定", "ask_policy"),
        ("我的投诉有结果了吗", "check_status"),
        ("今天天气怎么样", "nlu_fallback"),
    ],
)
def test_rule_layer_when_rasa_is_down(text: str, intent: str) -> None:
    result = rule_parse(normalize(text), load_gazetteer())
    assert result.intent == intent
    assert result.intent in CONTRACT_INTENTS


def test_rule_layer_finds_city_and_trade_with_synonyms() -> None:
    result = rule_parse(normalize("鹏城 流水线 招人吗"), load_gazetteer())
    assert result.first("city") == "深圳"
    assert result.first("job_type") == "普工"


def test_registry_rejects_two_handlers_for_one_intent() -> None:
    class Another:
        intents: ClassVar[tuple[str, ...]] = ("greet",)

        def handle(self, ctx: Context) -> Reply:
            return Reply("x")

    with pytest.raises(DuplicateIntentError, match="greet"):
        build_registry([GreetHandler, Another], FallbackHandler)


def test_every_contract_intent_has_a_handler_or_the_fallback() -> None:
    registry = default_registry()
    for intent in CONTRACT_INTENTS - {"nlu_fallback", "out_of_scope"}:
        assert registry.serves(intent), intent
    assert isinstance(registry.resolve("nlu_fallback"), FallbackHandler)


def test_reply_renders_numbered_options() -> None:
    reply = Reply("请选择：", (Option("找工作", "search_vacancy"), Option("转人工", "human_agent")))
    assert reply.render_text() == "请选择：\n1 找工作\n2 转人工"
    assert Reply.from_dict(reply.to_dict()) == reply


def test_dialogue_state_round_trips() -> None:
    state = DialogueState(options=[Option("a", "b", {"ref": "V1"})], more=Option("看更多", "x"), flow="f",
                          data={"k": 1})
    assert DialogueState.from_json(state.to_json()) == state


def test_personal_data_is_encrypted_and_masked() -> None:
    cipher = DataCipher("k1")
    token = cipher.encrypt("+8613812345678")
    assert "13812345678" not in token and cipher.decrypt(token) == "+8613812345678"
    assert cipher.blind_index("x") == DataCipher("k1").blind_index("x") != DataCipher("k2").blind_index("x")
    assert mask_address("+8613812345678") == "+86138****5678"
    assert mask_text("电话13812345678 身份证110101199003071234") == "电话138****5678 身份证110101********4"


def test_production_mode_names_every_missing_secret() -> None:
    with pytest.raises(ConfigError) as err:
        Settings(_env_file=None, env="production").check_production()  # type: ignore[call-arg]
    for name in ("GONGYOU_SECRET_KEY", "GONGYOU_WECHAT_TOKEN", "GONGYOU_WECHAT_AES_KEY", "GONGYOU_TWILIO_AUTH_TOKEN",
                 "GONGYOU_DATABASE_URL"):
        assert name in str(err.value)


def test_development_mode_runs_on_defaults() -> None:
    Settings(_env_file=None).check_production()  # type: ignore[call-arg]


def test_numbers_reconciled_after_the_model() -> None:
    from nlu.result import Entity, NluResult
    from nlu.service import NluService

    service = NluService(rasa=None, gazetteer=load_gazetteer(), threshold=0.5)  # type: ignore[arg-type]
    raw = NluResult("report_wage_arrears", 0.99, (
        Entity("amount", "1万", extractor="DIETClassifier"),
        Entity("amount", "2", extractor="DIETClassifier"),
        Entity("amount", "1万2", extractor="RegexEntityExtractor"),
        Entity("months", "8500", extractor="DIETClassifier"),
        Entity("months", "三", extractor="DIETClassifier"),
    ))
    cleaned = service._clean(raw)
    assert [(e.name, e.value) for e in cleaned.entities] == [("amount", 12000), ("amount", 8500), ("months", 3)]


def test_number_followed_by_duo_is_approximate() -> None:
    from nlu.result import Entity, NluResult
    from nlu.service import NluService

    service = NluService(rasa=None, gazetteer=load_gazetteer(), threshold=0.5)  # type: ignore[arg-type]
    text = "老板欠我们20000多块工钱"
    start = text.index("20000")
    found = Entity("amount", "20000", "20000", "DIETClassifier", start=start, end=start + 5)
    raw = NluResult("report_wage_arrears", 0.99, (found,))
    (amount,) = service._clean(raw, text).entities
    assert amount.value == 20000 and amount.approximate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("shenzhen you pugong ma", "深圳有普工吗"), ("laoban qian wo gongzi", "老板欠我工资"), ("zhuan rengong", "转人工"),
     ("STOP", "STOP"), ("help", "help")],
)
def test_pinyin_only_messages_become_chinese(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


class _UnsureRasa:
    def parse(self, text: str):  # type: ignore[no-untyped-def]
        from nlu.result import NluResult

        return NluResult("nlu_fallback", 0.3)


def test_keywords_back_up_an_unsure_model() -> None:
    from nlu.service import NluService

    service = NluService(_UnsureRasa(), load_gazetteer(), threshold=0.45)  # type: ignore[arg-type]
    assert service.understand("干活把手弄伤了 算不算工伤")[1].intent == "ask_policy"
    assert service.understand("今天吃什么")[1].intent == "nlu_fallback"


def test_geography_table_is_closed_and_covers_every_lookup_city() -> None:
    from nlu.geo import load_places

    places = load_places()
    lookup_cities = {surface for surface, entity, _ in load_gazetteer().terms if entity == "city"}
    canonical = {load_gazetteer().canonical("city", s) for s in lookup_cities}
    assert canonical - set(places) == set()
    assert all(places[p.city].city == p.city for p in places.values())  # every city maps to itself


def test_district_resolves_to_city_and_province() -> None:
    from nlu.geo import locate

    assert locate("宝安") == locate("宝安区".removesuffix("区")) and locate("宝安").city == "深圳"  # type: ignore[union-attr]
    assert (locate("江阴").city, locate("江阴").province) == ("无锡", "江苏")  # type: ignore[union-attr]
    assert locate("深圳市").province == "广东"  # type: ignore[union-attr]


def test_second_topic_is_offered() -> None:
    from bot.conversation.pipeline import offer_second_topic
    from nlu.result import NluResult

    reply = Reply("讨薪先做三件事", (Option("转人工", "human_agent"),))
    story = NluResult("report_wage_arrears", 0.6, ranking=(("report_wage_arrears", 0.6), ("ask_policy", 0.3)))
    offered = offer_second_topic(reply, story)
    assert [o.action for o in offered.options] == ["human_agent", "ask_policy"]
    assert offered.options[-1].label == "还有政策咨询"
    clear = NluResult("report_wage_arrears", 0.97, ranking=(("report_wage_arrears", 0.97), ("ask_policy", 0.02)))
    assert offer_second_topic(reply, clear) == reply


class _FixedRasa:
    def __init__(self, result):  # type: ignore[no-untyped-def]
        self.result = result

    def parse(self, text: str):  # type: ignore[no-untyped-def]
        return self.result


def _understand(text: str, intent: str, *entities):  # type: ignore[no-untyped-def]
    from nlu.result import NluResult
    from nlu.service import NluService

    service = NluService(_FixedRasa(NluResult(intent, 0.99, tuple(entities))), load_gazetteer(), 0.45)
    return service.understand(text)[1]


def test_model_entities_are_validated() -> None:
    from nlu.result import Entity

    result = _understand("老板转了1000 说剩下的7000 在绍兴纺织厂 石沉大海", "report_wage_arrears",
                         Entity("phone", "1000", extractor="DIETClassifier", start=4, end=8),
                         Entity("city", "绍兴纺织厂", extractor="DIETClassifier"),
                         Entity("city", "石沉大海", extractor="DIETClassifier"),
                         Entity("case_id", "两周", extractor="DIETClassifier"))
    assert sorted((e.name, e.value) for e in result.entities) == [("amount", 1000), ("amount", 7000), ("city", "绍兴")]
    city = next(e for e in result.entities if e.name == "city")
    assert city.province == "浙江"


def test_money_read_from_text_in_money_talk_only() -> None:
    from nlu.result import Entity

    arrears = _understand("一天260 干了38天 老板给了5000 还差4880 2个月工钱1万3", "report_wage_arrears",
                          Entity("amount", "1万", extractor="DIETClassifier", start=33, end=35))
    assert sorted(e.value for e in arrears.entities if e.name == "amount") == [260, 4880, 5000, 13000]
    job = _understand("找活 徐州 月薪1万", "search_vacancy")
    assert not [e for e in job.entities if e.name == "amount"]


@pytest.mark.parametrize(("text", "months", "approx"), [
    ("老板欠了我们三个多月工资", [3], True),
    ("欠我2个月工钱 8千5", [2], False),
    ("工地拖了七八个月没结账", [7], True),
    ("欠两月工资了", [2], False),
    ("3月份的工资和4月底的都没发", [], False),  # calendar months are not a count
])
def test_months_owed_read_from_text(text: str, months: list[int], approx: bool) -> None:
    from nlu.result import Entity

    # the model tagged the 「2」 of 「2个月」 as an amount: the months reading replaces it
    result = _understand(text, "report_wage_arrears", Entity("amount", "2", extractor="DIETClassifier", start=3, end=4))
    found = [e for e in result.entities if e.name == "months"]
    assert [e.value for e in found] == months
    assert all(e.approximate == approx for e in found)
    assert len([e for e in result.entities if e.name in ("months", "amount")]) == len(
        {(e.start, e.end) for e in result.entities if e.name in ("months", "amount")})


def test_personal_numbers_are_kept_from_the_model() -> None:
    from nlu.phone import shield

    text, phones = shield("老板电话139 1111 2222 我证号11010119900307451X 欠我8500")
    assert phones == ["139 1111 2222"]
    assert "1111" not in text and "451X" not in text and "8500" in text
    result = _understand("老板电话13911112222 欠我8500", "report_wage_arrears")
    assert sorted((e.name, e.value) for e in result.entities) == [("amount", 8500), ("phone", "13911112222")]


# --- the labour-export office's service commands (nlu/commands.py) ------------------------------

SERVICE_WORDS = [
    ("我在深圳 有老乡站吗", "find_station"),
    ("北京有没有我们县的联络处", "find_station"),
    ("服务站每人每年补多少", None),  # what the rules say of stations: a policy question
    ("我在快递服务站上班 老板不给钱", None),  # a problem at work that happens to name a 服务站
    ("想学电焊", "find_course"),
    ("电焊培训在哪报名", "find_course"),
    ("学电焊政府给不给补贴", None),  # the subsidy: a policy question
    ("公司培训后离职要赔培训费吗", None),  # the law on training costs
    ("焊工证书什么时候发", "my_courses"),
    ("身份证什么时候能拿回来", None),  # a card held by the boss, not a certificate
    ("每个月问问我工资发了没", "check_in_on"),
    ("不用再问我工资了", "check_in_off"),
    ("工资提醒 老板欠了三个月", None),  # arrears, not the monthly question
    ("老板说每月问一次工资就扣钱", None),
    ("问工资那个消息不要再发了", "check_in_off"),  # not the vacancy alerts' stop
    ("我报了去新疆的车 在哪集合", "my_departures"),
    ("今年有没有组织去新疆摘棉花的", "find_departure"),
    ("工头带队去上海干活没给钱", None),  # arrears on a trip
    ("厂里组织去旅游 不去扣钱吗", None),
    ("去东莞的车票多少钱", None),
    ("驻马店火车站怎么走", None),  # a city, not a 驻…站
    ("北京救助站能给路费吗", None),  # the state's rescue station
    ("我的叉车证出来了没", "my_courses"),
    ("公司说岗前培训要交500块 这合法吗", None),
    ("俺在东莞长安打工 县里在这边有人管事不", "find_station"),
    ("老家有人能帮我照顾孩子吗", "family_help"),  # help at home, not a station here
    ("老家这边有人能帮我照顾孩子吗", "family_help"),
    ("家里老母亲一个人在家 没人照顾", "family_help"),
    ("麦子熟了 地里没人收 俺回不去", "family_help"),
    ("爹住院了 厂里不给假", None),  # leave: the law's question
    ("在苹果厂上班 过年回不去", None), ("新疆摘棉花 过年回不去", None),  # work, not family at home
    ("实名登记怎么弄", "register"), ("进工地一定要实名登记吗", None),
    ("孩子在打工的地方能上学吗", None),  # schooling rules: the law's
    ("老家这边有点事 要请假回去", None),
    ("报名的那个电焊班我去不了了 取消吧", "my_courses"),
    ("跨省打工的路费补贴怎么申请", "find_subsidy"),
    ("俺能领啥补贴不", "find_subsidy"),
    ("出省打工有路费补贴吗", None),  # whether it exists and how much: the law's article (which offers the check)
    ("临汾交通补贴多少钱", None),
    ("补贴被村干部冒领了", None),  # a wrong to report
    ("企业吸纳就业补助怎么申请", None),  # the employer's subsidy, not the worker's
    ("我申请的交通补助批了没", "my_subsidies"),
    ("补贴名单出来没", "subsidy_public"),
]


@pytest.mark.parametrize(("text", "intent"), SERVICE_WORDS)
def test_service_commands_take_their_words_and_leave_the_rest(text: str, intent: str | None) -> None:
    from nlu.commands import match_command
    assert match_command(text) == intent


NO_ENTITIES = NluResult("inform", 1.0)


@pytest.mark.parametrize(("said", "agrees"), [
    ("行 但是别让工头知道是我", True),  # a yes with a condition is a yes
    ("同意吧 反正我也不打算回去干了", True),  # the first clause decides, not the 不 further on
    ("不中 俺害怕", False), ("唔同意", False), ("不用了", False), ("选1", True), ("第二个", False),
    ("嗯嗯", True), ("同以", True), ("哪个部门啊？", None),
])
def test_consent_in_a_workers_words(said: str, agrees: bool | None) -> None:
    read = fields.consent(normalize(said), NO_ENTITIES)
    assert (read or {}).get("consent") == agrees


@pytest.mark.parametrize(("said", "evidence"), [
    ("只有包工头写的欠条", ["欠条"]),  # not a chat record
    ("跟老板的微信还在 合同没签", ["聊天记录或转账截图"]),
    ("有记工的本本 还有银行流水", ["考勤或工资条", "聊天记录或转账截图"]),
    ("选二跟三", ["考勤或工资条", "聊天记录或转账截图"]),
    ("啥都没有 都是给的现金", []),
    ("好几个老乡能给我作证", ["工友作证"]),
])
def test_evidence_in_a_workers_words(said: str, evidence: list[str]) -> None:
    assert fields.evidence(normalize(said), NO_ENTITIES) == {"evidence": evidence, "contract": False}


@pytest.mark.parametrize(("said", "people"), [("整个班 十来个人", 10), ("我们一个小组 五六个人", 5), ("就我自己", 1)])
def test_head_count_in_a_workers_words(said: str, people: int) -> None:
    assert fields.people(normalize(said), NO_ENTITIES)["people"] == people


def test_more_than_me_but_not_how_many_is_not_one() -> None:
    read = fields.people(normalize("具体几个不清楚 反正不止我一个"), NO_ENTITIES)
    assert read == {"people": None, "people_unknown": True}


@pytest.mark.parametrize(("said", "amount"), [
    ("一个月工资五千 欠了三个月", 15000), ("欠了半年 每月四千", 24000), ("8w左右", 80000),
    ("一天两百 干了三十天", 6000),
])
def test_amounts_workers_work_out_for_us(said: str, amount: int) -> None:
    assert fields.amount(normalize(said), NO_ENTITIES)["amount"] == amount


def test_an_amount_not_known_in_other_words() -> None:
    assert fields.amount(normalize("老板没说过 俺也算不清"), NO_ENTITIES) == {"amount": None, "amount_said": "不清楚"}


@pytest.mark.parametrize(("said", "agrees"), [
    ("可以不要告诉他们我的电话吗", None), ("行 不要了", False), ("给老板知道了怎么办", None),
    ("中 就是不要告诉俺老板", True),
])
def test_consent_asked_back_or_taken_back_is_no_yes(said: str, agrees: bool | None) -> None:
    assert (fields.consent(normalize(said), NO_ENTITIES) or {}).get("consent") == agrees


def test_a_number_given_with_a_shrug_is_kept() -> None:
    assert fields.phone(normalize("留啥都行 13812345678"), NO_ENTITIES) == {"phone": "13812345678", "anonymous": False}


@pytest.mark.parametrize(("said", "amount"), [
    ("欠了3个月工资 15000", 15000), ("欠了11个月 3000", 3000), ("一个月五千 干了八个月 只发了两个月", 5000),
])
def test_a_total_is_not_taken_for_a_months_pay(said: str, amount: int) -> None:
    assert fields.amount(normalize(said), NO_ENTITIES)["amount"] == amount


@pytest.mark.parametrize(("said", "people"), [("很多人 至少二十个", 20), ("不止十个", 10)])
def test_a_number_beside_many_is_the_count(said: str, people: int) -> None:
    assert fields.people(normalize(said), NO_ENTITIES)["people"] == people


@pytest.mark.parametrize("said", ["没人愿意作证", "老板的聊天记录都删了"])
def test_evidence_said_to_be_gone_is_not_kept(said: str) -> None:
    assert fields.evidence(normalize(said), NO_ENTITIES) == {"evidence": [], "contract": False}
