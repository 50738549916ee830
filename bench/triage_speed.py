"""Tickets triaged per second (intent, urgency, mood, priority): batched vs one at a time.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/triage_speed.py [--n 1000] [--single 100]

Tickets: the 270 messages of bench/data, each sometimes followed by a second
sentence, to n texts of realistic lengths. Batched = one `triage_texts()` call
for all (the `classify_tickets` path); one at a time = `triage_texts([text])` per
ticket (a desk that triaged each ticket in its own task). The classifier is
fitted once on bench/data/support_intents.csv; the fit time is reported apart.
The 5,000-ticket target of issue 4 is extrapolated from the batched rate.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ecomops.ml.embedder import Embedder  # noqa: E402
from ecomops.ml.intents import IntentClassifier, intents_from_rows  # noqa: E402
from support.triage import triage_texts  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
TAILS = [
    "",
    "",
    "Thanks.",
    "Please help, I need an answer today.",
    "This is the second time I write!",
    "I ordered it for my daughter's birthday and she is waiting for it.",
]


def tickets(n: int) -> list[str]:
    texts = []
    for name in ("dev", "test"):
        with open(DATA / f"support_messages_{name}.csv", newline="", encoding="utf-8") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    rng = random.Random(0)
    return [f"{rng.choice(texts)} {rng.choice(TAILS)}".strip() for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000, help="tickets for the batched run")
    parser.add_argument("--single", type=int, default=100, help="tickets for the one-at-a-time run")
    args = parser.parse_args()
    embedder = Embedder.load()
    with open(DATA / "support_intents.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    started = time.perf_counter()
    classifier = IntentClassifier.fit(intents_from_rows(rows), embedder=embedder)
    fit_s = time.perf_counter() - started
    texts = tickets(args.n)
    triage_texts(texts[:8], classifier=classifier)  # warm-up: anchors encoded, threads started
    started = time.perf_counter()
    triage_texts(texts, classifier=classifier)
    batched = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for text in texts[: args.single]:
        triage_texts([text], classifier=classifier)
    single = args.single / (time.perf_counter() - started)
    print("| tickets | batched /s | one at a time /s | ratio | fit s | 5,000 tickets, batched (est.) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {args.n} | {batched:.1f} | {single:.1f} | {batched / single:.1f}x | {fit_s:.2f} | {5000 / batched:.0f} s |"
    )


if __name__ == "__main__":
    main()
