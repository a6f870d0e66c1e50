"""Health endpoint and the Rasa server's contract (real trained model)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import redis
import requests
from flask import Flask

from bot import create_app
from nlu.result import CONTRACT_INTENTS
from tests.conftest import make_settings
from tests.support.proxy import BlackHole
from tests.support.services import RASA_TOKEN


def test_healthz_all_up(app: Flask) -> None:
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 200
    assert resp.json["checks"] == {"database": "ok", "redis": "ok", "rasa": "ok"}
    assert resp.json["policy_answers"] == "by meaning and words"


def test_healthz_says_when_policy_answers_fall_back_to_words(
        app_factory: Callable[..., Flask], rasa_url: str) -> None:
    app = app_factory(rasa_url, kb_meaning=False)
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 200 and resp.json["policy_answers"] == "by words only (no embedding model)"


def test_healthz_reports_rasa_down(app_factory: Callable[..., Flask]) -> None:
    app = app_factory("http://127.0.0.1:9", rasa_timeout_seconds=0.3)
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json["checks"]["rasa"] == "down" and resp.json["checks"]["database"] == "ok"


def test_rasa_refuses_a_wrong_token(rasa_url: str) -> None:
    resp = requests.post(f"{rasa_url}/model/parse", params={"token": "wrong"}, json={"text": "你好"}, timeout=10)
    assert resp.status_code == 401


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greet"),
        ("苏州有电子厂招普工吗", "search_vacancy"),
        ("老板欠了我们三个月工钱", "report_wage_arrears"),
        ("举报黑中介收押金", "file_complaint"),
        ("转人工", "human_agent"),
        ("谢谢", "thank"),
    ],
)
def test_model_parse_returns_contract_intents(rasa_url: str, text: str, intent: str) -> None:
    resp = requests.post(f"{rasa_url}/model/parse", params={"token": RASA_TOKEN}, json={"text": text}, timeout=10)
    data = resp.json()
    assert data["intent"]["name"] == intent, data["intent_ranking"][:3]
    assert {r["name"] for r in data["intent_ranking"]} <= CONTRACT_INTENTS


def test_model_extracts_city_and_trade(rasa_url: str) -> None:
    resp = requests.post(f"{rasa_url}/model/parse", params={"token": RASA_TOKEN},
                         json={"text": "苏州有电子厂招普工吗"}, timeout=10)
    entities = {(e["entity"], e["value"]) for e in resp.json()["entities"]}
    assert ("city", "苏州") in entities and ("job_type", "普工") in entities


def test_understanding_does_not_regress_on_the_blind_test_set(rasa_url: str) -> None:
    """The blind set (never trained on) through the production path; `make nlu-eval` has the full report."""
    from bench.nlu_eval import BLIND, load_examples, run, score, traditional
    from nlu.client import RasaClient
    from nlu.gazetteer import load_gazetteer
    from nlu.service import NluService

    service = NluService(RasaClient(rasa_url, RASA_TOKEN, 10.0), load_gazetteer(), threshold=0.45)
    examples = load_examples(BLIND)
    simplified = score(examples, run(service, [e.text for e in examples]))
    assert simplified["intent_macro_f1"] >= 0.90, simplified["per_intent"]
    assert simplified["entities"]["city"]["f1"] >= 0.90 and simplified["entities"]["amount"]["f1"] >= 0.85
    trad = score(examples, run(service, [traditional(e.text) for e in examples]))
    assert trad["intent_macro_f1"] >= simplified["intent_macro_f1"] - 0.03


def test_readyz_answers_fast_and_rasa_down_is_degraded_not_unready(
        app: Flask, app_factory: Callable[..., Flask]) -> None:
    started = time.monotonic()
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 200 and resp.json["status"] == "ok", resp.json
    assert app.test_client().get("/livez").status_code == 200
    no_rasa = app_factory("http://127.0.0.1:9", rasa_timeout_seconds=0.3)
    resp = no_rasa.test_client().get("/readyz")
    assert resp.status_code == 200 and resp.json["status"] == "degraded"  # the rules still answer
    assert time.monotonic() - started < 2.0


def test_readyz_answers_within_half_a_second_when_the_database_and_redis_hang(
        database_url: str, redis_url: str, rasa_url: str) -> None:
    hung_db, hung_redis = BlackHole(), BlackHole()
    try:
        app = create_app(make_settings(database_url.rsplit("@", 1)[0] + f"@127.0.0.1:{hung_db.port}/gongyou",
                                       redis_url, rasa_url))
        app.extensions["gongyou.redis"] = redis.Redis(port=hung_redis.port)  # Redis hangs after the start
        started = time.monotonic()
        resp = app.test_client().get("/readyz")
        took = time.monotonic() - started
        assert resp.status_code == 503 and resp.json["checks"]["database"] == "no answer in time", resp.json
        assert resp.json["checks"]["redis"] == "no answer in time", resp.json
        assert took < 0.5, took
        assert app.test_client().get("/livez").status_code == 200
    finally:
        hung_db.close()
        hung_redis.close()


def test_a_stalled_rasa_is_not_waited_for_message_after_message() -> None:
    """Three timeouts in a row open the breaker: the next messages go to the rule layer at once."""
    from nlu.client import Breaker, NluUnavailable, RasaClient

    hung = BlackHole()
    try:
        client = RasaClient(f"http://127.0.0.1:{hung.port}", "token", timeout=0.3, breaker=Breaker(3, 5.0))
        waits = []
        for _ in range(5):
            started = time.monotonic()
            with pytest.raises(NluUnavailable):
                client.parse("你好")
            waits.append(time.monotonic() - started)
        assert all(w >= 0.25 for w in waits[:3]) and all(w < 0.05 for w in waits[3:]), waits
    finally:
        hung.close()


def test_healthz_says_when_the_background_worker_last_went_round(app: Flask) -> None:
    from bot import jobs

    assert app.test_client().get("/healthz").json["background_worker"] == "not seen in the last 5 minutes"
    jobs.beat(app)  # what the worker's loop does every 30 s
    assert app.test_client().get("/healthz").json["background_worker"].startswith("seen ")
