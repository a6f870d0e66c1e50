"""Refuse hostile or malformed XML before any parser that might expand entities sees it."""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.channels.errors import BadRequest


def check_xml(body: bytes) -> None:
    """Raise BadRequest for empty, malformed, DTD- or entity-bearing XML (billion laughs, XXE)."""
    if not body.strip():
        raise BadRequest("empty body")
    try:
        fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadRequest(f"forbidden XML construct: {type(exc).__name__}") from exc
    except ParseError as exc:
        raise BadRequest("malformed XML") from exc
