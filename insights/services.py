"""Insights use-cases: take reviews in, score them (in a worker), correct labels, train a store's model."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ecomops.jobs.models import Job
from ecomops.jobs.services import ChunkOutcome, start_job
from ecomops.ml import registry
from ecomops.tenancy.models import Store
from insights.models import Review, ReviewAnalysis, SentimentLabel, StoreSentimentModel, label_for_rating

SCORE_REVIEWS = "insights.score_reviews"
# Reviews per worker task: one sentiment call each. MiniLM scores ~60 reviews/s on the
# 2-core CPU (bench/sentiment_speed.py), so a chunk of 64 is about a second of work.
SCORE_CHUNK_SIZE = 64
# A text this sure of the opposite of its stars is flagged (|score| from -1..1).
CONTRADICTION_SCORE = 0.6
# A merchant's correction counts this many times a star rating when fine-tuning.
CORRECTION_WEIGHT = 3
MIN_TRAINING_REVIEWS = 30


@dataclass(frozen=True)
class NewReview:
    product_id: int
    body: str
    rating: int | None = None
    title: str = ""
    customer_ref: str = ""
    written_at: object = None
    source: str = Review.Source.STOREFRONT


def submit_reviews(*, store: Store, reviews: Iterable[NewReview], user=None) -> list[Review]:
    """Save reviews of the store's products and queue their scoring after commit."""
    reviews = list(reviews)
    products = set(store_products(store).filter(pk__in={r.product_id for r in reviews}).values_list("pk", flat=True))
    if missing := {r.product_id for r in reviews} - products:
        raise ValidationError(f"Unknown products for this store: {sorted(missing)[:10]}")
    with transaction.atomic():
        rows = [Review(store=store, **{k: v for k, v in r.__dict__.items() if v is not None}) for r in reviews]
        created = Review.objects.bulk_create(rows)
        request_scoring(store=store, review_ids=[r.pk for r in created], user=user)
    return created


def store_products(store: Store):
    from catalog.models import Product

    return Product.objects.for_store(store)


def request_scoring(*, store: Store, review_ids: Iterable[int], user=None) -> Job:
    """Queue sentiment + aspects for the store's reviews (chunks of SCORE_CHUNK_SIZE)."""
    from insights.tasks import score_reviews_chunk as score_reviews_chunk_task

    ids = sorted(set(Review.objects.for_store(store).filter(pk__in=list(review_ids)).values_list("pk", flat=True)))
    active = active_model(store=store)
    return start_job(
        store=store,
        kind=SCORE_REVIEWS,
        item_ids=ids,
        task=score_reviews_chunk_task,
        chunk_size=SCORE_CHUNK_SIZE,
        user=user,
        model_name=active.version if active else registry.configured_name("sentiment"),
    )


def request_scoring_by(*, user, reviews) -> list[Job]:
    """Admin action / API: rescore the given reviews, one job per store the user may change."""
    jobs = []
    writable = Review.objects.writable_by(user).filter(pk__in=reviews.values("pk"))
    for store_id in sorted(set(writable.values_list("store_id", flat=True))):
        ids = writable.filter(store_id=store_id).values_list("pk", flat=True)
        jobs.append(request_scoring(store=Store.objects.get(pk=store_id), review_ids=list(ids), user=user))
    return jobs


def active_model(*, store: Store) -> StoreSentimentModel | None:
    return StoreSentimentModel.objects.for_store(store).filter(active=True).first()


def sentiment_model_for(*, store: Store):
    """The store's own model when it has a better one, else the default (loaded once per process)."""

    active = active_model(store=store)
    return registry.sentiment_at(active.path) if active else registry.sentiment()


def score_reviews_chunk(job: Job, review_ids: list[int]) -> ChunkOutcome:
    """Worker side: one sentiment call (+ one for aspect clauses) for the chunk; upsert analyses."""
    from insights.alerts import check_negative_spikes, flag_rating_mismatch

    reviews = list(Review.objects.for_store(job.store).filter(pk__in=review_ids).order_by("pk"))
    model = sentiment_model_for(store=job.store)
    for review, analysis in zip(reviews, analyse_texts([r.text for r in reviews], model=model)):
        saved = save_analysis(review=review, **analysis)
        if saved.contradicts_rating:
            flag_rating_mismatch(review=review, analysis=saved)
    check_negative_spikes(store=job.store, product_ids={r.product_id for r in reviews})
    queue_summaries(store=job.store, product_ids={r.product_id for r in reviews})
    return ChunkOutcome(done=len(reviews), failed=len(review_ids) - len(reviews))


def queue_summaries(*, store: Store, product_ids: set[int]) -> list[int]:
    """Rewrite the summaries of products with enough new reviews (after commit, on the ml queue)."""
    from insights.summaries import products_due
    from insights.tasks import write_summaries as write_summaries_task

    due = products_due(store=store, product_ids=product_ids)
    if due:
        transaction.on_commit(partial(write_summaries_task.delay, store_id=store.pk, product_ids=due))
    return due


