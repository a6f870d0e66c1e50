"""Build signed WeChat webhook requests the way the WeChat servers send them."""

from __future__ import annotations

import hashlib
import secrets
import time
from itertools import count

_ids = count(6054768590064713728)


def sign(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def signed_query(token: str, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
    """A fresh nonce each time, as WeChat sends: a signature is good for one request only."""
    ts = timestamp or str(int(time.time()))
    nonce = nonce or str(secrets.randbelow(10**10))
    return {"signature": sign(token, ts, nonce), "timestamp": ts, "nonce": nonce}


def text_xml(content: str, sender: str = "oWorker0001", msg_id: int | None = None) -> bytes:
    msg_id = msg_id if msg_id is not None else next(_ids)
    return (
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    ).encode()


def _xml(msg_type: str, sender: str, created: int | None, fields: dict[str, str], msg_id: bool) -> bytes:
    extra = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
    tail = f"<MsgId>{next(_ids)}</MsgId>" if msg_id else ""
    return (
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName><CreateTime>{created or int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>{extra}{tail}</xml>"
    ).encode()


def event_xml(event: str, sender: str = "oWorker0001", created: int | None = None, **fields: str) -> bytes:
    return _xml("event", sender, created, {"Event": event, **fields}, msg_id=False)


def media_xml(msg_type: str, sender: str = "oWorker0001", **fields: str) -> bytes:
    return _xml(msg_type, sender, None, fields, msg_id=True)
