"""`python manage.py load_demo_recommendations`: a purchase and browsing history for the demo store (idempotent)."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.models import Product
from ecomops.tenancy.models import Store
from recommendations.models import Interaction, RecommenderRun


class Command(BaseCommand):
    help = (
        "Add ~200 demo customers' orders and views to the 'demo' store (run load_demo first) and queue a "
        "recommender run; --train-now trains in this process instead (seconds). Does nothing if the store has "
        "imported demo events already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", default="demo")
        parser.add_argument("--customers", type=int, default=200)
        parser.add_argument("--train-now", action="store_true")

    def handle(self, *args, **options):
        from recommendations.services import request_training, train_store

        started = time.monotonic()
        store = Store.objects.filter(slug=options["store"]).first()
        if store is None:
            raise CommandError(f"No store {options['store']!r}: run `manage.py load_demo` first.")
        if Interaction.objects.for_store(store).filter(source=Interaction.Source.IMPORT).exists():
            self.stdout.write(f"{store} has demo events already; nothing added.")
            return
        events = demo_events(store=store, customers=options["customers"])
        Interaction.objects.bulk_create(events, batch_size=2000)
        self.stdout.write(f"{len(events)} demo events for {store}.")
        if options["train_now"]:
            run = RecommenderRun.objects.create(store=store)
            train_store(run_id=run.pk)
            run.refresh_from_db()
            self.stdout.write(f"Recommender run {run.pk}: {run.state}.")
        else:
            run = request_training(user=None, store=store)
            self.stdout.write(f"Recommender run {run.pk} queued for the worker.")
        self.stdout.write(f"  Took {time.monotonic() - started:.1f} s.")


def demo_events(*, store: Store, customers: int, seed: int = 7) -> list[Interaction]:
    """Each customer favours one category, rebuys a few staples, tries neighbours, and browses before buying."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    products = list(Product.objects.for_store(store).order_by("pk"))
    if not products:
        raise CommandError(f"{store} has no products: run `manage.py load_demo` first.")
    by_category: dict[int | None, list[Product]] = {}
    for product in products:
        by_category.setdefault(product.category_id, []).append(product)
    now, events = timezone.now(), []
    for n in range(customers):
        shelf = by_category[rng.choice(list(by_category))]
        staples = rng.sample(shelf, k=min(3, len(shelf)))
        day = rng.randint(60, 180)
        for _ in range(rng.randint(1, 8)):
            day -= rng.randint(3, 25)
            when = now - timedelta(days=max(day, 0), hours=rng.randint(0, 23))
            basket = rng.sample(staples, k=rng.randint(1, len(staples))) + rng.sample(shelf, k=min(2, len(shelf)))
            basket += [rng.choice(products)] if rng.random() < 0.3 else []
            for product in {p.pk: p for p in basket}.values():
                for kind, before in (("view", timedelta(minutes=20)), ("purchase", timedelta(0))):
                    events.append(Interaction(store=store, customer_ref=f"demo-{n:03d}", product=product, kind=kind,
                                              occurred_at=when - before, source=Interaction.Source.IMPORT))  # fmt: skip
    return events
