"""The last resort for a message the database could not take: a local append-only journal.

When PostgreSQL is unreachable the pipeline cannot record a message, and a platform told 「收到」 will
never send it again. So the message goes here first — one sealed line (it holds an openid or a phone
number and what the worker wrote, so it is encrypted like the database's columns), flushed and fsynced
before the platform hears anything — and it is answered when the database is back: ``replay`` runs
each kept message through the pipeline and sends the answer as a late one. If even this file cannot
be written the caller fails the request, so the platform retries.

Each process writes its own file (``inbound-<pid>.log``) under an exclusive lock; ``replay`` takes any
file it can lock, so a file left by a process that died is replayed by another. A message replayed
twice (a crash between answering and rewriting the file) is recorded once: the database's unique
delivery key turns the second into a repeat.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.crypto import DataCipher
from domain.messages import Channel, InboundMessage

log = logging.getLogger(__name__)
PATTERN = "inbound-*.log"


class Journal:
    def __init__(self, folder: Path, cipher: DataCipher) -> None:
        self.folder = folder
        self._cipher = cipher

    def keep(self, msg: InboundMessage) -> None:
        """Append the message durably; raises OSError when it cannot be kept."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = self._cipher.encrypt(json.dumps(_to_dict(msg), ensure_ascii=False)) + "\n"
        path = self.folder / f"inbound-{os.getpid()}.log"
        while True:
            with open(path, "a", encoding="utf-8") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                if os.fstat(f.fileno()).st_nlink == 0:
                    continue  # replayed and removed while we waited for the lock: open it afresh
                f.write(line)
                f.flush()
                os.fsync(f.fileno())
                break

    def waiting(self) -> int:
        """How many kept messages wait for the database (for health reports)."""
        return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in self.folder.glob(PATTERN)) \
            if self.folder.is_dir() else 0

    def replay(self, handle: Callable[[InboundMessage], None]) -> int:
        """Hand each kept message to ``handle``, oldest first; stop at the first that fails (the
        database is still away), keeping it and the rest for the next round. Returns how many were handled."""
        if not self.folder.is_dir():
            return 0
        done = 0
        for path in sorted(self.folder.glob(PATTERN)):
            with open(path, "r+", encoding="utf-8") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # being written or replayed right now
                lines = [line for line in f.read().splitlines() if line.strip()]
                handled = 0
                try:
                    for line in lines:
                        handle(_from_dict(json.loads(self._cipher.decrypt(line))))
                        handled += 1
                except Exception as exc:  # the database still away: keep this one and the rest
                    log.info("journal replay waits (%s); %d message(s) kept", type(exc).__name__, len(lines) - handled)
                finally:
                    f.seek(0)
                    f.truncate()
                    f.writelines(line + "\n" for line in lines[handled:])
                    f.flush()
                    os.fsync(f.fileno())
                    done += handled
            if handled < len(lines):
                break
            path.unlink(missing_ok=True)
        if done:
            log.info("replayed %d journaled message(s)", done)
        return done


def _to_dict(msg: InboundMessage) -> dict[str, Any]:
    return {"channel": msg.channel.value, "user_id": msg.user_id, "text": msg.text, "message_id": msg.message_id,
            "received_at": msg.received_at.isoformat(), "media": list(msg.media), "kind": msg.kind,
            "action": msg.action, "payload": msg.payload}


def _from_dict(data: dict[str, Any]) -> InboundMessage:
    return InboundMessage(channel=Channel(data["channel"]), user_id=data["user_id"], text=data["text"],
                          message_id=data["message_id"], received_at=datetime.fromisoformat(data["received_at"]),
                          media=tuple(data.get("media") or ()), kind=data.get("kind") or "text",
                          action=data.get("action"), payload=dict(data.get("payload") or {}))
