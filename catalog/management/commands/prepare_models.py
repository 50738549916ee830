"""Convert and load the configured models once, so the first job does not wait for it."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Convert the embedded generator once (about 20 s) and load every model to check it works."

    def handle(self, *args, **options):
        from ecomops.ml import registry

        for name in registry.names():
            started = time.monotonic()
            model = registry.get(name)
            self.stdout.write(f"{name}: {model.version} ready in {time.monotonic() - started:.1f} s")
