"""The recommender behind personal picks, bought-together and popularity. No Django here.

Personal picks come from a learned ranker over candidates: the products a customer already has (in wholesale
and gift logs most of a next order is a reorder), their unbought item-kNN neighbours, and the popular products.
Features say how often and how recently the customer bought each product (overall, in their last few orders,
decayed by order), how overdue it is against its own rhythm, whether they bought it this time last year, how
often anyone rebuys it, how close it is to their history and how popular it is now, around their last order and a
year earlier, and the customer's own rhythm. `train()` fits the ranker on each customer's last orders, each from
the orders before it, then ranks from the whole log: it needs nothing but the log, and an evaluation that holds
out the last order tunes nothing on it.
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
    # the customer and the product: NaN where never bought
    "n_bought", "frac_bought", "baskets_since", "days_since", "days_span", "overdue", "engagement",
    "recent_share", "decayed_share", "own_rank", "days_since_now", "overdue_now", "bought_last_year",
    # the product for this customer
    "knn_score", "knn_rank", "item_popularity", "item_recent_popularity", "item_repeat_rate",
    "item_share_after", "item_share_before", "item_share_last_year",
    # the customer
    "customer_baskets", "customer_reorder_share", "customer_basket_size", "customer_gap", "customer_idle",
    "customer_products",
)  # fmt: skip
OWN_FEATURES = FEATURES[: FEATURES.index("knn_score")]


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
        stats = _Stats.compute(current, params=params)
        cust, item, rows = _candidates(current, stats, customers=sampled, params=params)
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


@dataclass
class _Stats:
    """What the features need from one log."""

    history: sp.csr_matrix  # customer x product, weighted interactions (a purchase line = 1)
    similarity: sp.csr_matrix  # product x product cosine over buyers, top neighbours, no diagonal
    popularity: np.ndarray  # baskets per product
    recent_popularity: np.ndarray  # baskets per product in the last `recent_days`
    repeat_rate: np.ndarray  # share of a product's buyers who bought it in two or more baskets
    item_times: np.ndarray  # (product, time) of every (basket, product), as one sorted key: see `window_share`
    basket_times: np.ndarray  # sorted
    start_time: int
    end_time: int

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
        start = int(p["time"].min()) if len(p["time"]) else 0
        item_times = np.sort(p["item"].astype(np.int64) * _TIME_SPAN + (p["time"] - start))
        return cls(history.astype(np.float32), similarity, popularity, recent_popularity, repeat_rate, item_times,
                   np.sort(p["basket_time"]), start, log.end_time)  # fmt: skip

    @property
    def popular_order(self) -> np.ndarray:
        return np.lexsort((-self.popularity, -self.recent_popularity))

    def window_share(self, item: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Share of the baskets in (low, high] that hold `item`; NaN where the window has no baskets."""
        low, high = low - self.start_time, high - self.start_time
        with_item = np.searchsorted(self.item_times, item * _TIME_SPAN + high, side="right") - np.searchsorted(
            self.item_times, item * _TIME_SPAN + low, side="right"
        )
        baskets = np.searchsorted(self.basket_times - self.start_time, high, side="right") - np.searchsorted(
            self.basket_times - self.start_time, low, side="right"
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(baskets > 0, with_item / baskets, np.nan)


_TIME_SPAN = 1 << 36  # seconds: over 2,000 years, so product * span + time never overlaps the next product
YEAR_SECONDS = 365 * DAY_SECONDS


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
    own = _own_product_features(log, stats, params=params)
    popular = stats.popular_order[: params.popular_candidates]
    profile = _customer_profile(log)
    chunk = _block_rows(log.n_items)  # bounds memory: the kNN block is chunk x products, dense
    parts = [
        _candidate_block(
            log, stats, own=own, profile=profile, block=customers[start : start + chunk], popular=popular, params=params
        )  # fmt: skip
        for start in range(0, len(customers), chunk)
    ]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, len(FEATURES)), np.float32)
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _candidate_block(log, stats: _Stats, *, own: np.ndarray, profile: np.ndarray, block, popular, params):
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
    customer = block[local]
    features = np.full((len(keys), len(FEATURES)), np.nan, dtype=np.float32)
    from_own = first < len(own)
    features[from_own, : len(OWN_FEATURES)] = own[first[from_own], 2:]
    column = {name: n for n, name in enumerate(FEATURES)}
    features[:, column["knn_score"]] = knn[local, item]
    features[:, column["knn_rank"]] = _rank_within(local, -knn[local, item])
    features[:, column["item_popularity"]] = np.log1p(stats.popularity[item])
    features[:, column["item_recent_popularity"]] = np.log1p(stats.recent_popularity[item])
    features[:, column["item_repeat_rate"]] = stats.repeat_rate[item]
    last = log.customer_last_time[customer]
    window = params.recent_days * DAY_SECONDS
    after = np.minimum(last, stats.end_time - window)  # the month after their last order, or the last month
    features[:, column["item_share_after"]] = stats.window_share(item, after, after + window)
    features[:, column["item_share_before"]] = stats.window_share(item, last - window, last)
    year_ago = last - YEAR_SECONDS
    share = stats.window_share(item, year_ago, year_ago + params.season_days * DAY_SECONDS)
    features[:, column["item_share_last_year"]] = np.where(year_ago >= stats.start_time, share, np.nan)
    features[:, column["customer_baskets"] :] = profile[customer]
    return customer, item, features


