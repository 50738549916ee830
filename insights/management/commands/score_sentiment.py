"""Score a spreadsheet of reviews with the same model the workers use."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ecomops.csvbatch import BatchReport, batches, open_output, progress, read_rows

OUTPUT_COLUMNS = ["label", "probability", "score"]


class Command(BaseCommand):
    help = "Read reviews from CSV and write every row back with label, probability and score beside it."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="reviews CSV")
        parser.add_argument("--output", required=True, help="where to write the scored CSV")
        parser.add_argument("--text-column", default="text", help="column holding the review text (default: text)")
        parser.add_argument("--batch-size", type=int, default=256, help="reviews per model call")
        parser.add_argument("--model", default="", help="a fine-tuned weights folder (default: the shipped model)")

    def handle(self, *args, **options):
        from ecomops.ml import registry

        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        column = options["text_column"]
        columns, rows = read_rows(options["input"], required=[column])
        report = BatchReport(stderr=self.stderr)
        good = []
        for line, row in rows:
            report.rows_in += 1
            if None in row or any(v is None for v in row.values()):
                report.skip(line, f"has {len(row) - (None in row)} cells, the header has {len(columns)}")
                continue
            if not (row.get(column) or "").strip():
                # Kept, unlabelled: a rating without words is still the merchant's row.
                report.note(line, f"empty {column!r}: written without a label")
            good.append(row)
        model = registry.sentiment_at(options["model"])
        extra = [c for c in OUTPUT_COLUMNS if c not in columns]
        handle, writer = open_output(options["output"], columns + extra)
        with handle, progress(len(good), unit="review") as bar:
            for batch in batches(good, options["batch_size"]):
                texts = [r[column] for r in batch if r[column].strip()]
                results = iter(model.score(texts) if texts else ())
                for row in batch:
                    writer.writerow(row | _scored(next(results) if row[column].strip() else None))
                    report.rows_written += 1
                bar.update(len(batch))
        self.stdout.write(report.summary())


def _scored(result) -> dict[str, str]:
    if result is None:
        return dict.fromkeys(OUTPUT_COLUMNS, "")
    return {"label": result.label, "probability": f"{result.probability:.4f}", "score": f"{result.score:.4f}"}
