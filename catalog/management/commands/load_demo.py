"""`python manage.py load_demo`: the demo store, its merchant login and a few hundred products (idempotent)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from catalog import demo


class Command(BaseCommand):
    help = (
        "Create the demo store 'demo' (merchant login 'merchant') with a few hundred products, and a second "
        "store 'harbor' (login 'harbor') to show isolation. Safe to run again: missing rows are added, "
        "existing ones are left alone. The password is DEMO_PASSWORD, or a generated one printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give the demo users a new password even if they exist (DEMO_PASSWORD or a generated one).",
        )

    def handle(self, *args, reset_password: bool = False, **options):
        started = time.monotonic()
        summaries, password = demo.load(reset_password=reset_password)
        for line in demo.report(summaries, password):
            self.stdout.write(line)
        self.stdout.write(f"  Took {time.monotonic() - started:.1f} s.")
