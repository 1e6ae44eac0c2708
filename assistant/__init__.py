"""Procurement Assistant: grounded answers over English local-government procurement guidance."""

from assistant.service import Assistant
from assistant.settings import Settings

__all__ = ["Assistant", "Settings"]
