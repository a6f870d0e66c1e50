"""Typed settings for Gongyou, read from GONGYOU_* environment variables."""

from config.settings import ConfigError, Settings, load_settings

__all__ = ["ConfigError", "Settings", "load_settings"]
