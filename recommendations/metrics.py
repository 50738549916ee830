"""Offline evaluation of the recommender against simple baselines, in one run. No Django here.

Split: each customer's last order (their purchases with the latest timestamp) is held out; customers with one
order only train. Metrics over the held-out customers, with the held-out basket de-duplicated:
- hit rate@k: share of customers with at least one held-out product in their top k;
- NDCG@k: binary relevance, DCG = sum of 1/log2(rank + 1) over hits, divided by the ideal DCG of
  min(|basket|, k) hits;
- coverage: distinct products recommended to anyone / products in the training part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommendations.engine import RecommenderParams, train
from recommendations.event_log import EncodedLog, Events, encode_events, last_basket_split

MODEL_LABELS = {
    "ranker": "repeat-aware ranker (ours)",
    "own_then_popular": "own most-bought, then popular",
    "popularity": "popularity",
    "item_knn": "item-kNN excluding bought",
}


@dataclass(frozen=True)
class Split:
    train: Events
    held_out: dict[str, set[str]]  # customer -> distinct products of their last order


def split_last_order(events: Events) -> Split:
    log = encode_events(events)
    before, labels = last_basket_split(log, through_previous_order=True)
    held_out = {
        str(log.customer_ids[c]): {str(p) for p in log.product_ids[labels[c].indices]}
        for c in np.flatnonzero(labels.getnnz(axis=1) > 0).tolist()
    }
    return Split(train=events.select(before), held_out=held_out)


def drop_last_order(events: Events) -> Events:
    """The log without each repeat customer's last order: evaluating on it scores the second-to-last order,
    which is where parameters are chosen, so the last order stays untouched for the reported figures."""
    return split_last_order(events).train


def hit_rate_and_ndcg(
    recommended: dict[str, list[str]], held_out: dict[str, set[str]], *, k: int
) -> tuple[float, float]:
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    hits, gains = [], []
    for customer, basket in held_out.items():
        relevant = np.array([product in basket for product in recommended.get(customer, [])[:k]], dtype=float)
        dcg = float(relevant @ discounts[: len(relevant)])
        ideal = float(discounts[: min(len(basket), k)].sum())
        hits.append(relevant.any())
        gains.append(dcg / ideal if ideal else 0.0)
    return (float(np.mean(hits)), float(np.mean(gains))) if hits else (0.0, 0.0)


def coverage(recommended: dict[str, list[str]], *, k: int, catalogue_size: int) -> float:
    shown = {product for products in recommended.values() for product in products[:k]}
    return len(shown) / catalogue_size if catalogue_size else 0.0


def evaluate(
    events: Events, *, k: int = 10, params: RecommenderParams = RecommenderParams()
) -> dict[str, dict[str, float]]:
    """Train every model and baseline on the training part and score each on the held-out last orders."""
    split = split_last_order(events)
    log = encode_events(split.train)
    customers = sorted(split.held_out)
    recommenders: dict[str, Callable[[], dict[str, list[str]]]] = {
        "ranker": lambda: _ranker_top_k(split.train, customers, k=k, params=params),
        "own_then_popular": lambda: _top_k_by_score(log, customers, k=k, score=_own_then_popular),
        "popularity": lambda: _top_k_by_score(log, customers, k=k, score=_popularity),
        "item_knn": lambda: _top_k_by_score(log, customers, k=k, score=_item_knn_unbought),
    }
    results = {}
    for name, recommend in recommenders.items():
        recommended = recommend()
        hit_rate, ndcg = hit_rate_and_ndcg(recommended, split.held_out, k=k)
        results[name] = {
            "hit_rate": hit_rate,
            "ndcg": ndcg,
            "coverage": coverage(recommended, k=k, catalogue_size=log.n_items),
            "customers": float(len(customers)),
        }
    return results


def _ranker_top_k(train_events: Events, customers: list[str], *, k: int, params: RecommenderParams):
    model = train(train_events, params=params)
    return {customer: [pick.product for pick in model.recommend(customer=customer, k=k)] for customer in customers}


def _top_k_by_score(log: EncodedLog, customers: list[str], *, k: int, score, chunk: int = 1024):
    """Top k of a dense score block per chunk of customers (chunks bound memory to chunk x products)."""
    index = np.searchsorted(log.customer_ids, customers)
    bought = sp.csr_matrix(
        (log.owned.count.astype(np.float32), (log.owned.customer, log.owned.item)),
        shape=(log.n_customers, log.n_items),
    )
    popularity = np.bincount(log.pairs["item"], minlength=log.n_items).astype(np.float64)
    context = {"bought": bought, "popularity": popularity, "similarity": None}
    out = {}
    for start in range(0, len(customers), chunk):
        rows = index[start : start + chunk]
        scores = score(rows, context)
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        for customer, items in zip(customers[start : start + chunk], top, strict=True):
            out[customer] = log.product_ids[items].tolist()
    return out


def _tie_break(popularity: np.ndarray) -> np.ndarray:
    return popularity / (popularity.max() + 1.0)  # below 1: orders ties only, never outranks a purchase


def _popularity(rows: np.ndarray, context: dict) -> np.ndarray:
    return np.tile(context["popularity"], (len(rows), 1))


def _own_then_popular(rows: np.ndarray, context: dict) -> np.ndarray:
    """Baskets the customer bought each product in; ties, and everything unbought, by popularity."""
    return context["bought"][rows].toarray() + _tie_break(context["popularity"])


def _item_knn_unbought(rows: np.ndarray, context: dict) -> np.ndarray:
    """Sum of cosine similarities (over buyers) to what the customer bought; bought products excluded."""
    if context["similarity"] is None:
        bought = (context["bought"] > 0).astype(np.float64)
        co = (bought.T @ bought).tocsr()
        norms = np.sqrt(np.asarray(bought.sum(axis=0)).ravel()).clip(min=1.0)
        co = sp.diags(1.0 / norms) @ co @ sp.diags(1.0 / norms)
        co.setdiag(0)
        context["similarity"] = co.tocsr()
    own = (context["bought"][rows] > 0).astype(np.float64)
    scores = (own @ context["similarity"]).toarray() + 1e-9 * _tie_break(context["popularity"])
    scores[own.toarray() > 0] = -np.inf
    return scores
