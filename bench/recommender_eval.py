"""Offline evaluation of the recommender and its baselines on a purchase log, as a markdown table.

    .venv/bin/python bench/recommender_eval.py /work/shared/data/online_retail/events.csv
    .venv/bin/python bench/recommender_eval.py events.csv --validation   # second-to-last order: where knobs are chosen

Each customer's last order is held out (customers with one order only train); see recommendations/metrics.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recommendations.event_log import read_events_csv  # noqa: E402
from recommendations.metrics import MODEL_LABELS, drop_last_order, evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("events", help="CSV with customer, product, timestamp[, kind]")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--validation", action="store_true", help="score the second-to-last order instead")
    args = parser.parse_args()
    started = time.perf_counter()
    events = read_events_csv(args.events)
    if args.validation:
        events = drop_last_order(events)
    results = evaluate(events, k=args.k)
    held_out = "second-to-last" if args.validation else "last"
    customers = int(next(iter(results.values()))["customers"])
    print(f"{len(events):,} events; {customers:,} customers' {held_out} order held out; k = {args.k}\n")
    print(f"| model | HR@{args.k} | NDCG@{args.k} | coverage |")
    print("| --- | ---: | ---: | ---: |")
    for name, scores in results.items():
        print(f"| {MODEL_LABELS[name]} | {scores['hit_rate']:.3f} | {scores['ndcg']:.3f} | {scores['coverage']:.3f} |")
    best = max((s for n, s in results.items() if n != "ranker"), key=lambda s: s["hit_rate"])
    ours = results["ranker"]
    print(f"\nranker vs strongest baseline: HR {ours['hit_rate'] / best['hit_rate'] - 1:+.1%}, "
          f"NDCG {ours['ndcg'] / best['ndcg'] - 1:+.1%}; {time.perf_counter() - started:.0f} s in all")  # fmt: skip


if __name__ == "__main__":
    main()
