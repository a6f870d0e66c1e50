"""Fitting replies to a channel's budget: an SMS of at most N UCS-2 segments, a WeChat passive
reply under 2048 bytes. A long reply is cut into pages at line breaks (「回复0看下一页」); the numbered
options go together on the last page, never split."""

from __future__ import annotations

from collections.abc import Callable

from domain.messages import Reply

NEXT_HINT = "回复0看下一页"
Fits = Callable[[str], bool]


def sms_fits(max_segments: int) -> Fits:
    """Chinese text is UCS-2: 70 characters in one segment, 67 per segment when split."""
    limit = 70 if max_segments <= 1 else 67 * max_segments
    return lambda text: len(text) <= limit


def bytes_fit(max_bytes: int) -> Fits:
    return lambda text: len(text.encode("utf-8")) <= max_bytes


def _cut(line: str, fits: Fits) -> tuple[str, str]:
    """The longest head of ``line`` that fits with the hint, and the rest."""
    lo, hi = 1, len(line)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(f"{line[:mid]}\n{NEXT_HINT}"):
            lo = mid
        else:
            hi = mid - 1
    return line[:lo], line[lo:]


def paginate(reply: Reply, fits: Fits) -> list[Reply]:
    """One reply if it fits; otherwise pages that each fit, options on the last."""
    if fits(reply.render_text()):
        return [reply]
    options_block = Reply("", reply.options).render_text()
    lines = [line for line in reply.text.strip().split("\n") if line]
    pages: list[str] = []
    current = ""
    while lines:
        line = lines.pop(0)
        candidate = f"{current}\n{line}" if current else line
        is_last = not lines
        tail = f"\n{options_block}" if is_last and options_block else ""
        if fits(candidate + tail if is_last else f"{candidate}\n{NEXT_HINT}"):
            current = candidate
            continue
        if current:  # close this page, retry the line on the next one
            pages.append(current)
            current = ""
            lines.insert(0, line)
            continue
        head, rest = _cut(line, fits)  # a single line longer than a page
        pages.append(head)
        lines.insert(0, rest)
    if current and (not options_block or fits(f"{current}\n{options_block}")):
        pages.append(current)
        last_text = pages.pop()
    else:
        if current:
            pages.append(current)
        last_text = ""
    out = [Reply(f"{page}\n{NEXT_HINT}") for page in pages]
    out.append(Reply(last_text, reply.options))
    return out
