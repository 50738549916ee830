"""Recommendation use-cases: record events, train a store's recommender (in a worker), serve what it stored."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from ecomops.tenancy.models import Store
from recommendations.models import (
    BoughtTogether,
    CustomerPick,
    Interaction,
    RecommendationRules,
    RecommenderRun,
    SimilarProduct,
)
from support.models import Order, OrderLine

logger = logging.getLogger(__name__)

STORED_PER_LIST = 30  # 3x the default k: serving drops out-of-stock, unpublished and capped ones, then cuts to k
STORE_WIDE = ""  # customer_ref of the store-wide fallback list (popular), served to unknown customers
MIN_CUSTOMERS_TO_EVALUATE = 20  # fewer held-out customers than this give no meaningful hit rate
MAX_EVENTS_PER_REQUEST = 1000


@dataclass(frozen=True)
class Recommendation:
    product: Product
    score: float
    reason: str = ""
    because_of: Product | None = None
    support: int | None = None

    @property
    def explanation(self) -> str:
        if self.reason == CustomerPick.Reason.SIMILAR and self.because_of is not None:
            return f"because you bought {self.because_of.title}"
        return {"repeat": "you bought this before", "popular": "popular right now"}.get(self.reason, "")


# ------------------------------------------------------------------------------------------------ recording


def record_interactions(*, store: Store, events: list[dict], source: str = Interaction.Source.API) -> int:
    """Store a batch of {customer, product (id), kind, timestamp} events; all or none."""
    if len(events) > MAX_EVENTS_PER_REQUEST:
        raise ValidationError(f"At most {MAX_EVENTS_PER_REQUEST} events per request; got {len(events)}.")
    wanted = {event["product"] for event in events}
    found = set(Product.objects.for_store(store).filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := wanted - found:
        raise ValidationError(f"Unknown products for this store: {sorted(missing)[:10]}")
    rows = [
        Interaction(store=store, customer_ref=event["customer"], product_id=event["product"], kind=event["kind"],
                    occurred_at=event.get("timestamp") or timezone.now(), source=source)
        for event in events
    ]  # fmt: skip
    Interaction.objects.bulk_create(rows)
    return len(rows)


def record_order(*, store: Store, customer_ref: str, product_ids: Iterable[int], ordered_at: datetime) -> int:
    """An order placed outside ecomops (another shop system), as purchase events. Orders in `support` need
    nothing: training reads them directly."""
    events = [{"customer": customer_ref, "product": pk, "kind": Interaction.Kind.PURCHASE, "timestamp": ordered_at}
              for pk in product_ids]  # fmt: skip
    return record_interactions(store=store, events=events, source=Interaction.Source.ORDER)


# ------------------------------------------------------------------------------------------------ training


def request_training(*, user, store: Store, trigger: str = RecommenderRun.Trigger.MANUAL) -> RecommenderRun:
    """Queue a training run for the store (after commit); its results go live only if it succeeds."""
    if user is not None and not Store.objects.writable_by(user).filter(pk=store.pk).exists():
        raise PermissionDenied("You may not change this store's data.")
    from recommendations.engine import RecommenderParams  # numpy/sklearn only where training happens
    from recommendations.tasks import train_store_recommender as train_store_recommender_task

    run = RecommenderRun.objects.create(store=store, trigger=trigger, params=RecommenderParams().__dict__)
    transaction.on_commit(partial(train_store_recommender_task.delay, run_id=run.pk))
    return run


def refresh_all_stores() -> list[int]:
    """The nightly refresh: one run per store that has events."""
    stores = Store.objects.filter(pk__in=Interaction.objects.values("store")).order_by("pk")
    return [request_training(user=None, store=s, trigger=RecommenderRun.Trigger.NIGHTLY).pk for s in stores]


def train_store(*, run_id: int) -> None:
    """Train, evaluate and store a run's recommendations; make them live only if every step succeeded."""
    claimed = RecommenderRun.objects.filter(pk=run_id, state=RecommenderRun.State.QUEUED).update(
        state=RecommenderRun.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # a duplicate delivery, or a run already done
    run = RecommenderRun.objects.select_related("store").get(pk=run_id)
    started = time.monotonic()
    try:
        _train_and_store(run)
    except Exception as exc:
        logger.exception("Recommender run %s failed", run_id)
        RecommenderRun.objects.filter(pk=run_id).update(
            state=RecommenderRun.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(), duration_s=time.monotonic() - started,
        )  # fmt: skip
        return
    RecommenderRun.objects.filter(pk=run_id).update(duration_s=time.monotonic() - started)


def store_events(store: Store):
    """The store's log as engine `Events`: interaction events plus the lines of its orders (cancelled and
    refunded ones aside), product ids as strings. An order's customer is `customer_ref` = the Customer's id."""
    from recommendations.event_log import Events

    events = Interaction.objects.for_store(store).values_list("customer_ref", "product_id", "occurred_at", "kind")
    lines = (
        OrderLine.objects.for_store(store)
        .filter(product__isnull=False)
        .exclude(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
        .values_list("order__customer_id", "product_id", "order__placed_at")
    )
    rows = [(c, str(p), _naive_utc(t), k) for c, p, t, k in events.iterator()]
    rows += [(customer_ref_of(c), str(p), _naive_utc(t), "purchase") for c, p, t in lines.iterator()]
    return Events.from_rows(rows)


def customer_ref_of(customer_id: int) -> str:
    """How a support Customer appears in recommendations (storefronts send the same id for their events)."""
    return str(customer_id)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _train_and_store(run: RecommenderRun) -> None:
    from recommendations.engine import train
    from recommendations.metrics import evaluate, split_last_order

    events = store_events(run.store)
    if len(events) == 0:
        raise ValidationError("This store has no interaction events to learn from yet.")
    model = train(events)
    enough = len(split_last_order(events).held_out) >= MIN_CUSTOMERS_TO_EVALUATE
    metrics = evaluate(events) if enough else {}
    similar = _similar_by_text(run.store)
    with transaction.atomic():
        _store_picks(run, model)
        _store_together(run, model)
        SimilarProduct.objects.bulk_create(similar(run), batch_size=2000)
        _go_live(run, events=events, model=model, metrics=metrics)


def _store_picks(run: RecommenderRun, model) -> None:
    rows = []
    everyone = list(model.recommend_everyone(k=STORED_PER_LIST)) + [(STORE_WIDE, model.popular(k=STORED_PER_LIST))]
    for customer, picks in everyone:
        rows += [
            CustomerPick(store=run.store, run=run, customer_ref=customer, product_id=int(pick.product), rank=rank,
                         score=pick.score, reason=pick.reason,
                         because_of_id=int(pick.because_of) if pick.reason == "similar" else None)
            for rank, pick in enumerate(picks, start=1)
        ]  # fmt: skip
    CustomerPick.objects.bulk_create(rows, batch_size=2000)


def _store_together(run: RecommenderRun, model) -> None:
    rows = []
    for product in model.product_ids.tolist():
        together = model.bought_together(product=product, k=STORED_PER_LIST)
        rows += [
            BoughtTogether(store=run.store, run=run, product_id=int(product), other_id=int(other), rank=rank,
                           confidence=confidence, support=support)
            for rank, (other, confidence, support) in enumerate(together, start=1)
        ]  # fmt: skip
    BoughtTogether.objects.bulk_create(rows, batch_size=2000)


def _similar_by_text(store: Store):
    """Nearest products by the embedder over title, category and attributes: works with no history at all."""
    from ecomops.ml import registry

    products = list(Product.objects.for_store(store).select_related("category").order_by("pk"))
    vectors = registry.embedder().embed([_product_text(p) for p in products]) if products else np.zeros((0, 1))

    def rows(run: RecommenderRun):
        for start in range(0, len(products), 512):  # 512 x products similarities at a time bounds memory
            scores = vectors[start : start + 512] @ vectors.T
            for offset, row in enumerate(scores):
                row[start + offset] = -np.inf
                for rank, other in enumerate(np.argsort(-row, kind="stable")[:STORED_PER_LIST].tolist(), start=1):
                    yield SimilarProduct(store=store, run=run, product_id=products[start + offset].pk,
                                         similar_id=products[other].pk, rank=rank, score=float(row[other]))  # fmt: skip

    return rows


def _product_text(product: Product) -> str:
    attributes = ", ".join(f"{k}: {v}" for k, v in sorted((product.attributes or {}).items()))
    category = product.category.name if product.category else ""
    return ". ".join(part for part in (product.title, category, attributes) if part)


def _go_live(run: RecommenderRun, *, events, model, metrics: dict) -> None:
    """Swap: the run becomes the store's only live one, and older runs' rows go."""
    store = run.store
    RecommenderRun.objects.filter(store=store, is_live=True).update(is_live=False)
    RecommenderRun.objects.filter(pk=run.pk).update(
        state=RecommenderRun.State.SUCCEEDED, is_live=True, finished_at=timezone.now(), metrics=metrics,
        interactions=len(events), customers=len(model.customer_ids), products=len(model.product_ids),
    )  # fmt: skip
    for model_class in (CustomerPick, BoughtTogether, SimilarProduct):
        model_class.objects.filter(store=store).exclude(run=run).delete()


# ------------------------------------------------------------------------------------------------ serving


def live_run(store: Store) -> RecommenderRun | None:
    return RecommenderRun.objects.filter(store=store, is_live=True).first()


def similar_products(*, product: Product, k: int = 10) -> list[Recommendation]:
    rows = SimilarProduct.objects.filter(run__is_live=True, run__store=product.store_id, product=product)
    candidates = [(row.similar_id, row.score, {}) for row in rows.order_by("rank")]
    return apply_rules(store=product.store, candidates=candidates, k=k)


def bought_together(*, product: Product, k: int = 10) -> list[Recommendation]:
    rows = BoughtTogether.objects.filter(run__is_live=True, run__store=product.store_id, product=product)
    candidates = [(row.other_id, row.confidence, {"support": row.support}) for row in rows.order_by("rank")]
    return apply_rules(store=product.store, candidates=candidates, k=k)


def customer_picks(*, store: Store, customer_ref: str, k: int = 10) -> list[Recommendation]:
    """The customer's picks; a customer the last run did not know gets the store's popular products."""
    live = CustomerPick.objects.filter(run__is_live=True, run__store=store)
    rows = list(live.filter(customer_ref=customer_ref).order_by("rank")) if customer_ref else []
    if not rows:
        rows = list(live.filter(customer_ref=STORE_WIDE).order_by("rank"))
    candidates = [(row.product_id, row.score, {"reason": row.reason, "because_of_id": row.because_of_id})
                  for row in rows]  # fmt: skip
    return apply_rules(store=store, candidates=candidates, k=k)


def rules_for(store: Store) -> RecommendationRules:
    return RecommendationRules.objects.filter(store=store).first() or RecommendationRules(store=store)


def apply_rules(*, store: Store, candidates: list[tuple[int, float, dict]], k: int) -> list[Recommendation]:
    """The merchant's rules over ranked (product id, score, extra) candidates: exclusions, boost/bury, a cap
    per category; then the best k."""
    rules = rules_for(store)
    ids = {pk for pk, _, _ in candidates} | {e["because_of_id"] for _, _, e in candidates if e.get("because_of_id")}
    products = Product.objects.for_store(store).select_related("category").in_bulk(ids)
    boosted, buried = _category_sets(rules)
    scored = []
    for position, (pk, score, extra) in enumerate(candidates):
        product = products.get(pk)
        if product is None or (rules.exclude_out_of_stock and product.stock <= 0):
            continue
        if rules.exclude_unpublished and not product.is_published:
            continue
        weight = rules.boost_factor if product.category_id in boosted else 1.0
        weight = weight / rules.boost_factor if product.category_id in buried else weight
        scored.append((-score * weight, position, product, score, extra))
    scored.sort(key=lambda item: item[:2])
    result, per_category = [], {}
    for _, _, product, score, extra in scored:
        taken = per_category.get(product.category_id, 0)
        if rules.max_per_category is not None and product.category_id is not None and taken >= rules.max_per_category:
            continue
        per_category[product.category_id] = taken + 1
        because_of = products.get(extra.get("because_of_id")) if extra.get("because_of_id") else None
        result.append(Recommendation(product, score, extra.get("reason", ""), because_of, extra.get("support")))
        if len(result) == k:
            break
    return result


def _category_sets(rules: RecommendationRules) -> tuple[set[int], set[int]]:
    if rules.pk is None:
        return set(), set()
    return (set(rules.boosted_categories.values_list("pk", flat=True)),
            set(rules.buried_categories.values_list("pk", flat=True)))  # fmt: skip
