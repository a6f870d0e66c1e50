"""Local stand-ins for the platforms' servers, speaking their real HTTP shape on 127.0.0.1."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@dataclass
class WeChatApiStandIn:
    """api.weixin.qq.com/cgi-bin: token, message/custom/send, menu/create."""

    url: str = ""
    token_fetches: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    menus: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    closed_window: set[str] = field(default_factory=set)  # openids answered with 45015
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # media_id → (bytes, content type)
    valid_tokens: set[str] = field(default_factory=set)

    def app(self) -> Flask:
        app = Flask("wechat-standin")
        counter = itertools.count(1)

        @app.get("/cgi-bin/token")
        def token():  # type: ignore[no-untyped-def]
            if request.args.get("grant_type") != "client_credential" or not request.args.get("secret"):
                return jsonify(errcode=40002, errmsg="invalid grant_type")
            time.sleep(0.05)  # a real fetch takes a while: concurrent callers would overlap
            self.token_fetches += 1
            value = f"TOKEN-{next(counter)}"
            self.valid_tokens.add(value)
            return jsonify(access_token=value, expires_in=7200)

        def authorised() -> bool:
            return request.args.get("access_token") in self.valid_tokens

        @app.get("/cgi-bin/media/get")
        def media_get():  # type: ignore[no-untyped-def]
            if not authorised():
                return jsonify(errcode=40001, errmsg="invalid credential")
            found = self.media.get(request.args.get("media_id", ""))
            if found is None:
                return jsonify(errcode=40007, errmsg="invalid media_id")
            return Response(found[0], mimetype=found[1])

        @app.post("/cgi-bin/message/custom/send")
        def custom_send():  # type: ignore[no-untyped-def]
            if not authorised():
                return jsonify(errcode=40001, errmsg="invalid credential")
            body = request.get_json(force=True)
            if body.get("touser") in self.closed_window:
                return jsonify(errcode=45015, errmsg="response out of time limit or subscription is canceled")
            self.sent.append(body)
            return jsonify(errcode=0, errmsg="ok")

        @app.post("/cgi-bin/message/template/send")
        def template_send():  # type: ignore[no-untyped-def]
            if not authorised():
                return jsonify(errcode=40001, errmsg="invalid credential")
            body = request.get_json(force=True)
            if not body.get("template_id"):
                return jsonify(errcode=40037, errmsg="invalid template_id")
            self.templates.append(body)
            return jsonify(errcode=0, errmsg="ok", msgid=200228332)

        @app.post("/cgi-bin/menu/create")
        def menu_create():  # type: ignore[no-untyped-def]
            if not authorised():
                return jsonify(errcode=40001, errmsg="invalid credential")
            self.menus.append(request.get_json(force=True))
            return jsonify(errcode=0, errmsg="ok")

        return app


def delaying_proxy(target: str, delay: float) -> Flask:
    """A Rasa that stalls: waits ``delay`` seconds, then forwards to the real server."""
    app = Flask("slow-rasa")

    @app.route("/<path:path>", methods=["GET", "POST"])
    def forward(path: str):  # type: ignore[no-untyped-def]
        time.sleep(delay)
        resp = requests.request(request.method, f"{target}/{path}", params=request.args, data=request.get_data(),
                                headers={"Content-Type": "application/json"}, timeout=30)
        return resp.content, resp.status_code, {"Content-Type": "application/json"}

    return app


@dataclass
class TwilioApiStandIn:
    """api.twilio.com: POST /2010-04-01/Accounts/{sid}/Messages.json with basic auth."""

    account_sid: str
    auth_token: str
    url: str = ""
    created: list[dict[str, str]] = field(default_factory=list)
    unsubscribed: set[str] = field(default_factory=set)  # answered with 21610
    failing: set[str] = field(default_factory=set)  # answered with a 500

    def app(self) -> Flask:
        app = Flask("twilio-standin")
        counter = itertools.count(1)

        @app.post("/2010-04-01/Accounts/<sid>/Messages.json")
        def create(sid: str):  # type: ignore[no-untyped-def]
            auth = request.authorization
            if sid != self.account_sid or auth is None or (auth.username, auth.password) != (sid, self.auth_token):
                return jsonify(code=20003, message="Authenticate", status=401), 401
            form = request.form.to_dict()
            if form.get("To") in self.unsubscribed:
                return jsonify(code=21610, message="Attempt to send to unsubscribed recipient", status=400), 400
            if form.get("To") in self.failing:
                return jsonify(code=20500, message="Internal Server Error", status=500), 500
            self.created.append(form)
            msg_sid = f"SM{next(counter):032d}"
            return jsonify(sid=msg_sid, status="queued", to=form.get("To"), body=form.get("Body"),
                           account_sid=sid, num_segments="1"), 201

        return app
