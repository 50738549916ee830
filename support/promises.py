"""The no-invented-promise check: a draft may promise a refund, a discount, an amount
or a date only when the articles or order facts it was given say so.

Deliberately strict and plain (regular expressions, no model): a false alarm costs
an agent one glance; a missed invented refund costs money and trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?"
    r"|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)"
)
_WEEKDAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

_DATE = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}([/.]\d{{2,4}})?"
    rf"|\d{{1,2}}(st|nd|rd|th)?\s+{_MONTHS}|{_MONTHS}\s+\d{{1,2}}(st|nd|rd|th)?"
    rf"|tomorrow|tonight|today|next week|this week|{_WEEKDAYS}"
    rf"|(within|in)\s+\d+\s*(-\s*\d+\s*)?(business\s+|working\s+)?(hours?|days?|weeks?))\b",
    re.I,
)
_MONEY = re.compile(r"([€$£]\s?\d+([.,]\d{1,2})?|\d+([.,]\d{1,2})?\s?(€|eur|euros?|usd|dollars?|gbp|pounds?))", re.I)
_PERCENT = re.compile(r"\b\d{1,3}\s?(%|percent)", re.I)
_DISCOUNT = re.compile(
    r"\b(discount|voucher|coupon|promo code|store credit|gift card|compensation|free of charge|free shipping"
    r"|money off)\b",
    re.I,
)
_REFUND = re.compile(r"\b(refund(ed|s|ing)?|reimburs\w*|money back)\b", re.I)
# A refund mentioned without commitment ("our refund policy", "if you would like a refund")
# is not a promise; these words make it one.
_COMMITMENT = re.compile(r"\b(will|we'll|i'll|are going to|guarantee|right away|immediately)\b", re.I)
# A refund said to be done already needs the order itself to be refunded.
_DONE = re.compile(r"\b(have|has been|is being|approved|issued|processed|on its way|sent)\b", re.I)
_REFUNDED_ORDER = "status: refunded"
_PERSONAL = re.compile(r"\b(you|your|we|i)\b", re.I)  # about this customer, not the general policy


@dataclass(frozen=True)
class Promise:
    kind: str  # refund | discount | amount | percent | date
    text: str

    def as_flag(self) -> dict:
        return {"kind": self.kind, "text": self.text}


def unbacked_promises(draft: str, *, sources: str) -> list[Promise]:
    """Promises in `draft` that `sources` (articles + order facts) do not back."""
    source = _normal(sources)
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", draft or ""):
        found += _sentence_promises(sentence, source)
    return list(dict.fromkeys(found))


def _sentence_promises(sentence: str, source: str) -> list[Promise]:
    if len(sentence) > 20 and _normal(sentence) in source:
        return []  # quoted from the articles or facts
    out = []
    for match in _DATE.finditer(sentence):
        if _normal(match.group(0)) not in source:
            out.append(Promise("date", match.group(0)))
    for kind, pattern in (("amount", _MONEY), ("percent", _PERCENT)):
        for match in pattern.finditer(sentence):
            if _digits(match.group(0)) not in _digits_of(source):
                out.append(Promise(kind, match.group(0)))
    for match in _DISCOUNT.finditer(sentence):
        if _normal(match.group(0)) not in source:
            out.append(Promise("discount", match.group(0)))
    if _REFUND.search(sentence):
        done = _DONE.search(sentence) and _PERSONAL.search(sentence) and _REFUNDED_ORDER not in source
        promised = _COMMITMENT.search(sentence) and not _REFUND.search(source)
        if done or promised:
            out.append(Promise("refund", sentence.strip()[:200]))
    return out


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").lower()).strip()


def _digits(text: str) -> str:
    return re.sub(r"[^\d]", "", text)


def _digits_of(source: str) -> set[str]:
    return {re.sub(r"[^\d]", "", m) for m in re.findall(r"\d+(?:[.,]\d+)?", source)}
