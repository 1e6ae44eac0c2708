"""The assistant's fixed replies: what it says when it does not answer from the guidance.

The guard's polite replies and the composer's and pipeline's declines live together here, below
every stage, so that a later stage can tell a reply that declined from an answer (rephrase does not
carry a decline's words into a follow-up's search) without importing the stage that wrote it."""

from __future__ import annotations

NOT_COVERED = "The guidance I hold doesn't cover that."
NO_RELIABLE_ANSWER = "I could not build a reliable answer from the guidance for that question."

# What to say to each off-topic class of the fitted topic classifier (assistant/learn/topic.py).
OFF_TOPIC_REPLIES = {
    "council_service": "That is a council service question, not procurement guidance: your council's website or "
    "contact centre can help with it.",
    "legal_dispute": "I can't give legal advice on a live dispute or claim: please speak to your council's legal "
    "team or monitoring officer.",
    "named_council_prices": "I don't hold any council's contract prices or spending data: the council's contracts "
    "register or published transparency data would have them.",
    "general_chat": "That is outside what I can help with.",
}


HELP = (
    "I answer questions about the National Procurement Strategy for Local Government in England and "
    "related guidance, with sources: for example “What is social value?”, “What should I ask about our "
    "strategic suppliers?” or “What does Mature look like for managing contracts?”."
)
MANIPULATION_REPLY = "I can't change how I work, share my instructions or set an outcome in advance. " + HELP
EMPTY_REPLY = "Please type a question. " + HELP
LANGUAGE_REPLY = (
    f"I can only answer questions in English, the language of the guidance I hold. Please ask again in English. {HELP}"
)

# How every reply that declines opens: a follow-up to one carries its question over, not its words
DECLINES = (
    NOT_COVERED,
    NO_RELIABLE_ANSWER,
    *OFF_TOPIC_REPLIES.values(),
    MANIPULATION_REPLY,
    EMPTY_REPLY,
    LANGUAGE_REPLY,
)
