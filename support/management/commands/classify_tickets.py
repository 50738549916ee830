"""Triage a spreadsheet of tickets with the desk's own triage code, batched.

    python manage.py classify_tickets --intents intents.csv --input tickets.csv --output triage.csv

Needs no store and no broker: the classifier is fitted on intents.csv alone.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ecomops.csvbatch import BatchReport, batches, open_output, progress, read_rows

OUTPUT_COLUMNS = ["id", "intent", "confidence", "urgency", "mood", "priority"]


class Command(BaseCommand):
    help = (
        "Read intents (intent, description, example: one example per row) and tickets (id, text); "
        "write id, intent, confidence, urgency, mood and priority per ticket."
    )

    def add_arguments(self, parser):
        parser.add_argument("--intents", required=True, help="intents CSV: intent, description, example")
        parser.add_argument("--input", required=True, help="tickets CSV: id, text")
        parser.add_argument("--output", required=True, help="where to write the triage CSV")
        parser.add_argument("--batch-size", type=int, default=256, help="tickets per encoder call")

    def handle(self, *args, **options):
        from ecomops.ml import registry
        from ecomops.ml.intents import IntentClassifier, intents_from_rows
        from support.triage import triage_texts

        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        intents = self._intents(options["intents"])
        _, rows = read_rows(options["input"], required=["id", "text"])
        report = BatchReport(stderr=self.stderr)
        tickets = self._tickets(rows, report)
        classifier = IntentClassifier.fit(intents_from_rows(intents), embedder=registry.embedder())
        handle, writer = open_output(options["output"], OUTPUT_COLUMNS)
        with handle, progress(len(tickets), unit="ticket") as bar:
            for batch in batches(tickets, options["batch_size"]):
                for (ticket_id, _), result in zip(batch, triage_texts([t for _, t in batch], classifier=classifier)):
                    writer.writerow(
                        {
                            "id": ticket_id,
                            "intent": result.intent,
                            "confidence": f"{result.confidence:.4f}",
                            "urgency": result.urgency,
                            "mood": result.mood,
                            "priority": result.priority,
                        }
                    )
                    report.rows_written += 1
                bar.update(len(batch))
        self.stdout.write(report.summary())

    def _intents(self, path: str) -> list[dict]:
        _, rows = read_rows(path, required=["intent", "example"])
        usable = []
        for line, row in rows:
            if not (row.get("intent") or "").strip():
                self.stderr.write(f"{path} line {line}: skipped: no intent name")
                continue
            usable.append(row)
        if not usable:
            raise CommandError(f"{path}: no intents")
        return usable

    @staticmethod
    def _tickets(rows, report: BatchReport) -> list[tuple[str, str]]:
        tickets, seen = [], set()
        for line, row in rows:
            report.rows_in += 1
            ticket_id, text = (row.get("id") or "").strip(), (row.get("text") or "").strip()
            if not ticket_id:
                report.skip(line, "missing id")
            elif ticket_id in seen:
                report.skip(line, f"duplicate id {ticket_id!r}")
            else:
                seen.add(ticket_id)
                tickets.append((ticket_id, text))
        return tickets
