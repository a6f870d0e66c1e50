"""Real services for the test session: PostgreSQL, Redis, and one Rasa server.

A missing service is an error, never a skip: the message says how to start it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("GONGYOU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("GONGYOU_TEST_REDIS", "redis://127.0.0.1:6379/15")
RASA_TOKEN = "test-rasa-token"


class ServiceMissing(RuntimeError):
    pass


def require_redis() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        raise ServiceMissing(
            f"Redis is not reachable at {REDIS_URL} ({exc}). Start it: redis-server --daemonize yes --save ''"
        ) from exc
    return REDIS_URL


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty PostgreSQL database for this run; drop it afterwards."""
    name = f"gongyou_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        raise ServiceMissing(
            f"PostgreSQL is not reachable at {PG_ADMIN} ({exc}). Start it, or set GONGYOU_TEST_PG."
        ) from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnRedis:
    """A redis-server for this run only: port of its own, no persistence (a restart loses everything)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
                                      "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def _script(name: str) -> str:
    out = subprocess.run([str(ROOT / "scripts" / name)], check=True, capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1]


@contextmanager
def rasa_server(timeout: float = 300.0) -> Iterator[str]:
    """One Rasa server for the whole session, on the cached venv and model."""
    if os.environ.get("GONGYOU_TEST_RASA_URL"):  # reuse a running server (local iteration)
        yield os.environ["GONGYOU_TEST_RASA_URL"]
        return
    try:
        venv = _script("rasa_venv.sh")
        model = _script("train.sh")
    except subprocess.CalledProcessError as exc:
        raise ServiceMissing(f"could not prepare Rasa: {exc.stderr[-2000:]}") from exc
    port = free_port()
    log_path = ROOT / "var" / "test-rasa.log"
    log_path.parent.mkdir(exist_ok=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [f"{venv}/bin/rasa", "run", "--enable-api", "--auth-token", RASA_TOKEN, "-m", model,
             "-i", "127.0.0.1", "-p", str(port)],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise ServiceMissing(f"Rasa exited with {proc.returncode}; see {log_path}")
            try:
                r = requests.get(f"{url}/status", params={"token": RASA_TOKEN}, timeout=2)
                if r.ok and r.json().get("model_file"):
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise ServiceMissing(f"Rasa did not load its model in {timeout:.0f} s; see {log_path}")
            time.sleep(1)
        requests.post(f"{url}/model/parse", params={"token": RASA_TOKEN}, json={"text": "你好"}, timeout=30)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