def analyse_texts(texts: list[str], *, model) -> list[dict]:
    """Sentiment of each text and its aspects (the same code the CSV command runs)."""
    from ecomops.ml.aspects import AspectExtractor

    sentiments = model.score(texts)
    aspects = AspectExtractor(model).extract(texts)
    return [
        {
            "label": s.label,
            "probability": s.probability,
            "score": s.score,
            "aspects": [
                {"aspect": m.aspect, "text": m.text, "label": m.sentiment.label, "score": m.sentiment.score}
                for m in mentions
            ],
            "model_version": getattr(model, "version", "unknown"),
        }
        for s, mentions in zip(sentiments, aspects)
    ]


def contradicts(rating: int | None, score: float) -> bool:
    if rating is None:
        return False
    return (rating >= 4 and score <= -CONTRADICTION_SCORE) or (rating <= 2 and score >= CONTRADICTION_SCORE)


def save_analysis(
    *, review: Review, label: str, probability: float, score: float, aspects: list, model_version: str
) -> ReviewAnalysis:
    """One analysis per review, however often it is scored."""
    values = {
        "store_id": review.store_id,
        "label": label,
        "probability": probability,
        "score": score,
        "aspects": aspects,
        "model_version": model_version,
        "contradicts_rating": contradicts(review.rating, score),
    }
    try:
        with transaction.atomic():
            return ReviewAnalysis.objects.update_or_create(review=review, defaults=values)[0]
    except IntegrityError:  # a concurrent delivery inserted it first
        return ReviewAnalysis.objects.update_or_create(review=review, defaults=values)[0]


def correct_label(*, user, review: Review, label: str) -> Review:
    """A merchant's label for a review: shown instead of the model's and weighted up in fine-tuning."""
    if label not in SentimentLabel.values and label != "":
        raise ValidationError(f"Label must be one of {SentimentLabel.values}.")
    if not Review.objects.writable_by(user).filter(pk=review.pk).exists():
        raise PermissionDenied("You may not change this store's data.")
    Review.objects.filter(pk=review.pk).update(corrected_label=label)
    review.corrected_label = label
    return review


# -- a store's own model --------------------------------------------------------------


@dataclass(frozen=True)
class TrainingReport:
    record: StoreSentimentModel
    swapped: bool
    seconds: float

    def summary(self) -> str:
        r = self.record
        verdict = "now active" if self.swapped else "kept the current model (not better)"
        return (
            f"{r.version}: accuracy {r.accuracy:.1%} vs current {r.default_accuracy:.1%} on "
            f"{r.test_size} held-back reviews (trained on {r.train_size}); {verdict}; {self.seconds:.0f} s"
        )


def training_examples(*, store: Store) -> tuple[list[str], list[str], list[float]]:
    """(texts, labels, weights): stars as labels, a merchant's correction counts CORRECTION_WEIGHT times."""
    texts, labels, weights = [], [], []
    for review in Review.objects.for_store(store).order_by("pk").iterator():
        label = review.corrected_label or label_for_rating(review.rating)
        if label and review.text:
            texts.append(review.text)
            labels.append(str(label))
            weights.append(float(CORRECTION_WEIGHT if review.corrected_label else 1))
    return texts, labels, weights


def train_store_sentiment(*, store: Store, user=None, fine_tune=None) -> TrainingReport:
    """Fine-tune a copy of the store's current model on its reviews; activate it only if it is better."""
    from ecomops.ml.sentiment_training import fine_tune as default_fine_tune

    started = time.monotonic()
    texts, labels, weights = training_examples(store=store)
    if len(texts) < MIN_TRAINING_REVIEWS:
        raise ValidationError(
            f"{store} has {len(texts)} rated or corrected reviews; at least "
            f"{MIN_TRAINING_REVIEWS} are needed to train and test a model."
        )
    result = (fine_tune or default_fine_tune)(
        base=sentiment_model_for(store=store), texts=texts, labels=labels, weights=weights
    )
    folder = Path(settings.VAR_DIR) / "models" / "sentiment" / store.slug / time.strftime("%Y%m%d-%H%M%S")
    result.model.save(folder)
    with transaction.atomic():
        record = StoreSentimentModel.objects.create(
            store=store,
            path=str(folder),
            version=result.model.version,
            accuracy=result.accuracy,
            default_accuracy=result.default_accuracy,
            train_size=result.train_size,
            test_size=result.test_size,
            trained_by=user if getattr(user, "_meta", None) else None,
        )
        if result.improved:
            StoreSentimentModel.objects.for_store(store).filter(active=True).update(active=False)
            StoreSentimentModel.objects.filter(pk=record.pk).update(active=True)
            record.active = True
    return TrainingReport(record=record, swapped=result.improved, seconds=time.monotonic() - started)
