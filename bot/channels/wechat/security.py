"""WeChat request security: signatures (constant-time), replay window, safe-mode AES with key rotation.

Modes: plaintext (``signature`` only); compatible and safe (``encrypt_type=aes``: the body carries
``<Encrypt>``, checked by ``msg_signature`` and decrypted; the reply is encrypted). During an
EncodingAESKey rotation the current key is tried first, then the previous one; the reply is
encrypted under the key that opened the message.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.channels.errors import BadRequest, ForbiddenSignature


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


@dataclass(frozen=True)
class Opened:
    xml: bytes  # the plaintext message
    crypto: WeChatCrypto | None  # set in safe/compatible mode: the reply must be encrypted with it


class WeChatSecurity:
    def __init__(self, token: str, app_id: str, aes_keys: tuple[str, ...], max_age_seconds: int) -> None:
        self.token = token
        self.max_age = max_age_seconds
        self._cryptos = tuple(WeChatCrypto(token, key, app_id) for key in aes_keys if key)

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

    def open(self, body: bytes, args: Mapping[str, str]) -> Opened:
        """The plaintext XML of a request, decrypting it in safe/compatible mode."""
        if args.get("encrypt_type", "raw") != "aes":
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

