"""`make chat`: talk to the bot as a worker, in the terminal, through the real pipeline."""

from __future__ import annotations

import sys
import uuid

from bot import create_app
from domain.messages import Channel, InboundMessage


def main() -> int:
    app = create_app()
    app.extensions["gongyou.db"].upgrade()
    pipeline = app.extensions["gongyou.pipeline"]
    user = f"cli-{uuid.uuid4().hex[:6]}"
    interactive = sys.stdin.isatty()
    if interactive:
        print("工友助手（终端）。像工人一样打字，比如「你好」「苏州有电子厂招普工吗」；Ctrl-D 退出。")
    for line in sys.stdin if not interactive else iter(lambda: input("你> "), None):
        if not line.strip():
            continue
        msg = InboundMessage(channel=Channel.CLI, user_id=user, text=line.strip(), message_id=uuid.uuid4().hex)
        outcome = pipeline.handle(msg)
        print(("工友> " if interactive else "") + (outcome.reply.render_text() if outcome.reply else ""))
        pipeline.replied(outcome)
        print()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (EOFError, KeyboardInterrupt):
        print()
        sys.exit(0)
