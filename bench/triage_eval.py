"""Intent accuracy of the few-shot classifier against a plain nearest-centroid.

    HF_HUB_OFFLINE=1 ECOMOPS_ML_THREADS=1 .venv/bin/python bench/triage_eval.py [--splits dev templated_dev] [--typos]

Data (bench/data, written for this benchmark, never used to fit anything):
- support_intents.csv / support_intents_b.csv: the same 27 intents with the same
  one-line descriptions and two different sets of three examples each (A and B),
  as two stores might write them;
- support_messages_dev.csv (108) / support_messages_test.csv (162): customer
  messages worded unlike the examples (typos, long, short, angry, polite). The
  method was chosen on dev; test was only read for the final figures;
- support_messages_templated_dev.csv (54) / support_messages_templated_test.csv
  (81): short requests in the style of the public customer-support datasets
  whose 27 intent names the lists use ("I need help canceling order
  {{Order Number}}", "how can i change to the {{Account Type}} account?"),
  written for this benchmark; same rule (dev to choose, test to report);
- support_intents_c.csv: a third list, the same 27 intents with descriptions and
  examples written by another hand, as a store might write them from scratch;
- support_messages_bitext_dev.csv (405) / support_messages_bitext_test.csv (405):
  15 messages per intent in the style of the Bitext customer-support dataset
  (short and long, casual and polite, placeholders, some typos), each set written
  independently of the other and of the intent lists; same rule (dev to choose,
  test to report);
- support_messages_other.csv: 20 off-topic messages (product questions, "hello").

With --typos every split is read a second time ("<split>+typos") with one typo
(two letters swapped, one dropped or one doubled, seeded) in each message's
longest word: what the respelling of intent words is for.

Nearest-centroid: mean of the three example sentence vectors per intent, cosine
argmax. "ours": `IntentClassifier` as the desk uses it; a message it sends to
"other" counts as wrong. "ours, top-1": the same without the "other" threshold.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ecomops.ml.embedder import Embedder  # noqa: E402
from ecomops.ml.intents import OTHER, IntentClassifier, intents_from_rows  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def nearest_centroid(embedder, intents, texts: list[str]) -> list[str]:
    centroids = np.stack([embedder.embed(list(i.examples)).mean(axis=0) for i in intents])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    scores = embedder.embed(texts) @ centroids.T
    return [intents[k].name for k in scores.argmax(axis=1)]


def with_typo(text: str, rng: random.Random) -> str:
    words = text.split()
    at = max(range(len(words)), key=lambda i: len(words[i].strip("?.!,")))
    word = words[at]
    if len(word) >= 4:
        k, kind = rng.randrange(1, len(word) - 2), rng.randrange(3)
        swapped, dropped, doubled = (
            word[:k] + word[k + 1] + word[k] + word[k + 2 :],
            word[:k] + word[k + 1 :],
            word[:k] + word[k] + word[k:],
        )
        word = (swapped, dropped, doubled)[kind]
    words[at] = word
    return " ".join(words)


def accuracy(predicted: list[str], expected: list[str]) -> float:
    return float(np.mean([p == e for p, e in zip(predicted, expected)]))


SPLITS = ("dev", "test", "templated_dev", "templated_test", "bitext_dev", "bitext_test")
LISTS = {"A": "support_intents.csv", "B": "support_intents_b.csv", "C": "support_intents_c.csv"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--splits", nargs="+", choices=SPLITS, default=list(SPLITS))
    parser.add_argument("--lists", nargs="+", choices=sorted(LISTS), default=sorted(LISTS))
    parser.add_argument("--typos", action="store_true", help="also read every split with one typo per message")
    args = parser.parse_args()
    embedder = Embedder.load()
    splits = {name: read_csv(f"support_messages_{name}.csv") for name in args.splits}
    if args.typos:
        rng = random.Random(0)
        for name in args.splits:
            splits[f"{name}+typos"] = [r | {"text": with_typo(r["text"], rng)} for r in splits[name]]
    off_topic = [row["text"] for row in read_csv("support_messages_other.csv")]
    print("| intent list | split | n | nearest-centroid | ours | ours, top-1 | fit s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    kept, rejected = [], []
    confidences, off_confidences = [], []
    for label in args.lists:
        intents = intents_from_rows(read_csv(LISTS[label]))
        started = time.perf_counter()
        classifier = IntentClassifier.fit(intents, embedder=embedder)
        fit_s = time.perf_counter() - started
        for split, rows in splits.items():
            texts, expected = [r["text"] for r in rows], [r["intent"] for r in rows]
            ours = classifier.predict(texts)
            nc = nearest_centroid(embedder, intents, texts)
            print(
                f"| {label} | {split} | {len(rows)} | {accuracy(nc, expected):.1%} | "
                f"{accuracy([p.intent for p in ours], expected):.1%} | "
                f"{accuracy([p.best_guess for p in ours], expected):.1%} | {fit_s:.2f} |"
            )
            kept += [p.intent != OTHER for p in ours]
            confidences += [p.confidence for p in ours]
        off = classifier.predict(off_topic)
        rejected += [p.intent == OTHER for p in off]
        off_confidences += [p.confidence for p in off]
    print(f"\nin-scope messages kept (not 'other'): {np.mean(kept):.1%}")
    print(f"off-topic messages sent to 'other': {np.mean(rejected):.1%} of {len(rejected)}")
    print("\nthreshold | in-scope kept | off-topic to 'other' (probability only)")
    for threshold in (0.1, 0.15, 0.2, 0.25, 0.3):
        print(
            f"{threshold:.2f} | {np.mean(np.array(confidences) >= threshold):.1%} | "
            f"{np.mean(np.array(off_confidences) < threshold):.1%}"
        )


if __name__ == "__main__":
    main()
