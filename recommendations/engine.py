"""The recommender behind personal picks, bought-together and popularity. No Django here.

Personal picks come from a learned ranker over candidates and features (recommendations/features.py).
`train()` fits the ranker on each customer's last orders, each from the orders before it, then ranks from the
whole log: it needs nothing but the log, and an evaluation that holds out the last order tunes nothing on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from recommendations.event_log import EncodedLog, Events, encode_events, last_basket_split
from recommendations.features import FEATURES, Stats, candidates


@dataclass(frozen=True)
class RecommenderParams:
    """The few knobs; values checked on the second-to-last order of online_retail (bench/recommender_eval.py)."""

    neighbours: int = 100  # kept per product in the item-kNN
    knn_candidates: int = 50  # unbought neighbours per customer offered to the ranker
    popular_candidates: int = 20  # popular products offered to the ranker
    history_candidates: int = 300  # own products offered to the ranker (only wholesalers have more)
    recent_days: int = 30  # "popular now" is the log's last month; also the window around a customer's last order
    pool_size: int = 100  # ranked picks kept per customer, so serving can drop excluded ones
    min_support: int = 3  # bought-together: a pair seen in fewer baskets is mostly chance
    min_ranker_positives: int = 50  # fewer held-out purchases than this: rank by a fixed blend instead
    # Last orders each customer's ranker rows come from. HR@10/NDCG@10 on validation, 200 rows a leaf: 2 orders
    # 0.723/0.295, 4 0.733/0.292, 6 0.735/0.292 (the 14 features of before: 1 order 0.724/0.286, 4 0.728/0.289).
    training_orders: int = 4
    ranker_rows: int = 400_000  # training rows; a bigger log samples customers (1M events: 28-44 s at load 5)
    ranker_iterations: int = 100
    recent_baskets: int = 3  # "recent_share": share of the customer's last orders holding the product
    basket_decay: float = 0.7  # "decayed_share": an order's weight against the one after it
    season_days: int = 60  # "last year": from a month before to two months after a year before the last order
    # Rows per leaf as a share of the training rows (at least 20): 1,000 of online_retail's 400k rows scored
    # HR@10/NDCG@10 0.735/0.295 on validation, 200 rows 0.723/0.293, 2,000 rows 0.736/0.297.
    ranker_min_leaf_share: float = 0.0025
    # One thread: on the shared 2-core box, OpenMP with 2 threads fitted 7x slower under load (2.9 s vs 19 s).
    ranker_threads: int = 1
    seed: int = 0


@dataclass(frozen=True)
class Pick:
    product: str
    score: float
    reason: str  # "repeat" (bought before), "similar" (neighbour of `because_of`) or "popular"
    because_of: str | None = None

    def explanation(self) -> str:
        if self.reason == "repeat":
            return "you bought this before"
        if self.reason == "similar" and self.because_of is not None:
            return f"because you bought {self.because_of}"
        return "popular right now"


def train(events: Events, *, params: RecommenderParams = RecommenderParams()) -> Recommender:
    """Fit the ranker on each customer's last orders, then rank candidates for every customer from the whole log."""
    log = encode_events(events)
    ranker = _fit_ranker(log, params=params)
    return Recommender.build(log=log, ranker=ranker, params=params)


class FixedBlend:
    """The ranker for logs too small to learn from: own products by basket count, then kNN, then popularity."""

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        bought, knn, popular = (
            features[:, FEATURES.index(name)] for name in ("n_bought", "knn_score", "item_popularity")
        )
        score = np.nan_to_num(bought) * 1e6 + np.nan_to_num(knn) * 1e3 + popular
        return np.column_stack([-score, score])


