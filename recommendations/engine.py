"""The recommender behind personal picks, bought-together and popularity. No Django here.

Personal picks come from a learned ranker over candidates: the products a customer already has (in wholesale
and gift logs most of a next order is a reorder), their unbought item-kNN neighbours, and the popular products.
Features say how often and how recently the customer bought each product, how overdue it is, how often anyone
rebuys it, how close it is to their history and how popular it is now. `train()` fits the ranker on each
customer's last basket from the baskets before it, then ranks from the whole log: it needs nothing but the log,
and an evaluation that holds out the last order tunes nothing on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from recommendations.event_log import DAY_SECONDS, EncodedLog, Events, encode_events, last_basket_split

FEATURES = (
    "n_bought", "frac_bought", "baskets_since", "days_since", "days_span", "overdue", "engagement",
    "knn_score", "item_popularity", "item_recent_popularity", "item_repeat_rate",
    "customer_baskets", "customer_reorder_share", "customer_basket_size",
)  # fmt: skip


@dataclass(frozen=True)
class RecommenderParams:
    """The few knobs; values checked on the second-to-last order of online_retail (bench/recommender_eval.py)."""

    neighbours: int = 100  # kept per product in the item-kNN
    knn_candidates: int = 50  # unbought neighbours per customer offered to the ranker
    popular_candidates: int = 20  # popular products offered to the ranker
    history_candidates: int = 300  # own products offered to the ranker (only wholesalers have more)
    recent_days: int = 30  # "popular now" is the log's last month
    pool_size: int = 100  # ranked picks kept per customer, so serving can drop excluded ones
    min_support: int = 3  # bought-together: a pair seen in fewer baskets is mostly chance
    min_ranker_positives: int = 50  # fewer held-out purchases than this: rank by a fixed blend instead
    training_orders: int = 2  # last orders each customer's ranker rows come from (more data for small stores)
    ranker_rows: int = 400_000  # sampled training rows: 1M events train in 39 s at load 11 (recommender_speed.py)
    ranker_iterations: int = 100
    ranker_min_leaf: int = 200  # rows per leaf: 20 overfits the 100k rows of online_retail (HR@10 -0.01)
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
        score = features[:, 0] * 1e6 + np.nan_to_num(features[:, 7]) * 1e3 + features[:, 8]
        return np.column_stack([-score, score])


def _fit_ranker(log: EncodedLog, *, params: RecommenderParams):
    """A classifier of "in the next order" over candidates, from the log cut before each customer's last order
    (then the one before, up to `training_orders`, while rows are short of `ranker_rows`)."""
    features, target, current = [], [], log
    for _ in range(params.training_orders):
        before, labels = last_basket_split(current, through_previous_order=True)  # as the evaluation cuts
        current = current.select(before)
        customers = np.flatnonzero(labels.getnnz(axis=1) > 0)
        stats = _Stats.compute(current, params=params)
        cust, item, rows = _candidates(current, stats, customers=customers, params=params)
        features.append(rows)
        target.append(np.asarray(labels[cust, item]).ravel() > 0 if len(cust) else np.zeros(0, bool))
        if sum(len(t) for t in target) >= params.ranker_rows:
            break  # a big log: one cut already gives enough rows, and a second one costs a third of training
    features, target = np.concatenate(features), np.concatenate(target)
    if target.sum() < params.min_ranker_positives or target.all():
        return FixedBlend()
    if len(target) > params.ranker_rows:
        keep = np.random.default_rng(params.seed).choice(len(target), params.ranker_rows, replace=False)
        features, target = features[keep], target[keep]
    ranker = HistGradientBoostingClassifier(
        max_iter=params.ranker_iterations, min_samples_leaf=params.ranker_min_leaf, early_stopping=False,
        random_state=params.seed,
    )  # fmt: skip
    with threadpool_limits(params.ranker_threads):
        return ranker.fit(features, target)


@dataclass
class _Stats:
    """What the features need from one log."""

    history: sp.csr_matrix  # customer x product, weighted interactions (a purchase line = 1)
    similarity: sp.csr_matrix  # product x product cosine over buyers, top neighbours, no diagonal
    popularity: np.ndarray  # baskets per product
    recent_popularity: np.ndarray  # baskets per product in the last `recent_days`
    repeat_rate: np.ndarray  # share of a product's buyers who bought it in two or more baskets

    @classmethod
    def compute(cls, log: EncodedLog, *, params: RecommenderParams) -> _Stats:
        history = sp.csr_matrix((log.weight, (log.customer, log.item)), shape=(log.n_customers, log.n_items))
        p = log.pairs
        popularity = np.bincount(p["item"], minlength=log.n_items).astype(np.float32)
        recent = p["time"] >= log.end_time - params.recent_days * DAY_SECONDS
        recent_popularity = np.bincount(p["item"][recent], minlength=log.n_items).astype(np.float32)
        owned = log.owned
        buyers = np.bincount(owned.item[owned.count >= 1], minlength=log.n_items)
        repeaters = np.bincount(owned.item[owned.count >= 2], minlength=log.n_items)
        repeat_rate = ((repeaters + 1) / (buyers + 2)).astype(np.float32)  # Laplace: no buyers yet is a coin flip
        similarity = _item_similarity(history, neighbours=params.neighbours)
        return cls(history.astype(np.float32), similarity, popularity, recent_popularity, repeat_rate)

    @property
    def popular_order(self) -> np.ndarray:
        return np.lexsort((-self.popularity, -self.recent_popularity))


def _item_similarity(history: sp.csr_matrix, *, neighbours: int) -> sp.csr_matrix:
    """Cosine over buyers, each product's `neighbours` nearest, itself excluded."""
    bought = (history > 0).astype(np.float32)
    co = (bought.T @ bought).tocsr()
    norms = np.sqrt(np.asarray(bought.sum(axis=0)).ravel()).clip(min=1.0)
    rows, cols, values = [], [], []
    for start in range(0, co.shape[0], _block_rows(co.shape[1])):
        block = co[start : start + _block_rows(co.shape[1])].toarray()
        block /= norms[start : start + len(block), None] * norms[None, :]
        block[np.arange(len(block)), np.arange(start, start + len(block))] = 0.0
        row, col = _top_of_dense(block, neighbours)
        rows.append(row + start), cols.append(col), values.append(block[row, col])
    return sp.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=co.shape)


