"""Evidence media: a worker's photos and voice notes, fetched from the platform soon after they
arrive (WeChat keeps temporary media for 3 days) and stored encrypted, so a pay slip photographed on
a building site is still there when labour inspection asks for it months later."""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy.orm import Session

from domain.crypto import DataCipher
from domain.storage.db import Database
from domain.storage.models import MediaFile, Message

log = logging.getLogger(__name__)
MAX_BYTES = 10 * 1024 * 1024  # WeChat's own limits: images 10 MB, voice 2 MB


class MediaGone(Exception):
    """The platform no longer has the file (expired, or an id it never issued): no point retrying."""


class MediaSource(Protocol):
    def get_media(self, media_id: str) -> tuple[bytes, str]:
        """The file and its content type. Raises on failure."""
        ...


def record(db: Session, message: Message) -> list[int]:
    """Pending media rows for an inbound message's attachments; returns their ids (to fetch)."""
    rows = [MediaFile(message_id=message.id, media_id=media_id, channel=message.channel, content_type="", size=0,
                      status="pending") for media_id in message.media or []]
    db.add_all(rows)
    db.flush()
    return [r.id for r in rows]


class MediaStore:
    def __init__(self, db: Database, cipher: DataCipher, sources: dict[str, MediaSource]) -> None:
        self.db = db
        self.cipher = cipher
        self.sources = sources

    def fetch(self, media_file_id: int) -> str:
        """Fetch one file from its platform and keep it encrypted; returns the new status. Raises
        on a transient error so the job queue retries (the platform keeps the file for days)."""
        with self.db.session() as db:
            row = db.get(MediaFile, media_file_id)
            if row is None or row.status == "stored":
                return row.status if row else "missing"
            source = self.sources.get(row.channel)
            if source is None:
                row.status, row.error = "failed", f"no way to fetch {row.channel} media"
                return row.status
            try:
                data, content_type = source.get_media(row.media_id)
            except MediaGone as exc:
                row.status, row.error = "failed", f"the platform no longer has it: {exc}"[:500]
                log.warning("media file %s: %s", row.id, row.error)
                return row.status
            if len(data) > MAX_BYTES:
                row.status, row.error = "failed", f"too large ({len(data)} bytes)"
                return row.status
            row.data_enc = self.cipher.encrypt_bytes(data)
            row.content_type, row.size, row.status, row.error = content_type[:64], len(data), "stored", None
            return row.status

    def open(self, row: MediaFile) -> bytes:
        if row.data_enc is None:
            raise LookupError("not stored")
        return self.cipher.decrypt_bytes(row.data_enc)
