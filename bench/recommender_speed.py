"""Training time of the recommender at 10k, 100k and 1M interactions, and a full `recommend` at 200k.

    .venv/bin/python bench/recommender_speed.py /work/shared/data/online_retail/events.csv

Bigger logs are synthesised from the real one: whole customers are resampled with replacement and each copy
gets a new customer id, so baskets, repeat habits and the catalogue stay those of the real store. The full
`recommend` is what `manage.py recommend` does: train, then top-10 for every customer.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_EVENTS = ROOT.parent / "shared" / "data" / "online_retail" / "events.csv"

from recommendations.engine import train  # noqa: E402
from recommendations.event_log import Events, read_events_csv  # noqa: E402


def resample_customers(events: Events, *, size: int, seed: int = 0) -> Events:
    """`size` events made of whole customers drawn with replacement, each draw relabelled as a new customer."""
    customers, first, counts = np.unique(events.customer, return_index=True, return_counts=True)
    order = np.argsort(events.customer, kind="stable")
    rng = np.random.default_rng(seed)
    picks, total = [], 0
    while total < size:
        draw = int(rng.integers(len(customers)))
        picks.append(draw)
        total += counts[draw]
    starts = np.searchsorted(events.customer[order], customers[picks])
    rows = np.concatenate([order[s : s + counts[d]] for s, d in zip(starts, picks, strict=True)])[:size]
    copy = np.repeat(np.arange(len(picks)), counts[picks])[:size]
    relabelled = np.char.add(np.char.add(events.customer[rows], "~"), copy.astype(str))
    return Events(relabelled, events.product[rows], events.timestamp[rows], events.kind[rows])


def time_training(events: Events) -> float:
    started = time.perf_counter()
    train(events)
    return time.perf_counter() - started


def time_recommend_all(events: Events, *, k: int = 10) -> float:
    started = time.perf_counter()
    model = train(events)
    for customer in model.customers:
        model.recommend(customer=customer, k=k)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("events", nargs="?", default=str(DEFAULT_EVENTS), help="customer, product, timestamp[, kind]")
    args = parser.parse_args()
    real = read_events_csv(args.events)
    print(f"CPU: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start\n")
    print("| interactions | customers | products | what | seconds | target |")
    print("| ---: | ---: | ---: | --- | ---: | --- |")
    runs = [(10_000, "train", time_training, ""), (100_000, "train", time_training, ""),
            (1_000_000, "train", time_training, "< 60 s"),
            (200_000, "train + top-10 for every customer", time_recommend_all, "< 180 s")]  # fmt: skip
    for size, what, measure, target in runs:
        events = resample_customers(real, size=size)
        seconds = measure(events)
        customers, products = len(np.unique(events.customer)), len(np.unique(events.product))
        print(f"| {size:,} | {customers:,} | {products:,} | {what} | {seconds:.1f} | {target} |", flush=True)


if __name__ == "__main__":
    main()
