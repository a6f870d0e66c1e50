"""External test vectors from ../shared/PROTOCOLS.md (made by WeChat, wechatpy and Twilio)."""

from __future__ import annotations

import pytest
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import check_signature

from bot.channels.sms.webhook import signature_valid

SAMPLE_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2L"
    "dJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6u"
    "x5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJ"
    "pXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCz"
    "pu9GhglF2PE="
)
WECHATPY_ENCRYPT = (
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dG"
    "ymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBi"
    "T+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SN"
    "dshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eB"
    "dCRxthuL0="
)


@pytest.mark.parametrize(
    ("token", "timestamp", "nonce", "signature"),
    [
        ("spamtest", "1409735669", "1320562132", "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"),
        ("AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78"),
    ],
)
def test_wechat_plain_signature_vectors(token: str, timestamp: str, nonce: str, signature: str) -> None:
    check_signature(token, signature, timestamp, nonce)
    with pytest.raises(InvalidSignatureException):
        check_signature(token, signature[:-1] + "0", timestamp, nonce)


def _envelope(encrypt: str) -> str:
    return f"<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"


def test_wechat_safe_mode_official_sample_decrypts() -> None:
    crypto = WeChatCrypto("spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2")
    xml = crypto.decrypt_message(
        _envelope(SAMPLE_ENCRYPT), "5d197aaffba7e9b25a30732f161a50dee96bd5fa", "1409735669", "1320562132"
    )
    assert "<Content><![CDATA[abcdteT]]></Content>" in xml
    assert "oyORnuP8q7ou2gfYjqLzSIWZf0rs" in xml and "6054768590064713728" in xml


def test_wechat_safe_mode_wechatpy_vector_decrypts_and_rejects_tampering() -> None:
    crypto = WeChatCrypto("123456", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a")
    xml = crypto.decrypt_message(
        _envelope(WECHATPY_ENCRYPT), "74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294"
    )
    assert "<Content><![CDATA[test]]></Content>" in xml and "messense" in xml
    with pytest.raises(InvalidSignatureException):
        crypto.decrypt_message(
            _envelope(WECHATPY_ENCRYPT), "74d92dfeb87ba7c714f89d98870ae5eb62dff26e", "1411525903", "461056294"
        )


TWILIO_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        ("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="),
        ("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
    ],
)
def test_twilio_signature_vectors(url: str, signature: str) -> None:
    assert signature_valid("12345", url, TWILIO_PARAMS, signature)
    assert not signature_valid("12345", url, {**TWILIO_PARAMS, "Digits": "9999"}, signature)
    assert not signature_valid("54321", url, TWILIO_PARAMS, signature)


def test_twilio_docs_example_vector() -> None:
    params = {**TWILIO_PARAMS, "Caller": "+12349013030", "From": "+12349013030"}
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature_valid("12345", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    assert not signature_valid("12345", url, params, "")
