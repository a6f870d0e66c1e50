"""Load the real WeChat webhook with signed messages; print and save latency and throughput.

By default it starts everything itself on real parts: a Rasa server (cached model), a fresh
PostgreSQL database, Redis db 14, and the app under gunicorn on a free local port. Traffic goes
only to 127.0.0.1; the run is bounded by --messages and --max-seconds.

    .venv/bin/python bench/load_webhook.py --messages 600 --concurrency 8
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import services  # noqa: E402
from tests.support.wechat import signed_query, text_xml  # noqa: E402

TOKEN = "bench-wechat-token"
TEXTS = ["你好", "苏州有电子厂招普工吗", "深圳 保安", "东莞日结", "老板欠我三个月工钱", "转人工", "1", "0",
         "找个包吃住的活", "杭州有没有电工"]


def peak_rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid, *map(int, out)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-seconds", type=float, default=300)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "webhook.json"))
    args = ap.parse_args()

    port = services.free_port()
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/14").flushdb()  # no dedupe keys left from an earlier run
    run_base = int(time.time()) * 1_000_000
    with services.rasa_server() as rasa_url, services.fresh_database() as db_url:
        env = {**os.environ, "GONGYOU_ENV": "test", "GONGYOU_DATABASE_URL": db_url,
               "GONGYOU_REDIS_URL": "redis://127.0.0.1:6379/14", "GONGYOU_REDIS_FALLBACK": "false",
               "GONGYOU_RASA_URL": rasa_url, "GONGYOU_RASA_TOKEN": services.RASA_TOKEN,
               "GONGYOU_WECHAT_TOKEN": TOKEN, "GONGYOU_SECRET_KEY": "bench"}
        subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "bot:create_app()", "init-db"], env=env,
                       check=True, cwd=ROOT, capture_output=True)
        (ROOT / "var").mkdir(exist_ok=True)
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--threads", "4",
             "--control-socket", str(ROOT / "var" / f"gunicorn-{port}.ctl"),  # not the shared default
             "--log-level", "warning", "bot:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/wechat"
        try:
            health: dict = {}
            for _ in range(60):
                try:
                    health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json()
                    break
                except (requests.RequestException, ValueError):
                    time.sleep(0.5)
            if health.get("status") != "ok":  # never measure a degraded stack (e.g. the rule layer)
                raise SystemExit(f"stack not healthy, not measuring: {health}")
            session = requests.Session()
            deadline = time.monotonic() + args.max_seconds

            def one(i: int) -> tuple[float, int]:
                if time.monotonic() > deadline:
                    return 0.0, -1
                body = text_xml(TEXTS[i % len(TEXTS)], sender=f"oBench{i % 50:04d}", msg_id=run_base + i)
                t0 = time.perf_counter()
                resp = session.post(url, params=signed_query(TOKEN), data=body, timeout=10)
                return (time.perf_counter() - t0) * 1000, resp.status_code

            for i in range(20):  # warm-up
                one(500_000 + i)
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(one, range(args.messages)))
            elapsed = time.perf_counter() - started
            latencies = [ms for ms, status in results if status == 200]
            errors = sum(1 for _, status in results if status not in (200, -1))
            figures = {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "messages": len(latencies), "concurrency": args.concurrency, "gunicorn_workers": args.workers,
                "errors": errors,
                "note": "every message distinct (no dedupe hits): Rasa parse + PostgreSQL + Redis per message",
                "p50_ms": pct(latencies, 0.50), "p90_ms": pct(latencies, 0.90), "p99_ms": pct(latencies, 0.99),
                "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
                "messages_per_s": round(len(latencies) / elapsed, 1),
                "app_peak_rss_mb": peak_rss_mb(children(server.pid)),
            }
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    return 0 if figures["errors"] == 0 and latencies else 1


if __name__ == "__main__":
    sys.exit(main())
