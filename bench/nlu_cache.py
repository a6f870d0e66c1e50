"""What the NLU cache saves (issue 18): `python -m bench.nlu_cache [--messages N] [--label NAME]`.

Messages drawn Zipf-like from the short texts real traffic repeats (greetings, menu words, searches,
a few questions), each understood by the real NLU service (normalisation, the Rasa server, the rules)
without the cache and then with it, in the same run. Prints and keeps p50/p99 per message, the total,
the cache's hit share, and Rasa-alone time as a ratio (bench/results/nlu-cache.json). Redis: the
database named by GONGYOU_BENCH_REDIS (default redis://127.0.0.1:6379/12), emptied before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import record  # noqa: E402

SUMMARY = ROOT / "bench" / "results" / "nlu-cache.json"
# What workers send again and again (a guess at real traffic's head; the tail is questions and stories).
TEXTS = ("你好", "找工作", "查询进度", "1", "2", "转人工", "深圳 普工", "有没有日结的", "东莞 电子厂", "我要投诉",
         "欠薪", "谢谢", "好的", "菜单", "苏州 包吃住", "在吗", "政策咨询", "3", "0", "有新岗位通知我", "工伤怎么认定",
         "老板欠我三个月工资", "加班费怎么算", "被辞退了有补偿吗", "我想学电焊")


def _timed(call: Any, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        start = time.perf_counter()
        call(text)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def _figures(times: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(times), 2), "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
            "total_s": round(sum(times) / 1000, 2)}


def main() -> int:
    import redis

    from nlu.cache import ParseCache
    from nlu.client import RasaClient
    from nlu.gazetteer import load_gazetteer
    from nlu.service import NluService
    from tests.support import services

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--label", default="current")
    args = ap.parse_args()
    rng = random.Random(20261206)
    mix = rng.choices(TEXTS, [1 / (rank + 1) for rank in range(len(TEXTS))], k=args.messages)
    store = redis.Redis.from_url(os.environ.get("GONGYOU_BENCH_REDIS", "redis://127.0.0.1:6379/12"))
    store.flushdb()
    with services.rasa_server() as url:
        rasa = RasaClient(url, services.RASA_TOKEN, 10.0)
        gazetteer = load_gazetteer()
        rasa_alone = _timed(rasa.parse, mix)
        without = _timed(NluService(rasa, gazetteer, 0.45).understand, mix)
        cache = ParseCache(store, 600, rasa.model_id)
        cached_service = NluService(rasa, gazetteer, 0.45, cache)
        with_cache = _timed(cached_service.understand, mix)
    store.flushdb()
    summary = {"messages": args.messages, "distinct_texts": len(set(mix)), "rasa_alone": _figures(rasa_alone),
               "nlu_without_cache": _figures(without), "nlu_with_cache": _figures(with_cache),
               "cache_hit_share": round(cache.hits / max(cache.hits + cache.misses, 1), 3),
               "with_cache_over_rasa_alone_total": round(sum(with_cache) / sum(rasa_alone), 3)}
    record(SUMMARY, args.label, summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
