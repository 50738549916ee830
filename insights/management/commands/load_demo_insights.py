"""`python manage.py load_demo_insights`: a few thousand demo reviews for the demo store (idempotent)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from ecomops.tenancy.models import Store


class Command(BaseCommand):
    help = (
        "Add ~3,000 varied demo reviews to the 'demo' store (run load_demo first) and queue their scoring; "
        "--score-now scores them in this process instead (about a minute on 2 cores)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", default="demo")
        parser.add_argument("--count", type=int, default=3000)
        parser.add_argument("--score-now", action="store_true")

    def handle(self, *args, **options):
        from ecomops.jobs.models import JobChunk
        from ecomops.jobs.services import run_chunk
        from insights import demo
        from insights.reports import write_weekly_report
        from insights.services import request_scoring, score_reviews_chunk

        started = time.monotonic()
        store = Store.objects.filter(slug=options["store"]).first()
        if store is None:
            raise CommandError(f"No store {options['store']!r}: run `manage.py load_demo` first.")
        ids = demo.load(store=store, count=options["count"])
        self.stdout.write(f"{len(ids)} new demo reviews for {store}.")
        if ids:
            job = request_scoring(store=store, review_ids=ids)
            if options["score_now"]:
                for chunk in JobChunk.objects.filter(job=job).order_by("index"):
                    run_chunk(chunk_id=chunk.pk, work=score_reviews_chunk)
                write_weekly_report(store=store)
                self.stdout.write(f"Scored {len(ids)} reviews.")
            else:
                self.stdout.write(f"Scoring queued as job {job.pk} (a worker on the 'ml' queue runs it).")
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")
