"""Personal picks for every customer of an interactions CSV, with the code the nightly run uses."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ecomops.csvbatch import BatchReport, open_output, progress, read_rows
from recommendations.engine import train
from recommendations.event_log import KIND_WEIGHTS, Events, canonical_kind, parse_timestamp


class Command(BaseCommand):
    help = (
        "Train on all of an interactions CSV (customer, product, timestamp[, kind, product_title]) and write, for "
        "every customer in it, their top k: customer, rank, product, score."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interactions", required=True, help="events CSV")
        parser.add_argument("--output", required=True, help="where to write the recommendations CSV")
        parser.add_argument("--k", type=int, default=10, help="recommendations per customer")

    def handle(self, *args, **options):
        if options["k"] < 1:
            raise CommandError("--k must be at least 1")
        _, rows = read_rows(options["interactions"], required=["customer", "product", "timestamp"])
        report = BatchReport(stderr=self.stderr)
        events = self._parse(rows, report)
        handle, writer = open_output(options["output"], ["customer", "rank", "product", "score"])
        with handle:
            if len(events):
                model = train(events)
                with progress(len(model.customer_ids), unit="customer") as bar:
                    for customer, picks in model.recommend_everyone(k=options["k"], on_progress=bar.update):
                        for rank, pick in enumerate(picks, start=1):
                            writer.writerow({"customer": customer, "rank": rank, "product": pick.product,
                                             "score": f"{pick.score:.6f}"})  # fmt: skip
                            report.rows_written += 1
        self.stdout.write(report.summary())

    @staticmethod
    def _parse(rows, report: BatchReport) -> Events:
        columns: dict[str, list] = {"customer": [], "product": [], "timestamp": [], "kind": []}
        for line, row in rows:
            report.rows_in += 1
            customer, product = (row.get("customer") or "").strip(), (row.get("product") or "").strip()
            kind = canonical_kind(row.get("kind") or "purchase")
            if not customer or not product:
                report.skip(line, "missing customer" if not customer else "missing product")
                continue
            if kind is None:
                report.skip(line, f"kind {row.get('kind')!r} is not one of {', '.join(KIND_WEIGHTS)}")
                continue
            try:
                timestamp = parse_timestamp(row.get("timestamp"))
            except ValueError:
                report.skip(line, f"timestamp {row.get('timestamp')!r} is neither an ISO date and time nor a Unix time")
                continue
            for name, value in (("customer", customer), ("product", product), ("timestamp", timestamp), ("kind", kind)):
                columns[name].append(value)
        return Events.from_columns(**columns)
