"""Three-class sentiment on star-rated product reviews: the shipped model against VADER and embedding + LR.

    HF_HUB_OFFLINE=1 ECOMOPS_ML_THREADS=1 .venv/bin/python bench/star_reviews_eval.py [--split dev|test] [--bands]
    ... [--model DIR]   # another weights folder than the shipped one

Data: bench/data/star_reviews_{dev,test}.csv, 200 reviews each with ratings 1-5, written for this benchmark in
the manner of a big store's product reviews (skewed positive: about 52% five stars, 13% one star; short, long,
lukewarm, mixed, sarcastic, off-topic) and never used to fit anything. Stars are the labels, as in the issue:
1-2 negative, 3 neutral, 4-5 positive. Metric: macro-F1 over the three labels, and per-label F1.

--bands also scores the shipped network with other neutral bands (multi-sentence / one-sentence), on the
split given: where bands would be chosen on dev, and only read on test.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sentiment_eval import NEG, NEU, POS, embedding_lr, vader  # noqa: E402
from sklearn.metrics import confusion_matrix, f1_score  # noqa: E402

from ecomops.ml.sentiment import SentimentModel, to_sentiment  # noqa: E402
from ecomops.ml.sentiment_data import read_labelled_sentences, stars_to_label  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SENTENCES = Path(__file__).resolve().parents[2] / "shared" / "data" / "review_sentences.csv"
INDEX = {"negative": NEG, "neutral": NEU, "positive": POS}


def read_reviews(split: str) -> tuple[list[str], np.ndarray]:
    with open(DATA / f"star_reviews_{split}.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], np.asarray([stars_to_label(int(r["rating"])) for r in rows])


def report(name: str, truth: np.ndarray, predicted: np.ndarray) -> None:
    per_label = f1_score(truth, predicted, average=None, labels=[NEG, NEU, POS])
    macro = f1_score(truth, predicted, average="macro", labels=[NEG, NEU, POS])
    print(f"| {name} | {macro:.3f} | {per_label[0]:.3f} | {per_label[1]:.3f} | {per_label[2]:.3f} | "
          f"{(predicted == truth).mean():.3f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--bands", action="store_true", help="also score other neutral bands")
    parser.add_argument("--model", default="", help="a sentiment weights folder (default: the shipped model)")
    args = parser.parse_args()
    texts, truth = read_reviews(args.split)
    print(
        f"{len(texts)} reviews ({args.split}): {np.bincount(truth, minlength=3).tolist()} negative/neutral/positive\n"
    )
    print("| model | macro-F1 | F1 negative | F1 neutral | F1 positive | accuracy |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    report("VADER (compound +-0.05)", truth, vader()[1](texts))
    report(
        "embedding + LR (all of review_sentences.csv)",
        truth,
        embedding_lr(*read_labelled_sentences(SENTENCES))[1](texts),
    )
    model = SentimentModel.load(args.model)
    predicted = np.asarray([INDEX[label] for label in model.labels(texts)])
    report(f"ours ({model.version})", truth, predicted)
    print("\nours, confusion (rows: stars-as-label neg/neu/pos, columns: predicted):")
    print(confusion_matrix(truth, predicted, labels=[NEG, NEU, POS]))
    if args.bands:
        scores, counts = model.pooled_scores(texts)
        print("\n| neutral band (multi) | sentence band (one) | macro-F1 |\n| ---: | ---: | ---: |")
        for multi in (0.2, 0.25, 0.3, 0.325, 0.35, 0.4, 0.45, 0.5):
            for single in (0.05, 0.1, 0.175, 0.25):
                labels = [to_sentiment(float(s), single if n == 1 else multi).label for s, n in zip(scores, counts)]
                macro = f1_score(truth, [INDEX[x] for x in labels], average="macro", labels=[NEG, NEU, POS])
                print(f"| {multi} | {single} | {macro:.3f} |")


if __name__ == "__main__":
    main()
