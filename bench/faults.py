"""`make faults`: what a worker's messages go through when a service fails, measured on real parts.

The app runs under gunicorn (2 workers × 4 threads) on a free port, with its own Redis (a
`redis-server` started for the run on a free port, nothing kept on disk), a fresh PostgreSQL database
on the machine's server and the cached Rasa model. PostgreSQL, Redis and Rasa are reached through TCP
forwarders (tests/support/proxy.py) that this script takes down, stalls or brings back; the Redis
restart restarts the run's own `redis-server`. The machine's services are never stopped.

Signed plaintext WeChat messages are sent at a fixed rate (an open loop: a slow answer does not slow
the sender). WeChat's behaviour is emulated: no answer within 5 s → the same request again, at most
three more times. For each experiment it prints and saves: sent, HTTP statuses, p50/p99 of the first
attempt, the share answered after 4.5 s, **lost** (never recorded, after the journal had time to
replay, though answered 200, refused as bad with a 4xx, failed with a 500 or never answered), not
recorded but answered 503 (the platform asked to send it again) and **duplicated** (recorded more
than once). Bounded: each experiment runs seconds, the whole
run a few minutes.

    .venv/bin/python -m bench.faults [--quick] [--code DIR] [--label NAME]

``--code DIR`` runs another checkout's app under the same experiments (the "before" figures);
``--quick`` runs shorter experiments (the version `make test` would afford).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import record  # noqa: E402
from tests.support import services  # noqa: E402
from tests.support.proxy import Outage  # noqa: E402
from tests.support.services import OwnRedis, free_port  # noqa: E402
from tests.support.wechat import signed_query, text_xml  # noqa: E402

SUMMARY = ROOT / "bench" / "results" / "faults.json"
TOKEN = "faults-wechat-token"
TEXTS = ["你好", "东莞有普工吗", "老板欠我三个月工资", "加班费怎么算", "深圳 保安", "转人工", "1", "找个包吃住的活"]
WECHAT_TIMEOUT = 5.0  # WeChat drops the connection and sends again
WECHAT_RETRIES = 3
ON_TIME = 4.5  # what the 5-second rule leaves after the network


@dataclass
class Sent:
    msg_id: int
    status: int = 0  # the last HTTP status (0: no answer at all)
    first_ms: float = 0.0  # how long the first attempt took
    answered_200: bool = False
    attempts: int = 0


@dataclass
class Experiment:
    name: str
    rate: float  # messages per second
    seconds: float
    fault: Callable[[Stack], None] | None = None  # started at fault_at, given the stack
    fault_at: float = 0.0
    burst: int = 0  # instead of a rate: this many at once
    results: list[Sent] = field(default_factory=list)


@dataclass
class Stack:
    url: str
    database_url: str
    redis: OwnRedis
    redis_gate: Outage
    database_gate: Outage
    rasa_gate: Outage
    observed: dict[str, float] = field(default_factory=dict)  # figures a fault measures itself


def send(url: str, msg_id: int, text: str, sender: str) -> Sent:
    out = Sent(msg_id)
    body = text_xml(text, sender=sender, msg_id=msg_id)
    query = signed_query(TOKEN)  # WeChat's retry is the same request
    for attempt in range(1 + WECHAT_RETRIES):
        out.attempts = attempt + 1
        started = time.perf_counter()
        try:
            resp = requests.post(url, params=query, data=body, timeout=WECHAT_TIMEOUT)
            out.status = resp.status_code
        except requests.RequestException:
            out.status = 0
        if attempt == 0:
            out.first_ms = (time.perf_counter() - started) * 1000
        if out.status == 200:
            out.answered_200 = True
            return out
        if out.status != 0:  # an answer that is not 200 (503): WeChat gives up, the worker sends again later
            return out
    return out


def run(experiment: Experiment, stack: Stack, base_id: int) -> None:
    pool = ThreadPoolExecutor(max_workers=256)
    futures = []
    fault_thread = None
    if experiment.fault is not None:
        def later() -> None:
            time.sleep(experiment.fault_at)
            assert experiment.fault is not None
            experiment.fault(stack)
        fault_thread = threading.Thread(target=later, daemon=True)
        fault_thread.start()
    count = experiment.burst or int(experiment.rate * experiment.seconds)
    started = time.monotonic()
    for i in range(count):
        if not experiment.burst:
            time.sleep(max(0.0, started + i / experiment.rate - time.monotonic()))
        futures.append(pool.submit(send, stack.url, base_id + i, TEXTS[i % len(TEXTS)], f"oFault{i % 40:04d}"))
    experiment.results = [f.result() for f in futures]
    pool.shutdown()
    if fault_thread is not None:
        fault_thread.join()


def recorded(database_url: str, ids: list[int]) -> Counter[int]:
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT platform_id, count(*) FROM messages WHERE direction = 'in' "
                            "AND platform_id = ANY(%s) GROUP BY platform_id", ([str(i) for i in ids],)).fetchall()
    return Counter({int(pid): int(n) for pid, n in rows})


def figures(experiment: Experiment, counts: Counter[int]) -> dict[str, Any]:
    sent = experiment.results
    first = sorted(s.first_ms for s in sent)
    pct = lambda q: round(first[min(len(first) - 1, int(q * len(first)))], 1)  # noqa: E731
    unrecorded = [s for s in sent if counts[s.msg_id] == 0]
    resend = sum(1 for s in unrecorded if s.status == 503)  # the platform was asked to send it again
    lost = len(unrecorded) - resend  # answered 200, refused as bad (4xx), failed (500) or never answered
    return {
        "sent": len(sent),
        "statuses": dict(Counter(str(s.status) for s in sent)),
        "p50_ms": pct(0.5), "p99_ms": pct(0.99), "mean_ms": round(statistics.fmean(first), 1),
        "over_4_5_s_share": round(sum(1 for s in sent if s.first_ms > ON_TIME * 1000) / len(sent), 3),
        "retried_by_wechat": sum(1 for s in sent if s.attempts > 1),
        "lost": lost,
        "not_recorded_asked_to_resend": resend,
        "duplicated": sum(1 for s in sent if counts[s.msg_id] > 1),
    }


# --- the faults -------------------------------------------------------------------------------

def down(gate: Callable[[Stack], Outage], seconds: float) -> Callable[[Stack], None]:
    """A service taken away for ``seconds``, then brought back."""
    def fault(stack: Stack) -> None:
        gate(stack).down()
        time.sleep(seconds)
        gate(stack).up()
    return fault


def redis_restart(stack: Stack) -> None:
    """Redis restarted with nothing kept; also how long until RQ's scheduler (delayed retries) is back."""
    stack.redis.stop()
    time.sleep(1.0)
    stack.redis.start()
    client = redis.Redis(port=stack.redis.port, socket_connect_timeout=1)
    started = time.monotonic()
    while time.monotonic() - started < 120:
        with contextlib.suppress(redis.RedisError):
            if client.exists("rq:scheduler-lock:gongyou"):
                stack.observed["scheduler_back_s"] = round(time.monotonic() - started, 1)
                return
        time.sleep(0.5)
    stack.observed["scheduler_back_s"] = -1.0  # not within two minutes


