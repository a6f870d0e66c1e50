"""Replies fit the channel's budget; long ones are paged, options never split."""

from __future__ import annotations

from bot.conversation.paging import NEXT_HINT, bytes_fit, paginate, sms_fits
from domain.messages import Option, Reply

OPTIONS = (Option("转人工", "human_agent"), Option("主菜单", "help"))


def test_short_reply_is_one_page() -> None:
    reply = Reply("您好", OPTIONS)
    assert paginate(reply, sms_fits(2)) == [reply]


def test_long_reply_pages_within_two_sms_segments_with_options_last() -> None:
    text = "\n".join(f"第{i}条：农民工工资应当以货币形式按月足额支付给本人，不得以实物或者有价证券替代。"
                     for i in range(1, 9))
    pages = paginate(Reply(text, OPTIONS), sms_fits(2))
    assert len(pages) == 3  # 3 lines of 40 characters per page
    for page in pages:
        assert len(page.render_text()) <= 134, page.render_text()
    assert all(p.text.endswith(NEXT_HINT) and not p.options for p in pages[:-1])
    assert pages[-1].options == OPTIONS
    body = "".join(p.text.replace(NEXT_HINT, "") for p in pages).replace("\n", "")
    assert body == text.replace("\n", "")  # nothing lost, nothing repeated


def test_one_segment_budget_and_a_line_longer_than_a_page() -> None:
    text = "欠" * 200
    pages = paginate(Reply(text), sms_fits(1))
    assert all(len(p.render_text()) <= 70 for p in pages)
    assert "".join(p.text.replace(NEXT_HINT, "").strip() for p in pages) == text


def test_wechat_byte_budget() -> None:
    text = "\n".join("深圳宝安区电子厂招普工，包吃住，月薪六千到八千。" * 3 for _ in range(40))
    pages = paginate(Reply(text, OPTIONS), bytes_fit(1800))
    assert len(pages) >= 2 and all(len(p.render_text().encode()) <= 1800 for p in pages)