def _training_rows(log: EncodedLog, *, params: RecommenderParams) -> tuple[np.ndarray, np.ndarray]:
    """(FEATURES, in the order?) rows: each customer's last order from the log before it, then the order before
    that one from the log before it, and so on for `training_orders` orders or until `ranker_rows` rows, so every
    row sees only what came before its order, as in the evaluation."""
    features, target, current = [], [np.zeros(0, bool)], log
    for _ in range(params.training_orders):
        before, labels = last_basket_split(current, through_previous_order=True)  # as the evaluation cuts
        current = current.select(before)
        customers = np.flatnonzero(labels.getnnz(axis=1) > 0)
        if not len(customers):
            break
        sampled = _sample_customers(current, customers, rows=params.ranker_rows - sum(map(len, target)), params=params)
        stats = Stats.compute(current, params=params)
        cust, item, rows = candidates(current, stats, customers=sampled, params=params)
        features.append(rows), target.append(np.asarray(labels[cust, item]).ravel() > 0)
        if len(sampled) < len(customers) or sum(map(len, target)) >= params.ranker_rows:
            break  # the row budget is spent: a big log learns from its last orders alone
    features = np.concatenate(features) if features else np.zeros((0, len(FEATURES)), np.float32)
    features[:, np.isnan(features).all(axis=0)] = 0.0  # unknown throughout (no year of history): scikit-learn
    return features, np.concatenate(target)  # cannot bin a column without values; as one value no tree splits on it


def _fit_ranker(log: EncodedLog, *, params: RecommenderParams):
    """A classifier of "in the next order" over candidates (see `_training_rows`)."""
    features, target = _training_rows(log, params=params)
    if target.sum() < params.min_ranker_positives or target.all():
        return FixedBlend()
    if len(target) > params.ranker_rows:
        keep = np.random.default_rng(params.seed).choice(len(target), params.ranker_rows, replace=False)
        features, target = features[keep], target[keep]
    ranker = HistGradientBoostingClassifier(
        max_iter=params.ranker_iterations, min_samples_leaf=max(20, round(params.ranker_min_leaf_share * len(target))),
        early_stopping=False, random_state=params.seed,
    )  # fmt: skip
    with threadpool_limits(params.ranker_threads):
        return ranker.fit(features, target)


def _sample_customers(log: EncodedLog, customers: np.ndarray, *, rows: int, params: RecommenderParams) -> np.ndarray:
    """A random subset of `customers` whose candidates make about `rows` rows (all of them in a smaller log):
    a big log trains on a sample anyway, and building candidates is half the training time."""
    owned = np.bincount(log.owned.customer, minlength=log.n_customers)[customers]
    estimate = np.minimum(owned, params.history_candidates) + params.knn_candidates + params.popular_candidates
    if estimate.sum() <= rows:
        return customers
    shuffled = np.random.default_rng(params.seed).permutation(len(customers))
    enough = np.searchsorted(np.cumsum(estimate[shuffled]), rows) + 1
    return np.sort(customers[shuffled[:enough]])


def _bought_together(log: EncodedLog, *, min_support: int) -> sp.csr_matrix:
    """Product x product count of shared baskets where at least `min_support`; the diagonal counts baskets."""
    p = log.pairs
    n_baskets = len(p["basket_customer"])
    baskets = sp.csr_matrix((np.ones(len(p["item"]), np.float32), (p["basket"], p["item"])),
                            shape=(n_baskets, log.n_items))  # fmt: skip
    together = (baskets.T @ baskets).tocoo()
    keep = (together.data >= min_support) | (together.row == together.col)
    return sp.csr_matrix((together.data[keep], (together.row[keep], together.col[keep])), shape=together.shape)


