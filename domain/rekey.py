"""Rewrite every piece of sealed personal data under the current data key (after a rotation).

Rotation: set the new key in GONGYOU_DATA_KEY and the old one in GONGYOU_DATA_KEY_PREVIOUS, restart
(both keys now read), run ``gongyou data-rekey``, then remove the old key.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases.vocabulary import Status
from domain.crypto import DataCipher
from domain.storage.models import Case, MediaFile, Message, OutboundMessage, WorkerIdentity


def rekey(db: Session, cipher: DataCipher) -> dict[str, int]:
    counts = {"identities": 0, "cases": 0, "messages": 0, "outbound": 0, "media": 0}
    for identity in db.scalars(select(WorkerIdentity)):
        address = cipher.decrypt(identity.address_enc)
        identity.address_enc = cipher.encrypt(address)
        identity.address_hash = cipher.blind_index(f"{identity.channel}:{address}")
        counts["identities"] += 1
    for case in db.scalars(select(Case).where(Case.phone_enc.is_not(None))):
        assert case.phone_enc is not None
        phone = cipher.decrypt(case.phone_enc)
        case.phone_enc = cipher.encrypt(phone)
        case.phone_hash = cipher.blind_index(phone)
        counts["cases"] += 1
    for draft in db.scalars(select(Case).where(Case.status == Status.DRAFT)):
        sealed = (draft.details or {}).get("phone_enc")
        if isinstance(sealed, str) and sealed:
            draft.details = {**draft.details, "phone_enc": cipher.reencrypt(sealed)}
            counts["cases"] += 1
    for message in db.scalars(select(Message).where(Message.text_enc.is_not(None))):
        message.text_enc = cipher.reencrypt(str(message.text_enc))
        counts["messages"] += 1
    for outbound in db.scalars(select(OutboundMessage).where(OutboundMessage.text_enc.is_not(None))):
        outbound.text_enc = cipher.reencrypt(str(outbound.text_enc))
        counts["outbound"] += 1
    for media in db.scalars(select(MediaFile).where(MediaFile.data_enc.is_not(None))):
        media.data_enc = cipher.reencrypt_bytes(bytes(media.data_enc or b""))
        counts["media"] += 1
    return counts
