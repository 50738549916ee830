"""Tickets in, checked reply drafts out: one batched generator call per chunk.

Pure Python, no database: services build a `TicketContext` per ticket (articles
found by retrieval, order facts, the conversation) and save what comes back.
A draft that promises what its sources do not back is returned flagged; a draft
is never rewritten by a template here (an agent reviews every draft anyway).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ecomops.ml.generator import generate_resilient
from support.promises import unbacked_promises
from support.prompts import PROMPT_VERSION, TicketContext, facts_text, reply_chat

# Greedy, with the penalties the catalog found best for SmolLM2 (catalog/writing.py);
# 160 new tokens is about five sentences.
MAX_NEW_TOKENS = 160
DECODING = {"temperature": 0.0, "repetition_penalty": 1.15, "no_repeat_ngram_size": 3}


@dataclass
class DraftResult:
    text: str
    flags: list[dict]
    model_version: str
    prompt_version: str = PROMPT_VERSION


def write_drafts(contexts: Sequence[TicketContext], *, generator) -> list[DraftResult]:
    """One draft per context, in order; one generator call for the whole batch."""
    if not contexts:
        return []
    chats = [reply_chat(context) for context in contexts]
    texts = generate_resilient(generator, chats, max_new_tokens=MAX_NEW_TOKENS, **DECODING)
    version = str(getattr(generator, "version", type(generator).__name__))
    results = []
    for context, raw in zip(contexts, texts):
        text = clean_draft(raw)
        flags = [p.as_flag() for p in unbacked_promises(text, sources=facts_text(context))]
        if not text:
            flags.append({"kind": "empty", "text": "The model wrote nothing usable."})
        results.append(DraftResult(text=text, flags=flags, model_version=version))
    return results


# SmolLM2 sometimes goes on to echo the prompt's blocks after its reply (seen on the
# demo tickets: "STORE FACTS\n[Article 2] ..." with the facts altered); cut there.
_ECHO = re.compile(r"^\s*(STORE FACTS|\[Article \d+\]|Order facts:|Customer message|Rules:)", re.M)


def clean_draft(text: str) -> str:
    """Drop echoed prompt blocks, fences and role labels, and a trailing unfinished sentence."""
    text = text or ""
    if echo := _ECHO.search(text):
        text = text[: echo.start()]
    text = re.sub(r"(<<<|>>>|^\s*(assistant|agent|reply)\s*:\s*)", "", text, flags=re.I | re.M).strip()
    if text and text[-1] not in ".!?)" and re.search(r"[.!?]", text):
        text = text[: max(text.rfind("."), text.rfind("!"), text.rfind("?")) + 1]
    return text.strip()