def rasa_stall(seconds: float, lasting: float) -> Callable[[Stack], None]:
    def fault(stack: Stack) -> None:
        stack.rasa_gate.stall = seconds
        time.sleep(lasting)
        stack.rasa_gate.stall = 0.0
    return fault


def experiments(quick: bool) -> list[Experiment]:
    k = 0.5 if quick else 1.0
    return [
        Experiment("baseline 10 msg/s", 10, 10 * k),
        Experiment("Redis down 10 s at 20 msg/s", 20, 20 * k, down(lambda s: s.redis_gate, 10 * k), 4 * k),
        Experiment("Redis restart at 20 msg/s", 20, 12 * k, redis_restart, 4 * k),
        Experiment("PostgreSQL down 10 s at 20 msg/s", 20, 20 * k, down(lambda s: s.database_gate, 10 * k), 4 * k),
        Experiment("Rasa down 20 s at 20 msg/s", 20, 25 * k, down(lambda s: s.rasa_gate, 20 * k), 2 * k),
        Experiment("Rasa stalled 6 s, 50 at once", 0, 0, rasa_stall(6.0, 8.0), 0.0, burst=50),
        Experiment("open loop 80 msg/s", 80, 10 * k),
    ]


@contextmanager
def stack_running(code: Path, journal: Path) -> Iterator[Stack]:
    redis_server = OwnRedis()
    redis_server.start()
    with services.rasa_server() as rasa_url, services.fresh_database() as database_url:
        redis_gate, redis_url = Outage.in_front_of(f"redis://127.0.0.1:{redis_server.port}/0")
        database_gate, proxied_db = Outage.in_front_of(database_url)
        rasa_gate, proxied_rasa = Outage.in_front_of(rasa_url)
        for gate in (redis_gate, database_gate, rasa_gate):
            gate.up()
        port = free_port()
        env = {**os.environ, "GONGYOU_ENV": "development", "GONGYOU_DATABASE_URL": proxied_db,
               "GONGYOU_REDIS_URL": redis_url, "GONGYOU_REDIS_FALLBACK": "false",
               "GONGYOU_RASA_URL": proxied_rasa, "GONGYOU_RASA_TOKEN": services.RASA_TOKEN,
               "GONGYOU_WECHAT_TOKEN": TOKEN,
               "GONGYOU_SECRET_KEY": "faults", "GONGYOU_JOURNAL_DIR": str(journal),
               "GONGYOU_JOURNAL_REPLAY_SECONDS": "2"}
        venv = ROOT / ".venv" / "bin"
        subprocess.run([str(venv / "flask"), "--app", "bot:create_app()", "init-db"], env=env, check=True, cwd=code,
                       capture_output=True)
        log = open(ROOT / "var" / "faults-app.log", "w")
        server = subprocess.Popen(
            [str(venv / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4", "--timeout", "60",
             "--control-socket", str(journal.parent / "gunicorn.ctl"), "--log-level", "warning", "bot:create_app()"],
            cwd=code, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        worker = subprocess.Popen([str(venv / "python"), "-m", "bot.jobs"], cwd=code, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            for _ in range(120):
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json().get("status") == "ok":
                        break
                except (requests.RequestException, ValueError):
                    pass
                time.sleep(0.5)
            else:
                raise SystemExit("the stack did not become healthy; see var/faults-app.log")
            url = f"http://127.0.0.1:{port}/wechat"
            for i in range(60):  # warm up: both workers load the embedding model and the readers
                if send(url, 9_000_000 + i, TEXTS[i % len(TEXTS)], "oWarmUp01").first_ms < 300 and i >= 20:
                    break
            yield Stack(url, database_url, redis_server, redis_gate, database_gate, rasa_gate)
        finally:
            for proc in (server, worker):
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in (server, worker):
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            for gate in (redis_gate, database_gate, rasa_gate):
                gate.down()
            redis_server.stop()
            log.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="half-length experiments")
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose app is measured")
    ap.add_argument("--label", default="current")
    ap.add_argument("--only", default="", help="run only experiments whose name contains this")
    args = ap.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    summary: dict[str, Any] = {"code": str(args.code), "quick": args.quick}
    work = Path(tempfile.mkdtemp(prefix="gongyou-faults-"))
    try:
        with stack_running(args.code.resolve(), work / "journal") as stack:
            base = int(time.time()) * 1000
            for n, experiment in enumerate(e for e in experiments(args.quick) if args.only in e.name):
                run(experiment, stack, base + n * 100_000)
                time.sleep(6.0)  # answers finish, the journal replays
                counts = recorded(stack.database_url, [s.msg_id for s in experiment.results])
                summary[experiment.name] = {**figures(experiment, counts), **stack.observed}
                stack.observed.clear()
                print(f"{experiment.name}: {summary[experiment.name]}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record(SUMMARY, args.label, summary)
    lost = sum(v.get("lost", 0) + v.get("duplicated", 0) for v in summary.values() if isinstance(v, dict))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