def _rank_within(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """0 for the best (lowest) score of each group, 1 for the next, ...; `group` sorted."""
    order = np.lexsort((score, group))
    rank = np.empty(len(group), np.float32)
    rank[order] = np.arange(len(group)) - np.searchsorted(group[order], group[order])
    return rank


def _customer_profile(log: EncodedLog) -> np.ndarray:
    """FEATURES from "customer_baskets" on, per customer."""
    p = log.pairs
    baskets = log.baskets_per_customer
    first = np.full(log.n_customers, np.iinfo(np.int64).max)
    np.minimum.at(first, p["basket_customer"], p["basket_time"])
    last = np.zeros(log.n_customers, np.int64)
    np.maximum.at(last, p["basket_customer"], p["basket_time"])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(baskets >= 2, (last - first) / DAY_SECONDS / (baskets - 1), np.nan)
    idle = (log.end_time - log.customer_last_time) / DAY_SECONDS
    products = np.log1p(np.bincount(log.owned.customer, minlength=log.n_customers))
    return np.column_stack([log.customer_profile, gap, idle, products]).astype(np.float32)


def _own_product_features(log: EncodedLog, stats: _Stats, *, params: RecommenderParams) -> np.ndarray:
    """Rows of [customer, product, OWN_FEATURES] for what each customer interacted with, sorted by customer."""
    owned, p = log.owned, log.pairs
    baskets = log.baskets_per_customer[owned.customer]
    days_since = (log.customer_last_time[owned.customer] - owned.last_time) / DAY_SECONDS
    days_span = (owned.last_time - owned.first_time) / DAY_SECONDS
    days_since_now = (log.end_time - owned.last_time) / DAY_SECONDS
    # Per (basket, product) purchase: how many of the customer's baskets came after it.
    keys = owned.customer.astype(np.int64) * log.n_items + owned.item
    pair_row = np.searchsorted(keys, p["customer"].astype(np.int64) * log.n_items + p["item"])
    age = log.baskets_per_customer[p["customer"]] - 1 - p["position"]
    recent = np.bincount(pair_row, weights=age < params.recent_baskets, minlength=len(keys))
    recent_share = recent / np.maximum(np.minimum(baskets, params.recent_baskets), 1)
    decay = params.basket_decay
    decayed_share = np.bincount(pair_row, weights=decay**age, minlength=len(keys)) * (1 - decay) / (1 - decay**baskets)
    year_ago = log.customer_last_time[p["customer"]] - YEAR_SECONDS
    in_season = (p["time"] > year_ago - params.recent_days * DAY_SECONDS) & (
        p["time"] <= year_ago + params.season_days * DAY_SECONDS
    )

    bought_last_year = np.bincount(pair_row, weights=in_season, minlength=len(keys)) > 0
    season_known = (
        log.customer_last_time[owned.customer] - YEAR_SECONDS - params.recent_days * DAY_SECONDS >= stats.start_time
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_gap = np.where(owned.count >= 2, days_span / (owned.count - 1), np.nan)
        overdue = days_since / mean_gap
        overdue_now = days_since_now / mean_gap
    # Wholesalers own thousands of products: offer the most-bought, then the most recent.
    order = np.lexsort((-stats.popularity[owned.item], -owned.last_position, -owned.count, owned.customer))
    own_rank = np.empty(len(keys), np.float64)
    own_rank[order] = np.arange(len(keys)) - np.searchsorted(owned.customer[order], owned.customer[order])
    rows = np.column_stack([
        owned.customer, owned.item, owned.count, owned.count / np.maximum(baskets, 1),
        baskets - 1 - owned.last_position, days_since, days_span, overdue, np.log1p(owned.engagement),
        recent_share, decayed_share, own_rank, days_since_now, overdue_now,
        np.where(season_known, bought_last_year, np.nan),
    ])  # fmt: skip
    rows = rows[order]
    return rows[own_rank[order] < params.history_candidates]


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
