"""Handlers, one module per capability. Importing this package registers them all."""

from handlers import (  # noqa: F401  (registration by decorator)
    checkins,
    contact,
    departures,
    events,
    guidance,
    menu,
    policy,
    privacy,
    registry,
    stations,
    subsidies,
    training,
    vacancy,
)
from handlers.base import HANDLER_CLASSES, HandlerRegistry, build_registry
from handlers.intake import engine  # noqa: F401
from handlers.menu import FallbackHandler


def default_registry() -> HandlerRegistry:
    return build_registry(HANDLER_CLASSES, FallbackHandler)


__all__ = ["default_registry"]
