"""Twilio SMS webhook: X-Twilio-Signature check, TwiML reply."""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, Response, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.conversation.pipeline import Pipeline
from domain.messages import Channel, InboundMessage

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__)

# Single-word keywords (Twilio's and the Chinese convention). English STOP is confirmed by Twilio
# itself; 退订/TD get one confirmation from us.
KEYWORDS: dict[str, tuple[str, dict[str, bool]]] = {
    **{w: ("opt_out", {}) for w in ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT")},
    **{w: ("opt_out", {"confirm": True}) for w in ("退订", "TD")},
    **{w: ("opt_in", {}) for w in ("START", "YES", "UNSTOP", "订阅")},
    **{w: ("sms_help", {}) for w in ("HELP", "INFO", "帮助")},
}


def keyword_action(body: str) -> tuple[str | None, dict[str, bool]]:
    action, payload = KEYWORDS.get(body.strip().upper(), (None, {}))
    return action, dict(payload)


def public_url(base_url: str) -> str:
    """The URL Twilio signed: the configured public base plus path and query, else the request URL."""
    if not base_url:
        return request.url
    query = request.query_string.decode()
    return base_url.rstrip("/") + request.path + (f"?{query}" if query else "")


def signature_valid(token: str, url: str, params: dict[str, str], signature: str) -> bool:
    return bool(signature) and RequestValidator(token).validate(url, params, signature)


def _twiml(text: str | None) -> Response:
    resp = MessagingResponse()
    if text:
        resp.message(text)
    return Response(str(resp), mimetype="application/xml")


def _signed_form(*required: str) -> dict[str, str] | Response:
    """The posted parameters when Twilio's signature holds (else 403) and the required ones are there (else 400)."""
    settings = current_app.config["GONGYOU"]
    params = request.form.to_dict()
    if not signature_valid(settings.twilio_auth_token, public_url(settings.public_base_url), params,
                           request.headers.get("X-Twilio-Signature", "")):
        return Response("forbidden", status=403, mimetype="text/plain")
    if not all(params.get(name) for name in required):
        return Response(f"bad request: {' and '.join(required)} are required", status=400, mimetype="text/plain")
    return params


@bp.post("/sms")
def receive() -> Response:
    params = _signed_form("From", "MessageSid")
    if isinstance(params, Response):
        return params
    sender, sid = params["From"], params["MessageSid"]
    body = params.get("Body", "")
    action, payload = keyword_action(body)
    inbound = InboundMessage(channel=Channel.SMS, user_id=sender, text=body, message_id=sid,
                             media=tuple(params[k] for k in sorted(params) if k.startswith("MediaUrl")),
                             action=action, payload=payload)
    pipeline: Pipeline = current_app.extensions["gongyou.pipeline"]
    try:
        outcome = pipeline.handle(inbound)
    except Exception:  # not recorded anywhere: no 200, so Twilio's fallback URL (or the sender) tries again
        log.exception("SMS %s could not be recorded", sid)
        return Response("busy: not recorded, send again", status=503, mimetype="text/plain")
    response = _twiml(outcome.reply.render_text() if outcome.reply else None)
    response.call_on_close(partial(pipeline.replied, outcome))  # handed to Twilio: the transcript says so
    return response


@bp.post("/sms/status")
def status_callback() -> Response:
    """Twilio's delivery report for a message we sent: queued → sent → delivered / undelivered / failed."""
    params = _signed_form("MessageSid", "MessageStatus")
    if isinstance(params, Response):
        return params
    sid, status = params["MessageSid"], params["MessageStatus"]
    if not current_app.extensions["gongyou.outbox"].update_status(sid, status, params.get("ErrorCode") or None):
        log.info("status callback for unknown message %s", sid)
    return Response(status=204)