def _block_rows(n_columns: int) -> int:
    return max(16, 8_000_000 // max(n_columns, 1))  # dense blocks of ~32 MB in float32


def _top_of_dense(scores: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's `limit` largest positive entries; argpartition, no full sort."""
    limit = min(limit, scores.shape[1])
    if limit <= 0 or scores.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    top = np.argpartition(-scores, limit - 1, axis=1)[:, :limit]
    row, col = np.repeat(np.arange(len(scores)), limit), top.ravel()
    keep = scores[row, col] > 0
    return row[keep], col[keep]


def _candidates(
    log: EncodedLog, stats: _Stats, *, customers: np.ndarray, params: RecommenderParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer, product, FEATURES) rows: own products, unbought neighbours and popular products."""
    own = _own_product_features(log, params=params)
    popular = stats.popular_order[: params.popular_candidates]
    chunk = _block_rows(log.n_items)  # bounds memory: the kNN block is chunk x products, dense
    parts = [
        _candidate_block(log, stats, own=own, block=customers[start : start + chunk], popular=popular, params=params)
        for start in range(0, len(customers), chunk)
    ]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, len(FEATURES)), np.float32)
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _candidate_block(log, stats: _Stats, *, own: np.ndarray, block, popular, params: RecommenderParams):
    own = own[np.isin(own[:, 0], block)]
    knn = (stats.history[block] @ stats.similarity).toarray()
    local_own, own_item = np.searchsorted(block, own[:, 0].astype(np.int64)), own[:, 1].astype(np.int64)
    unbought = knn.copy()
    unbought[local_own, own_item] = 0.0
    knn_row, knn_item = _top_of_dense(unbought, params.knn_candidates)
    local = np.concatenate([local_own, knn_row, np.repeat(np.arange(len(block)), len(popular))])
    item = np.concatenate([own_item, knn_item, np.tile(popular, len(block))])
    keys, first = np.unique(local.astype(np.int64) * log.n_items + item, return_index=True)  # own rows win
    local, item = keys // log.n_items, keys % log.n_items
    features = np.zeros((len(keys), len(FEATURES)), dtype=np.float32)
    from_own = first < len(own)
    features[from_own, :7] = own[first[from_own], 2:]
    features[~from_own, 2:6] = np.nan  # never bought: no recency
    features[:, 7] = knn[local, item]
    features[:, 8] = np.log1p(stats.popularity[item])
    features[:, 9] = np.log1p(stats.recent_popularity[item])
    features[:, 10] = stats.repeat_rate[item]
    features[:, 11:] = log.customer_profile[block[local]]
    return block[local], item, features


def _own_product_features(log: EncodedLog, *, params: RecommenderParams) -> np.ndarray:
    """Rows of [customer, product, FEATURES[:7]] for what each customer interacted with, sorted by customer."""
    owned = log.owned
    baskets = log.baskets_per_customer[owned.customer]
    days_since = (log.customer_last_time[owned.customer] - owned.last_time) / DAY_SECONDS
    days_span = (owned.last_time - owned.first_time) / DAY_SECONDS
    with np.errstate(divide="ignore", invalid="ignore"):
        overdue = np.where(owned.count >= 2, days_since * (owned.count - 1) / days_span, np.nan)
    rows = np.column_stack([
        owned.customer, owned.item, owned.count, owned.count / np.maximum(baskets, 1),
        baskets - 1 - owned.last_position, days_since, days_span, overdue, np.log1p(owned.engagement),
    ])  # fmt: skip
    # Wholesalers own thousands of products: offer the most-bought, then the most recent.
    order = np.lexsort((-owned.last_position, -owned.count, owned.customer))
    rows = rows[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows[:, 0], rows[:, 0])
    return rows[rank < params.history_candidates]


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

    def __init__(self, *, log: EncodedLog, stats: _Stats, ranker, pools: tuple, together: sp.csr_matrix):
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
        stats = _Stats.compute(log, params=params)
        cust, item, features = _candidates(log, stats, customers=np.arange(log.n_customers), params=params)
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
