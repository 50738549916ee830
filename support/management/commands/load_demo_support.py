"""`python manage.py load_demo_support`: customers, orders, a knowledge base and tickets for the demo store."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from ecomops.tenancy.models import Store


class Command(BaseCommand):
    help = (
        "Add demo customers, orders in every status, knowledge-base articles and ~20 tickets to the 'demo' store "
        "(run load_demo first; idempotent) and queue their triage and reply drafts; --triage-now triages them in "
        "this process (seconds), leaving only the drafts to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", default="demo")
        parser.add_argument("--triage-now", action="store_true")

    def handle(self, *args, **options):
        from ecomops.jobs.models import JobChunk
        from ecomops.jobs.services import run_chunk
        from support import demo
        from support.services import install_default_intents, start_drafts, start_triage, triage_chunk

        started = time.monotonic()
        store = Store.objects.filter(slug=options["store"]).first()
        if store is None:
            raise CommandError(f"No store {options['store']!r}: run `manage.py load_demo` first.")
        install_default_intents(store=store)
        ids = demo.load(store=store)
        self.stdout.write(f"{len(ids)} new demo tickets for {store}.")
        if ids:
            job = start_triage(store=store, ticket_ids=ids)
            if options["triage_now"]:
                for chunk in JobChunk.objects.filter(job=job).order_by("index"):
                    run_chunk(chunk_id=chunk.pk, work=triage_chunk)
                self.stdout.write(f"Triaged {len(ids)} tickets.")
            drafts = start_drafts(store=store, ticket_ids=ids)
            self.stdout.write(f"Reply drafts queued as job {drafts.pk} (a worker on the 'ml' queue writes them).")
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")
