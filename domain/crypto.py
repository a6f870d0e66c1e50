"""Personal data at rest (PIPL): encrypt with Fernet, find by a keyed hash, mask for display and logs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet

PHONE_RE = re.compile(r"(?<!\d)(\+?86)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
# In free text a mobile number may be spaced, dashed or typed in full-width digits: 「138 0013 8000」.
_D = "[0-9０-９]"
PHONE_IN_TEXT = re.compile(
    rf"(?<![0-9０-９])(\+?86[\s-]?)?([1１][3-9３-９]{_D})[\s-]?({_D}{{4}})[\s-]?({_D}{{4}})(?![0-9０-９])")


class DataCipher:
    """Encrypts personal data (phone numbers, openids, sealed texts) and gives a keyed blind index
    for lookups. During a key rotation the previous keys still decrypt and still find (their
    indexes are tried too); ``gongyou data-rekey`` then rewrites everything under the current key."""

    def __init__(self, key_material: str, previous: Sequence[str] = ()) -> None:
        keys = [key_material, *[k for k in previous if k and k != key_material]]
        self._fernet = MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(b"enc", k))) for k in keys])
        self._index_keys = [_derive(b"idx", k) for k in keys]

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()

    def encrypt_bytes(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)

    def reencrypt_bytes(self, token: bytes) -> bytes:
        return self._fernet.rotate(token)

    def reencrypt(self, token: str) -> str:
        """The same value sealed under the current key."""
        return self._fernet.rotate(token.encode()).decode()

    def blind_index(self, value: str) -> str:
        return hmac.new(self._index_keys[0], value.encode(), hashlib.sha256).hexdigest()

    def blind_indexes(self, value: str) -> list[str]:
        """The index under the current key first, then under each previous key (for lookups)."""
        return [hmac.new(k, value.encode(), hashlib.sha256).hexdigest() for k in self._index_keys]


def _derive(purpose: bytes, key_material: str) -> bytes:
    return hashlib.sha256(b"gongyou:" + purpose + b":" + key_material.encode()).digest()


def mask_address(value: str) -> str:
    """``+8613812345678`` → ``+86138****5678``; an openid keeps its first and last 4 characters."""
    if PHONE_RE.fullmatch(value):
        return PHONE_RE.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}****{m.group(4)}", value)
    if len(value) <= 8:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return f"{value[:4]}…{value[-4:]}"


def mask_text(text: str) -> str:
    """Mask phone and ID-card numbers inside free text (for logs and lists)."""
    text = ID_RE.sub(lambda m: f"{m.group(1)}********{m.group(3)[-1]}", text)
    return PHONE_IN_TEXT.sub(lambda m: f"{(m.group(1) or '').strip(' -')}{m.group(2)}****{m.group(4)}", text)


def seal_text(cipher: DataCipher, text: str) -> tuple[str, str | None]:
    """Free text as stored: phone and ID numbers masked in the readable copy, and the original
    encrypted beside it when masking changed anything (most messages carry no personal data)."""
    masked = mask_text(text)
    return masked, (cipher.encrypt(text) if masked != text else None)


def open_text(cipher: DataCipher, masked: str, sealed: str | None) -> str:
    """The original of a sealed text (for staff, audited by the caller)."""
    return cipher.decrypt(sealed) if sealed else masked


# Query parameters that are secrets or identify someone: WeChat's signature triple (enough to replay a
# request), the access_token and AppSecret, an openid.
_SECRET_NAMES = (r"(?:component_)?access_token|refresh_token|app_?secret|secret|password|passwd|auth_token|"
                 r"signature|msg_signature|timestamp|nonce|openid|echostr")
SECRET_PARAMS = re.compile(rf"(?<![A-Za-z_])({_SECRET_NAMES})=([^&\s\"']+)", re.IGNORECASE)
SECRET_JSON = re.compile(rf"(\"(?:{_SECRET_NAMES})\"\s*:\s*)\"[^\"]*\"", re.IGNORECASE)  # {"access_token": "…"}
BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
URL_CREDENTIALS = re.compile(r"(://)[^/\s:@]+:[^/\s@]+@")  # https://user:pass@host
OPENID = re.compile(r"(?<![\w-])o[\w-]{27}(?![\w-])")  # WeChat openids: 28 characters starting with o


def mask_log_text(text: str) -> str:
    """A log line as it may be kept: phone and ID numbers masked, secrets and openids starred."""
    text = SECRET_JSON.sub(r'\1"***"', SECRET_PARAMS.sub(r"\1=***", mask_text(text)))
    text = URL_CREDENTIALS.sub(r"\1***@", BEARER.sub(r"\1 ***", text))
    return OPENID.sub("o***", text)


class MaskingFilter(logging.Filter):
    """Logging filter that masks phone and ID numbers, openids and secret URL parameters in every
    record's message and in its exception text (an HTTP error's URL can carry the AppSecret)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            try:
                record.msg = record.getMessage()
            except (TypeError, ValueError):
                return True
            record.args = None
        if isinstance(record.msg, str):
            record.msg = mask_log_text(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_log_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_log_text(record.exc_text)
        return True


def mask_every_log(logger_names: tuple[str, ...] = ("gunicorn.error", "gunicorn.access", "rq.worker", "rq.job",
                                                    "werkzeug")) -> None:
    """Put the masking filter on the root handlers and on the loggers (and handlers) of the servers
    around the app, which log through their own handlers."""
    masking = MaskingFilter()
    for logger in (logging.getLogger(), *(logging.getLogger(n) for n in logger_names)):
        if not any(isinstance(f, MaskingFilter) for f in logger.filters):
            logger.addFilter(masking)
        for handler in logger.handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(masking)
