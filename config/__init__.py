"""Typed settings for Gongyou, read from GONGYOU_* environment variables, and the data files kept here."""

from pathlib import Path

from config.settings import ConfigError, Settings, load_settings

TRADES_FILE = Path(__file__).resolve().parent / "trades.yml"  # related trades, for widening a job search

__all__ = ["TRADES_FILE", "ConfigError", "Settings", "load_settings"]
