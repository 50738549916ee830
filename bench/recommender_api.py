"""Latency of the recommendation API under concurrent load, from precomputed results, as a markdown table.

    .venv/bin/python bench/recommender_api.py /work/shared/data/online_retail/events.csv

A throw-away SQLite database gets one store with the log's products and its first 50,000 purchase lines, one
recommender run (the fake embedder stands in for similar products: this measures serving, not the model),
then 8 threads send requests to each endpoint through the full Django/DRF stack (auth, tenancy, rules).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_EVENTS = ROOT.parent / "shared" / "data" / "online_retail" / "events.csv"
EVENTS_IN_STORE = 50_000
THREADS = 8  # 4 per core: requests wait on SQLite and Python, so the box stays busy
REQUESTS_PER_ENDPOINT = 800


def set_up_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["API_THROTTLE_USER"] = "1000000/minute"  # measure serving, not the throttle
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load_store(events_path: Path):
    """A store with the log's products and first purchase lines, trained once; returns (user, products, customers)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from catalog.models import Product
    from ecomops.tenancy.models import Membership, Store
    from recommendations.event_log import read_events_csv
    from recommendations.models import Interaction, RecommenderRun
    from recommendations.services import train_store

    events = read_events_csv(events_path)
    store = Store.objects.create(name="Bench", slug="bench")
    user = get_user_model().objects.create_user("bench", password="bench-only")  # noqa: S106
    Membership.objects.create(user=user, store=store, role="owner")
    codes = sorted(set(events.product[:EVENTS_IN_STORE].tolist()))
    Product.objects.bulk_create(Product(store=store, title=f"Product {c}", sku=c, stock=10) for c in codes)
    pk = dict(Product.objects.filter(store=store).values_list("sku", "pk"))
    rows = zip(events.customer, events.product, events.timestamp, strict=True)
    Interaction.objects.bulk_create(
        (
            Interaction(
                store=store,
                customer_ref=c,
                product_id=pk[p],
                kind="purchase",
                occurred_at=timezone.make_aware(t.astype(object)),
            )  # fmt: skip
            for n, (c, p, t) in enumerate(rows)
            if n < EVENTS_IN_STORE
        ),
        batch_size=5000,
    )
    run = RecommenderRun.objects.create(store=store)
    train_store(run_id=run.pk)
    customers = sorted(set(events.customer[:EVENTS_IN_STORE].tolist()))
    return user, list(pk.values()), customers


def measure(user, paths: list[str]) -> list[float]:
    """Milliseconds per request, each thread with its own client."""
    from django.db import connection
    from rest_framework.test import APIClient

    def one(path: str) -> float:
        client = APIClient()
        client.force_authenticate(user)
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        connection.close()
        return elapsed

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("events", nargs="?", default=str(DEFAULT_EVENTS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        set_up_django(folder)
        from ecomops.ml import registry
        from tests.fakes import FakeEmbedder

        with registry.override(embedder=FakeEmbedder()):
            user, products, customers = load_store(Path(args.events))
        endpoints = {
            "similar products": [f"/api/v1/recommendations/products/{p}/similar/" for p in products],
            "bought together": [f"/api/v1/recommendations/products/{p}/bought-together/" for p in products],
            "customer picks": [f"/api/v1/recommendations/picks/?customer={c}" for c in customers],
        }
        print(f"{EVENTS_IN_STORE:,} purchase lines, {len(products):,} products, {len(customers):,} customers; "
              f"{THREADS} threads, {REQUESTS_PER_ENDPOINT} requests per endpoint, k = 10\n")  # fmt: skip
        print("| endpoint | median ms | p95 ms | requests/s |")
        print("| --- | ---: | ---: | ---: |")
        for name, paths in endpoints.items():
            paths = (paths * (REQUESTS_PER_ENDPOINT // len(paths) + 1))[:REQUESTS_PER_ENDPOINT]
            started = time.perf_counter()
            latencies = measure(user, paths)
            rate = len(paths) / (time.perf_counter() - started)
            p95 = statistics.quantiles(latencies, n=20)[-1]
            print(f"| {name} | {statistics.median(latencies):.1f} | {p95:.1f} | {rate:.0f} |", flush=True)


if __name__ == "__main__":
    main()
