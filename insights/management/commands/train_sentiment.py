"""Fine-tune a store's own sentiment model on its reviews; keep it only if it is better."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecomops.tenancy.models import Store


class Command(BaseCommand):
    help = (
        "Train a copy of the store's current sentiment model on its reviews (stars as labels: 1-2 negative, "
        "3 neutral, 4-5 positive; a merchant's correction counts more), report accuracy on held-back reviews "
        "beside the current model's, and switch to it only if it is better."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, help="store slug")

    def handle(self, *args, **options):
        from insights.services import train_store_sentiment

        store = Store.objects.filter(slug=options["store"]).first()
        if store is None:
            raise CommandError(f"No store with slug {options['store']!r}.")
        try:
            report = train_store_sentiment(store=store)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(report.summary())
