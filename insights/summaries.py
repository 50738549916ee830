"""Per-product review summaries ("Customers like …; several mention …").

The generator sees only figures and sentences taken from the product's own reviews,
as data in the user message; instructions stay in the system message. A draft that
is empty, too long, or names an aspect the reviews never raised is replaced by the
plain summary built from the same figures (fails closed: never invents).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from insights import figures
from insights.models import ProductReviewSummary, Review

PROMPT_VERSION = "review-summary-v1"
REFRESH_AFTER = 5  # new analysed reviews since the last summary before it is rewritten
MAX_CHARS = 600
SYSTEM = (
    "You summarise customer reviews for a shop owner. Use only the information provided. "
    "Write two or three short sentences: what customers like, then what they complain about. "
    "Do not invent features, numbers or opinions."
)


def summary_facts(reviews) -> tuple[dict, list[dict]]:
    return figures.overview(reviews), figures.aspect_insights(reviews, examples=2, limit=5)


def build_chat(title: str, overview: dict, aspects: list[dict]) -> list[dict]:
    lines = [f"- Product: {title}", f"- Reviews: {overview['reviews']}"]
    if overview["rating"] is not None:
        lines.append(f"- Average rating: {overview['rating']} of 5")
    for a in aspects:
        lines.append(f"- {a['aspect']}: {a['positive']} positive, {a['negative']} negative mentions")
        lines += [f'  - praise: "{t}"' for t in a["praise"]] + [f'  - complaint: "{t}"' for t in a["complaints"]]
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "Review facts:\n" + "\n".join(lines) + "\n\nSummary:"},
    ]


def plain_summary(overview: dict, aspects: list[dict]) -> str:
    liked = [a["aspect"] for a in aspects if a["positive"] > a["negative"]][:3]
    disliked = [a for a in aspects if a["negative"] >= max(1, a["positive"])][:2]
    parts = []
    if liked:
        parts.append(f"Customers like the {_join(liked)}")
    for a in disliked:
        parts.append(
            f"{'several' if a['negative'] > 1 else 'one'} mention{'s' if a['negative'] == 1 else ''} "
            f"problems with the {a['aspect']}"
        )
    labels = overview["labels"]
    if not parts:
        return f"{overview['reviews']} reviews: {labels['positive']} positive, {labels['negative']} negative."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def accept(draft: str, aspects: list[dict], known_aspects: set[str]) -> bool:
    """A draft passes if it is short, non-empty and names no aspect the reviews did not raise."""
    text = draft.strip().lower()
    if not text or len(text) > MAX_CHARS:
        return False
    raised = {a["aspect"] for a in aspects}
    return not any(name in text for name in known_aspects - raised)


def write_summaries(*, store, product_ids: list[int], generator=None) -> list[ProductReviewSummary]:
    """One generator call for all the products; upsert one summary each."""
    from catalog.models import Product
    from ecomops.ml import registry
    from ecomops.ml.aspects import DEFAULT_ASPECTS
    from ecomops.ml.generator import generate_resilient

    generator = generator or registry.generator()
    products = list(Product.objects.for_store(store).filter(pk__in=product_ids).order_by("pk"))
    facts = [summary_facts(Review.objects.for_store(store).filter(product=p, analysis__isnull=False)) for p in products]
    chats = [build_chat(p.title, o, a) for p, (o, a) in zip(products, facts)]
    drafts = generate_resilient(generator, chats, max_new_tokens=90) if chats else []
    saved = []
    for product, (overview, aspects), draft in zip(products, facts, drafts):
        text = draft.strip() if accept(draft, aspects, set(DEFAULT_ASPECTS)) else plain_summary(overview, aspects)
        saved.append(
            _upsert(
                product=product,
                text=text,
                count=overview["reviews"],
                model_version=getattr(generator, "version", "generator"),
            )
        )
    return saved


def products_due(*, store, product_ids: set[int]) -> list[int]:
    """Products with at least REFRESH_AFTER more analysed reviews than their summary counted."""
    due = []
    for pid in sorted(product_ids):
        count = Review.objects.for_store(store).filter(product_id=pid, analysis__isnull=False).count()
        summary = ProductReviewSummary.objects.for_store(store).filter(product_id=pid).first()
        if count - (summary.review_count if summary else 0) >= REFRESH_AFTER:
            due.append(pid)
    return due


def _upsert(*, product, text: str, count: int, model_version: str) -> ProductReviewSummary:
    values = {
        "store_id": product.store_id,
        "text": text,
        "review_count": count,
        "model_version": model_version,
        "prompt_version": PROMPT_VERSION,
    }
    try:
        with transaction.atomic():
            return ProductReviewSummary.objects.update_or_create(product=product, defaults=values)[0]
    except IntegrityError:
        return ProductReviewSummary.objects.update_or_create(product=product, defaults=values)[0]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
