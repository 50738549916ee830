"""Reviews scored per second by the embedded sentiment model: batched vs one at a time.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/sentiment_speed.py [--n 1000]

Texts: the shared review sentences joined into reviews of 1-4 sentences (real
lengths). Batched = one `score()` call for all; one-at-a-time = `score([text])`
per review. Reports both rates and their ratio, plus VADER for reference.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ecomops.ml.sentiment import SentimentModel  # noqa: E402


def reviews(path: str, n: int) -> list[str]:
    with open(path, newline="") as fh:
        sentences = [row["sentence"].strip() for row in csv.DictReader(fh)]
    rng = random.Random(0)
    return [" ".join(rng.sample(sentences, rng.randint(1, 4))) for _ in range(n)]


def rate(fn, texts: list[str]) -> tuple[float, float]:
    """(reviews per wall second, reviews per CPU second of this process).

    On a shared machine the wall rate depends on the neighbours; the CPU rate is
    what an idle machine gives per busy core (with ECOMOPS_ML_THREADS=1).
    """
    started, cpu = time.perf_counter(), time.process_time()
    fn(texts)
    return len(texts) / (time.perf_counter() - started), len(texts) / max(time.process_time() - cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/review_sentences.csv"))
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--single", type=int, default=200, help="reviews timed one at a time")
    args = parser.parse_args()
    texts = reviews(args.data, args.n)
    started = time.perf_counter()
    model = SentimentModel.load()
    load_s = time.perf_counter() - started
    model.score(texts[:8])  # warm-up
    batched = rate(model.score, texts)
    single = rate(lambda batch: [model.score([t]) for t in batch], texts[: args.single])
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    vader = rate(lambda batch: [analyzer.polarity_scores(t) for t in batch], texts)
    print(f"Sentiment scoring, {len(texts)} reviews of 1-4 sentences (model load {load_s:.1f} s)\n")
    print("| scorer | reviews/s (wall) | reviews per CPU-second | vs one at a time (CPU) |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| MiniLM sentiment, batched | {batched[0]:.1f} | {batched[1]:.1f} | {batched[1] / single[1]:.1f}x |")
    print(f"| MiniLM sentiment, one at a time ({args.single}) | {single[0]:.1f} | {single[1]:.1f} | 1.0x |")
    print(f"| VADER lexicon (baseline) | {vader[0]:.1f} | {vader[1]:.1f} | {vader[1] / single[1]:.1f}x |")
    print(f"\n5,000 reviews batched: ~{5000 / batched[0]:.0f} s wall here, ~{5000 / batched[1]:.0f} s of CPU")


if __name__ == "__main__":
    main()
