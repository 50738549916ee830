"""The first pass on a ticket's text: intent, urgency, mood and priority.

Pure functions over texts (no database), shared by the desk's Celery task and
the `classify_tickets` command. One encoder pass per batch feeds the intent
classifier and the urgency and mood readings.

Urgency and mood combine two signals: similarity to a few anchor phrases per
level (what the embedder knows about tone) and explicit cues that an agent
would act on whatever the tone (a chargeback or legal threat, "third time",
"still", a deadline, shouting). Cues can only raise a level, never lower it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ecomops.ml.intents import OTHER, IntentClassifier, IntentPrediction, encode

URGENCIES = ("low", "normal", "high", "urgent")
MOODS = ("positive", "neutral", "negative", "angry")

URGENCY_ANCHORS = {
    "low": [
        "Just a quick question, no rush.",
        "Do you sell this in other colours?",
        "I was wondering how your newsletter works.",
        "I'd like to leave a review.",
    ],
    "normal": [
        "Can you tell me when my order will arrive?",
        "I need to change my delivery address.",
        "How do I return an item?",
        "Please send me the invoice for my order.",
    ],
    "high": [
        "My order is late and I need it this week.",
        "I was charged twice, please fix this quickly.",
        "The item arrived broken.",
        "I still have not received my refund.",
    ],
    "urgent": [
        "I need this today, it is an emergency.",
        "Someone used my card without permission, this is fraud.",
        "I will contact my lawyer and my bank for a chargeback.",
        "This is the third time I am writing and nobody answers.",
    ],
}
MOOD_ANCHORS = {
    "positive": ["Thank you so much, great service!", "I love the product, you were very helpful."],
    "neutral": ["I have a question about my order.", "Could you tell me how this works?"],
    "negative": ["I am disappointed, the item is not what I expected.", "This is not good, my parcel is late."],
    "angry": ["This is unacceptable, you are useless!", "I am furious, worst service ever, I want my money now!"],
}


def _any(*phrases: str) -> re.Pattern:
    """A case-insensitive pattern matching any of the phrases as whole words."""
    return re.compile(r"\b(" + "|".join(phrases) + r")\b", re.I)


_LEGAL = _any(
    "lawyer",
    "solicitor",
    "attorney",
    "legal action",
    "sue",
    "court",
    "chargeback",
    "dispute",
    "trading standards",
    "fraud",
    "scam",
    "police",
)
_REPEAT = _any(
    "still",
    "again",
    r"(second|third|fourth|fifth|\d+(st|nd|rd|th)) time",
    "no (one|reply|answer|response)",
    "nobody",
    "weeks?",
)
_DEADLINE = _any(
    r"urgent(ly)?",
    "asap",
    "immediately",
    "right now",
    "today",
    "tonight",
    "tomorrow",
    "emergency",
    "by (monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
)
_INSULT = _any(
    "useless",
    "ridiculous",
    "unacceptable",
    "disgusting",
    "pathetic",
    "worst",
    "joke",
    "incompetent",
    "furious",
    "outrageous",
    "scam",
    "liars?",
)
_THANKS = _any("thanks?", "thank you", "great", "love", "awesome", "wonderful", "amazing", "appreciate", "happy")
_PROBLEM = _any(
    "broken",
    "damaged",
    "defective",
    "faulty",
    "late",
    "missing",
    "lost",
    "wrong",
    "stolen",
    "declined",
    "rejected",
    "charged twice",
    "billed twice",
    "double charged",
    "never (arrived|came|received)",
    "not (arrived|received)",
    "ha(ve|s)n'?t (arrived|received|come)",
    "locked out",
    "error",
)
_UNHAPPY = _any(
    "disappointed",
    "unhappy",
    "not happy",
    "upset",
    "annoyed",
    r"frustrat\w*",
    "terrible",
    "awful",
    "horrible",
    "bad",
    "poor",
    "rude",
    r"complain\w*",
    "unacceptable",
)
_NEGATION = re.compile(r"\b(not|never|no|don'?t|didn'?t|isn'?t|wasn'?t)\b", re.I)

# How much closer (cosine) a text must be to one group of anchors than to the other
# before the anchors alone move a level; below it the cues decide. Short texts sit
# within ~0.05 of every anchor, so the anchors only speak for clear cases.
ANCHOR_MARGIN = 0.12

# Weights of the priority score (0-100, higher first). An angry customer with a late
# order (intent 6 + high 24 + angry 24 = 54) outranks a polite product question
# (0 + low 0 + neutral 0); urgency weighs most, then mood, then the intent.
URGENCY_POINTS = {"low": 0, "normal": 12, "high": 24, "urgent": 40}
MOOD_POINTS = {"positive": 0, "neutral": 0, "negative": 12, "angry": 24}
# Intents that usually have money or a deadline at stake; a store's own intents
# not listed here count 0. Names are the default list's and bench/data's.
INTENT_POINTS = {
    "payment_issue": 16,
    "payment_problem": 16,
    "complaint": 12,
    "get_refund": 10,
    "track_refund": 8,
    "return_or_refund": 10,
    "cancel_order": 10,
    "change_order": 8,
    "change_shipping_address": 10,
    "shipping_address": 10,
    "track_order": 6,
    "order_status": 6,
    "contact_human_agent": 6,
    "recover_password": 4,
    "registration_problems": 4,
    "delete_account": 4,
}


@dataclass(frozen=True)
class Triage:
    intent: str
    confidence: float
    urgency: str
    mood: str
    priority: int


@dataclass(frozen=True)
class _Anchors:
    labels: tuple[str, ...]
    rows: np.ndarray  # (n anchors, dim)
    label_of_row: np.ndarray  # (n anchors,) index into labels


def triage_texts(texts: Sequence[str], *, classifier: IntentClassifier) -> list[Triage]:
    """Triage every text with one encoder pass; results in input order."""
    if not texts:
        return []
    encoded = classifier.encode(texts)  # typos of intent words put right; the cues below read the text as written
    intents = classifier.predict_encoded(encoded)
    urgency_scores = _anchor_scores(classifier.embedder, "urgency", encoded.sentence)
    mood_scores = _anchor_scores(classifier.embedder, "mood", encoded.sentence)
    out = []
    for text, intent, u_row, m_row in zip(texts, intents, urgency_scores, mood_scores):
        urgency = read_urgency(text, u_row)
        mood = read_mood(text, m_row)
        out.append(Triage(intent.intent, intent.confidence, urgency, mood, priority_of(intent, urgency, mood)))
    return out


def read_urgency(text: str, anchor_scores: np.ndarray) -> str:
    """Normal unless something says otherwise. A legal, fraud or chargeback threat is
    urgent; a problem (broken, late, charged twice), repeated contact, a deadline or
    shouting each count one point: one point is high, two are urgent. A text much
    closer to the calm anchors than to the pressing ones is low."""
    if _LEGAL.search(text):
        return "urgent"
    points = sum(bool(p.search(text)) for p in (_PROBLEM, _REPEAT, _DEADLINE)) + _shouting(text)
    pressing = float(anchor_scores[2:].max() - anchor_scores[:2].max())
    if points >= 2 or (points == 1 and pressing > ANCHOR_MARGIN):
        return "urgent"
    if points == 1 or pressing > ANCHOR_MARGIN:
        return "high"
    if float(anchor_scores[0] - anchor_scores[1:].max()) > ANCHOR_MARGIN:
        return "low"
    return "normal"


def read_mood(text: str, anchor_scores: np.ndarray) -> str:
    """Angry on two signs of anger (insults, shouting, '!!!', threats); negative on one,
    on a complaint word or when the text sits clearly closer to the unhappy anchors;
    positive on thanks or praise without complaint; otherwise neutral."""
    anger = len(_INSULT.findall(text)) + _shouting(text) + (text.count("!") >= 3) + bool(_LEGAL.search(text))
    if anger >= 2:
        return "angry"
    unhappy = float(anchor_scores[2:].max() - anchor_scores[:2].max())
    if anger or _UNHAPPY.search(text) or unhappy > ANCHOR_MARGIN:
        return "negative"
    if _THANKS.search(text) and not _NEGATION.search(text):
        return "positive"
    return "neutral"


def priority_of(intent: IntentPrediction, urgency: str, mood: str) -> int:
    points = URGENCY_POINTS[urgency] + MOOD_POINTS[mood]
    if intent.intent != OTHER:
        points += INTENT_POINTS.get(intent.intent, 0)
    return min(100, points)


def _shouting(text: str) -> int:
    """1 when the customer shouts: several words in capitals or '!!'."""
    capitals = [
        w for w in re.findall(r"\b[A-Z]{3,}\b", text) if w not in {"USA", "VAT", "PDF", "GDPR", "SKU", "UPS", "DHL"}
    ]
    return int(len(capitals) >= 2 or "!!" in text)


def _anchor_scores(embedder, kind: str, sentence: np.ndarray) -> np.ndarray:
    """(n texts, n levels): each level's best anchor similarity."""
    anchors = _anchors(embedder, kind)
    similarity = sentence @ anchors.rows.T
    out = np.full((len(sentence), len(anchors.labels)), -1.0, dtype=np.float32)
    for index in range(len(anchors.labels)):
        out[:, index] = similarity[:, anchors.label_of_row == index].max(axis=1)
    return out


_anchor_cache: dict[tuple[int, str], tuple[object, _Anchors]] = {}


def _anchors(embedder, kind: str) -> _Anchors:
    """Anchor vectors, encoded once per embedder object and kind."""
    cached = _anchor_cache.get((id(embedder), kind))
    if cached is not None and cached[0] is embedder:
        return cached[1]
    table = URGENCY_ANCHORS if kind == "urgency" else MOOD_ANCHORS
    labels = tuple(table)
    texts = [t for label in labels for t in table[label]]
    rows = encode(embedder, texts).sentence
    label_of_row = np.array([i for i, label in enumerate(labels) for _ in table[label]])
    anchors = _Anchors(labels, rows, label_of_row)
    _anchor_cache[(id(embedder), kind)] = (embedder, anchors)  # keeps the embedder alive: ids stay unique
    return anchors
