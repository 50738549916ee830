"""Write product copy for a spreadsheet of products, with the same code the workers run."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from catalog.models import CopyKind
from catalog.prompts import ProductFacts, VoiceSpec
from ecomops.csvbatch import BatchReport, batches, open_output, progress, read_rows

BASE_COLUMNS = ["sku", "title", "category", "price", "currency"]


class Command(BaseCommand):
    help = (
        "Read products from CSV (sku, title, category, price, currency; further columns are attributes) "
        "and write one row per product and kind: sku, kind, text, passed and the quality flags."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="products CSV")
        parser.add_argument("--output", required=True, help="where to write the copy CSV")
        parser.add_argument("--kinds", default="description", help=f"comma-separated, of {','.join(CopyKind.values)}")
        parser.add_argument("--batch-size", type=int, default=32, help="products per generator call")
        parser.add_argument("--tone", default=VoiceSpec.tone, help="brand voice tone")
        parser.add_argument("--avoid", default="", help="comma-separated words the copy must not use")

    def handle(self, *args, **options):
        from catalog.writing import write_copies
        from ecomops.ml import registry

        kinds = [k.strip() for k in options["kinds"].split(",") if k.strip()]
        unknown = [k for k in kinds if k not in CopyKind.values]
        if not kinds or unknown:
            known = ", ".join(CopyKind.values)
            raise CommandError(f"--kinds must name some of {known} (unknown: {', '.join(unknown) or 'none given'})")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        avoid = [w.strip() for w in options["avoid"].split(",") if w.strip()]
        voice = VoiceSpec(tone=options["tone"], words_to_avoid=avoid)
        columns, rows = read_rows(options["input"], required=["sku", "title"])
        report = BatchReport(stderr=self.stderr)
        products = self._parse(rows, columns, report)
        generator, embedder = registry.generator(), registry.embedder()
        items = [(facts, kind) for facts in products for kind in kinds]
        handle, writer = None, None
        written: dict[str, list[str]] = {kind: [] for kind in kinds}  # near-duplicates across batches too
        with progress(len(items), unit="copy") as bar:
            for batch in batches(items, options["batch_size"]):
                results = write_copies(
                    items=batch, voice=voice, generator=generator, embedder=embedder, existing_texts=written
                )
                for (facts, kind), result in zip(batch, results):
                    written[kind].append(result.text)
                    row = {"sku": facts.sku, "kind": kind, "text": result.text, "passed": result.passed}
                    row |= {name: _cell(value) for name, value in result.flags.items()}
                    if writer is None:
                        handle, writer = open_output(options["output"], list(row))
                    writer.writerow(row)
                    report.rows_written += 1
                bar.update(len(batch))
        if handle is None:
            open_output(options["output"], ["sku", "kind", "text", "passed"])[0].close()
        else:
            handle.close()
        self.stdout.write(report.summary())

    @staticmethod
    def _parse(rows, columns, report: BatchReport) -> list[ProductFacts]:
        products = []
        attribute_columns = [c for c in columns if c not in BASE_COLUMNS]
        for line, row in rows:
            report.rows_in += 1
            title, sku = (row.get("title") or "").strip(), (row.get("sku") or "").strip()
            if not title or not sku:
                report.skip(line, "missing title" if not title else "missing sku")
                continue
            try:
                price = Decimal(row["price"].strip()) if (row.get("price") or "").strip() else None
            except InvalidOperation:
                report.skip(line, f"price {row['price']!r} is not a number")
                continue
            products.append(
                ProductFacts(
                    title=title,
                    sku=sku,
                    category=(row.get("category") or "").strip(),
                    price=price,
                    currency=(row.get("currency") or "").strip(),
                    attributes={c: row[c].strip() for c in attribute_columns if (row.get(c) or "").strip()},
                )
            )
        return products


def _cell(value) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
