"""Ask: grounded, cited, conversational answers (guard → rephrase → retrieve → compose → verify)."""

from assistant.ask.types import Answer, Citation

__all__ = ["Answer", "Citation"]