def _ranked_pools(cust, item, score, *, n_customers: int, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each customer's `limit` best (product, score), best first, as start offsets + flat arrays."""
    order = np.lexsort((item, -score, cust))
    cust, item, score = cust[order], item[order], score[order]
    keep = np.arange(len(cust)) - np.searchsorted(cust, cust) < limit
    start = np.searchsorted(cust[keep], np.arange(n_customers + 1))
    return start, item[keep], score[keep].astype(np.float32)


class Recommender:
    """A trained model: ranked picks per customer, bought-together pairs and popularity, all precomputed."""

    def __init__(self, *, log: EncodedLog, stats: Stats, ranker, pools: tuple, together: sp.csr_matrix):
        self.product_ids: np.ndarray = log.product_ids
        self.customer_ids: np.ndarray = log.customer_ids
        self._customer_index = {c: n for n, c in enumerate(log.customer_ids.tolist())}
        self._product_index = {p: n for n, p in enumerate(log.product_ids.tolist())}
        self._pool_start, self._pool_items, self._pool_scores = pools  # per customer, best first
        self.ranker = ranker
        self._together = together
        self._popular = stats.popular_order
        self._history = stats.history
        self._similarity = stats.similarity

    @classmethod
    def build(cls, *, log: EncodedLog, ranker, params: RecommenderParams) -> Recommender:
        stats = Stats.compute(log, params=params)
        cust, item, features = candidates(log, stats, customers=np.arange(log.n_customers), params=params)
        with threadpool_limits(params.ranker_threads):
            score = ranker.predict_proba(features)[:, 1] if len(cust) else np.zeros(0)
        pools = _ranked_pools(cust, item, score, n_customers=log.n_customers, limit=params.pool_size)
        together = _bought_together(log, min_support=params.min_support)
        return cls(log=log, stats=stats, ranker=ranker, pools=pools, together=together)

    @property
    def customers(self) -> list[str]:
        return self.customer_ids.tolist()

    def recommend_everyone(self, *, k: int = 10, on_progress=None) -> Iterator[tuple[str, list[Pick]]]:
        """(customer, picks) for every customer in the log: what `manage.py recommend` and the nightly run store."""
        for customer in self.customers:
            yield customer, self.recommend(customer=customer, k=k)
            if on_progress is not None:
                on_progress(1)

    def recommend(self, *, customer: str, k: int = 10, exclude: frozenset[str] | set[str] = frozenset()) -> list[Pick]:
        """The customer's top-k picks without `exclude`; unknown customers, and any shortfall, get popular ones."""
        index = self._customer_index.get(customer)
        if index is None:
            return self.popular(k=k, exclude=exclude)
        pool = slice(self._pool_start[index], self._pool_start[index + 1])
        items, scores = self._pool_items[pool], self._pool_scores[pool]
        keep = [n for n, item in enumerate(items.tolist()) if self.product_ids[item] not in exclude][:k]
        picks = self._explain(index, items[keep], scores[keep])
        if len(picks) < k:
            picks += self.popular(k=k - len(picks), exclude=set(exclude) | {pick.product for pick in picks})
        return picks

    def _explain(self, customer: int, items: np.ndarray, scores: np.ndarray) -> list[Pick]:
        own = self._history[customer]
        owned = set(own.indices.tolist())
        # The reason for a neighbour is the owned product contributing most to its kNN score.
        weights = (self._similarity[own.indices][:, items].toarray() * own.data[:, None]) if len(items) else None
        picks = []
        for column, (item, score) in enumerate(zip(items.tolist(), scores.tolist(), strict=True)):
            product = str(self.product_ids[item])
            if item in owned:
                picks.append(Pick(product, score, "repeat", product))
            elif len(own.indices) and weights[:, column].max() > 0:
                source = str(self.product_ids[own.indices[weights[:, column].argmax()]])
                picks.append(Pick(product, score, "similar", source))
            else:
                picks.append(Pick(product, score, "popular"))
        return picks

    def popular(self, *, k: int = 10, exclude: frozenset[str] | set[str] = frozenset()) -> list[Pick]:
        """The most bought products of the last `recent_days`, then of all time."""
        picks: list[Pick] = []
        for rank, item in enumerate(self._popular.tolist()):
            if len(picks) == k:
                break
            product = str(self.product_ids[item])
            if product not in exclude:
                picks.append(Pick(product, 1.0 / (rank + 1), "popular"))
        return picks

    def bought_together(
        self, *, product: str, k: int = 10, exclude: frozenset[str] | set[str] = frozenset()
    ) -> list[tuple[str, float, int]]:
        """(product, confidence, support): what shares baskets with `product`, most confident first."""
        index = self._product_index.get(product)
        if index is None:
            return []
        row = self._together[index]
        baskets = max(float(self._together[index, index]), 1.0)
        others = row.indices != index
        items, support = row.indices[others], row.data[others]
        result = []
        for n in np.lexsort((items, -support)).tolist():  # for one product, confidence ranks as support does
            other = str(self.product_ids[items[n]])
            if other not in exclude:
                result.append((other, float(support[n] / baskets), int(support[n])))
            if len(result) == k:
                break
        return result
