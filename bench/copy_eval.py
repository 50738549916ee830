"""Copy quality on a product CSV with the real embedded models (issue 3 targets).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/copy_eval.py --kinds description
    HF_HUB_OFFLINE=1 .venv/bin/python bench/copy_eval.py --kinds seo_title,short_description --limit 20

Input: `sku,title,category,price,currency` and any further columns as attributes
(bench/data/products_eval.csv: 56 products written for this, over six
categories). Prints, per kind, the target figures for the first attempt alone
and after the bounded retry, and the similarity figures behind the
near-duplicate thresholds in catalog/quality.py. Writes every text with its
flags to --out. Not a test: it is never collected by pytest.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import re
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from catalog.prompts import ProductFacts, VoiceSpec  # noqa: E402
from catalog.quality import (  # noqa: E402
    FLAG_KEYS,
    attribute_coverage,
    check_copy,
    key_attributes,
    ngram_overlap,
    passed,
)

BASE_COLUMNS = ("sku", "title", "category", "price", "currency")


def read_products(path: str | Path) -> list[ProductFacts]:
    products = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                price = Decimal(row["price"]) if row.get("price") else None
            except InvalidOperation:
                price = None
            attributes = {k: v.strip() for k, v in row.items() if k not in BASE_COLUMNS and k and v and v.strip()}
            products.append(ProductFacts(title=row["title"].strip(), category=row.get("category", "").strip(),
                                         price=price, currency=row.get("currency", "").strip(),
                                         attributes=attributes, sku=row.get("sku", "")))  # fmt: skip
    return products


def coverage_counts(texts, products, kind) -> tuple[int, int]:
    """(mentioned, required) key attributes over all products."""
    mentioned = required = 0
    for text, product in zip(texts, products):
        fraction, missing = attribute_coverage(text=text, product=product, kind=kind)
        from catalog.quality import REQUIRED_KEYS

        need = len([r for r in REQUIRED_KEYS[kind] if r in key_attributes(product)])
        required += need
        mentioned += need - len(missing)
    return mentioned, required


def summarise(label: str, flags: list[dict], texts, products, kind) -> None:
    n = len(flags)
    mentioned, required = coverage_counts(texts, products, kind)
    rate = {key: sum(bool(f[key]) for f in flags) / n for key in FLAG_KEYS}
    print(
        f"  {label:<16} passed {sum(passed(f) for f in flags)}/{n} | key attributes {mentioned}/{required} "
        f"= {mentioned / max(required, 1):.1%} | no invented number/unit {rate['numbers_ok']:.0%} | "
        f"no invented colour/material {rate['claims_ok']:.0%} | "
        f"no artifacts {rate['artifacts_ok']:.0%} | no loops {rate['repetition_ok']:.0%} | "
        f"unique {rate['unique_ok']:.0%} | length {rate['length_ok']:.0%} | "
        f"avoided words {rate['avoided_words_ok']:.0%}"
    )


def similarity_figures(texts, products, embedder) -> None:
    """Max similarity between different products' copy, and for name-swapped copies."""
    pairs = list(itertools.combinations(range(len(texts)), 2))
    grams = [ngram_overlap(texts[i], texts[j]) for i, j in pairs]
    print(f"  similarity between products: word-3-gram Jaccard max {max(grams):.2f}", end="")
    swapped = []  # copy i with product i's name and brand replaced by product i+1's: a near-duplicate
    for i in range(len(texts) - 1):
        a, b = products[i], products[i + 1]
        fake = re.sub(re.escape(a.title), b.title, texts[i], flags=re.IGNORECASE)
        brand_a, brand_b = key_attributes(a).get("brand"), key_attributes(b).get("brand")
        if brand_a and brand_b:
            fake = re.sub(re.escape(brand_a), brand_b, fake, flags=re.IGNORECASE)
        swapped.append((fake, i))
    fake_grams = [ngram_overlap(fake, texts[i]) for fake, i in swapped]
    print(f"; name-swapped copies min {min(fake_grams):.2f}", end="")
    if embedder is not None:
        vectors = embedder.embed(texts)
        cosines = vectors @ vectors.T
        top = max(cosines[i, j] for i, j in pairs)
        fakes = embedder.embed([fake for fake, _ in swapped])
        fake_cos = [float(fakes[k] @ vectors[i]) for k, (_, i) in enumerate(swapped)]
        print(f"; cosine max {top:.3f}, name-swapped min {min(fake_cos):.3f}", end="")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default=str(ROOT / "bench" / "data" / "products_eval.csv"))
    parser.add_argument("--kinds", default="description")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--max-attempts", type=int, default=3)
    parser.add_argument("--no-embedder", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "var" / "copy_eval.csv"))
    args = parser.parse_args()

    from catalog.writing import write_copies
    from ecomops.ml.generator import Generator

    products = read_products(args.input)[: args.limit or None]
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    voice = VoiceSpec(tone="warm and clear", audience="online shoppers", words_to_avoid=["cheap", "best-in-class"])
    generator = Generator.load()
    embedder = None
    if not args.no_embedder:
        from ecomops.ml.embedder import Embedder

        embedder = Embedder.load()
    rows = []
    for kind in kinds:
        started = time.perf_counter()
        results = write_copies(items=[(p, kind) for p in products], voice=voice, generator=generator,
                               embedder=embedder, max_attempts=args.max_attempts)  # fmt: skip
        seconds = time.perf_counter() - started
        attempts = [r.attempts for r in results]
        print(f"{kind}: {len(products)} products in {seconds:.0f} s ({len(products) / seconds * 60:.1f}/min), "
              f"attempts 1/2/3: {attempts.count(1)}/{attempts.count(2)}/{attempts.count(3)}")  # fmt: skip
        firsts = [r.history[0] for r in results]
        first_flags = [check_copy(text=t, product=p, kind=kind, voice=voice, other_texts=firsts[:i])
                       for i, (t, p) in enumerate(zip(firsts, products))]  # fmt: skip
        summarise("first attempt", first_flags, firsts, products, kind)
        summarise("after retry", [r.flags for r in results], [r.text for r in results], products, kind)
        similarity_figures([r.text for r in results], products, embedder)
        for r in results:
            rows.append({"sku": r.product.sku, "kind": kind, "attempts": r.attempts, "passed": r.passed,
                         "text": r.text, **{k: v for k, v in r.flags.items()}})  # fmt: skip
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"texts and flags: {args.out}")


if __name__ == "__main__":
    main()
