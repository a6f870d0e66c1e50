"""Repeated messages skip Rasa (issue 18): the parse of a short message is kept in Redis under the
loaded model and a hash of the text, and read back the same. Unit tests fake the HTTP edge (a Rasa
client that counts its calls); the integration test compares cached and fresh parses on the real
server and the real Redis."""

from __future__ import annotations

from typing import Any

import redis

from nlu.cache import ParseCache
from nlu.client import RasaClient
from nlu.gazetteer import load_gazetteer
from nlu.result import Entity, NluResult
from nlu.service import NluService
from tests.support.services import RASA_TOKEN


class CountingRasa:
    """The HTTP edge faked: a fixed parse per text, and how often it was asked."""

    def __init__(self, model: str = "nlu-aaaa.tar.gz") -> None:
        self.calls: list[str] = []
        self.model = model

    def parse(self, text: str) -> NluResult:
        self.calls.append(text)
        entities = (Entity("amount", 8000, "8000", "regex", 3, 7),) if "8000" in text else ()
        return NluResult("greet" if "你好" in text else "report_wage_arrears", 0.97, entities, "rasa",
                         (("greet", 0.97),))

    def model_id(self) -> str:
        return self.model


class DictStore:
    def __init__(self, fails: bool = False) -> None:
        self.kept: dict[str, str] = {}
        self.fails = fails

    def get(self, name: str) -> Any:
        if self.fails:
            raise redis.ConnectionError("down")
        return self.kept.get(name)

    def set(self, name: str, value: str, ex: int | None = None) -> Any:
        if self.fails:
            raise redis.ConnectionError("down")
        self.kept[name] = value


def service(rasa: CountingRasa, store: DictStore) -> NluService:
    cache = ParseCache(store, 60, rasa.model_id, "test-secret")
    return NluService(rasa, load_gazetteer(), 0.45, cache)  # type: ignore[arg-type]


def test_a_repeated_greeting_is_parsed_once_and_read_back_the_same() -> None:
    rasa, store = CountingRasa(), DictStore()
    nlu = service(rasa, store)
    first, again = nlu.understand("你好")[1], nlu.understand("你好")[1]
    assert rasa.calls == ["你好"] and first == again
    assert all("你好" not in key for key in store.kept)  # the text is hashed, never a key's name
    other = DictStore()  # and keyed: another secret, other keys (a guessed text cannot be looked up)
    NluService(rasa, load_gazetteer(), 0.45, ParseCache(other, 60, rasa.model_id, "another")).understand(  # type: ignore[arg-type]
        "你好")
    assert set(other.kept).isdisjoint(store.kept)


def test_personal_entities_and_long_messages_are_not_kept() -> None:
    rasa, store = CountingRasa(), DictStore()
    nlu = service(rasa, store)
    for _ in range(2):
        nlu.understand("欠我8000")  # an amount: kept out of the cache
        nlu.understand("老板欠我三个月工资一直拖着不给说下个月再说下个月又不给")
    assert len(rasa.calls) == 4 and not store.kept


def test_a_new_model_is_a_new_key_and_redis_down_is_only_a_miss() -> None:
    store = DictStore()
    service(CountingRasa("nlu-aaaa.tar.gz"), store).understand("你好")
    newer = CountingRasa("nlu-bbbb.tar.gz")
    service(newer, store).understand("你好")
    assert newer.calls == ["你好"] and len(store.kept) == 2
    down = CountingRasa()
    assert service(down, DictStore(fails=True)).understand("你好")[1].intent == "greet" and down.calls == ["你好"]


def test_cached_and_fresh_parses_agree_on_the_real_server(rasa_url: str, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    rasa = RasaClient(rasa_url, RASA_TOKEN, 10.0)
    fresh = NluService(rasa, load_gazetteer(), 0.45)
    cached = NluService(rasa, load_gazetteer(), 0.45, ParseCache(client, 60, rasa.model_id))
    texts = ["你好", "找工作", "查询进度", "深圳 普工", "转人工", "我要投诉", "有没有日结的", "搵工"]
    for text in texts:
        cached.understand(text)  # kept
    asked_before = cached.cache.hits if cached.cache else 0
    for text in texts:
        assert cached.understand(text) == fresh.understand(text), text
    assert cached.cache is not None and cached.cache.hits - asked_before == len(texts)


def test_rasa_down_still_answers_from_rules_with_a_cache(redis_url: str) -> None:
    rasa = RasaClient("http://127.0.0.1:9", RASA_TOKEN, 0.2)  # nothing listens: no model id, no cache
    nlu = NluService(rasa, load_gazetteer(), 0.45, ParseCache(redis.Redis.from_url(redis_url), 60, rasa.model_id))
    assert nlu.understand("查询进度")[1].intent == "check_status"
