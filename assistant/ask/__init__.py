"""Ask: grounded, cited, conversational answers (guard → rephrase → retrieve → compose → verify)."""

from domain.types import Answer, Citation

__all__ = ["Answer", "Citation"]
