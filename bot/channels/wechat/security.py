"""WeChat request security: signatures (constant-time), the replay window, each signature used for
one request only, safe-mode AES with key rotation.

Modes: plaintext (``signature`` only); compatible and safe (``encrypt_type=aes``: the body carries
``<Encrypt>``, checked by ``msg_signature`` and decrypted; the reply is encrypted). With an
EncodingAESKey configured, a plaintext request is refused (it would bypass the encryption) unless
plaintext is explicitly allowed, for the switch-over. During an EncodingAESKey rotation the current
key is tried first, then the previous one; the reply is encrypted under the key that opened it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

import redis
import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.channels.errors import BadRequest, CannotCheckNow, ForbiddenSignature
from domain.signatures import SignatureLedger


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


@dataclass(frozen=True)
class Opened:
    xml: bytes  # the plaintext message
    crypto: WeChatCrypto | None  # set in safe/compatible mode: the reply must be encrypted with it


class WeChatSecurity:
    def __init__(self, token: str, app_id: str, aes_keys: tuple[str, ...], max_age_seconds: int,
                 seen: redis.Redis, allow_plaintext: bool = False, prefix: str = "gongyou:wx:signed",
                 ledger: SignatureLedger | None = None) -> None:
        self.token = token
        self.max_age = max_age_seconds
        self._cryptos = tuple(WeChatCrypto(token, key, app_id) for key in aes_keys if key)
        self._seen = seen
        self._allow_plaintext = allow_plaintext or not self._cryptos
        self._prefix = prefix
        self._ledger = ledger  # where used signatures are kept when Redis is away

    def verify(self, args: Mapping[str, str]) -> None:
        """The plain ``signature`` over token, timestamp, nonce (URL check and every POST)."""
        expected = sha1_signature(self.token, args.get("timestamp", ""), args.get("nonce", ""))
        if not hmac.compare_digest(expected, args.get("signature", "")):
            raise ForbiddenSignature("bad WeChat signature")

    def check_fresh(self, args: Mapping[str, str], now: float | None = None) -> None:
        """Refuse a timestamp outside the window: a captured request replayed later is rejected."""
        try:
            age = (now or time.time()) - int(args.get("timestamp", ""))
        except ValueError as exc:
            raise BadRequest("timestamp missing or not a number") from exc
        if abs(age) > self.max_age:
            raise ForbiddenSignature(f"timestamp outside the {self.max_age} s window")

    def check_once(self, args: Mapping[str, str], body: bytes) -> None:
        """A (signature, timestamp, nonce) signs one request: the same triple with another body is a
        replay (「转人工」 forged under a captured signature). WeChat's own retry of the same request
        (same body) passes; the de-duplication then gives it the first answer."""
        triple = "\n".join(args.get(name, "") for name in ("signature", "timestamp", "nonce", "msg_signature"))
        signed = hashlib.sha256(triple.encode()).hexdigest()
        key = f"{self._prefix}:{signed}"
        digest = hashlib.sha256(body).hexdigest()
        try:
            if self._seen.set(key, digest, nx=True, ex=2 * self.max_age + 60):  # the window runs both ways
                return
            if self._seen.get(key) != digest:
                raise ForbiddenSignature("signature already used for another request")
        except redis.RedisError as exc:
            if args.get("encrypt_type") == "aes":
                return  # safe mode: msg_signature covers the body, so another body cannot reuse it
            self._check_once_in_ledger(signed, digest, exc)

    def _check_once_in_ledger(self, signed: str, digest: str, cause: Exception) -> None:
        """Redis is away: the database remembers used signatures instead; with both away, nobody can
        tell a replay, so the request is refused for now (503: WeChat sends it again)."""
        if self._ledger is None:
            raise CannotCheckNow("cannot tell a replay now; send again") from cause
        try:
            first = self._ledger.first_use(signed, digest, 2 * self.max_age + 60)
        except Exception as exc:
            raise CannotCheckNow("cannot tell a replay now; send again") from exc
        if first is not None and first != digest:
            raise ForbiddenSignature("signature already used for another request")

    def open(self, body: bytes, args: Mapping[str, str]) -> Opened:
        """The plaintext XML of a request, decrypting it in safe/compatible mode."""
        if args.get("encrypt_type", "raw") != "aes":
            if not self._allow_plaintext:
                raise ForbiddenSignature("plaintext request while safe mode is configured")
            return Opened(body, None)
        if not self._cryptos:
            raise BadRequest("encrypted message but no EncodingAESKey configured")
        try:
            encrypt = xmltodict.parse(body, disable_entities=True)["xml"]["Encrypt"]
        except (KeyError, TypeError) as exc:
            raise BadRequest("encrypted message without <Encrypt>") from exc
        expected = sha1_signature(self.token, args.get("timestamp", ""), args.get("nonce", ""), encrypt or "")
        if not hmac.compare_digest(expected, args.get("msg_signature", "")):
            raise ForbiddenSignature("bad WeChat msg_signature")
        for crypto in self._cryptos:  # current key, then the previous one
            try:
                xml = crypto.decrypt_message(body, args["msg_signature"], args["timestamp"], args["nonce"])
            except Exception:  # wrong key: padding, length, app id or encoding errors
                continue
            return Opened(xml.encode() if isinstance(xml, str) else xml, crypto)
        raise BadRequest("message could not be decrypted with the configured keys")

    @staticmethod
    def seal(reply_xml: str, opened: Opened, args: Mapping[str, str]) -> str:
        """The reply as WeChat expects it: encrypted when the message was."""
        if opened.crypto is None:
            return reply_xml
        return str(opened.crypto.encrypt_message(reply_xml, args.get("nonce", ""), args.get("timestamp")))

