"""The ranker's candidates and their features, computed from one log. No Django here.

Candidates are the products a customer already has (in wholesale and gift logs most of a next order is a
reorder), their unbought item-kNN neighbours, and the popular products. Features say how often and how recently
the customer bought each product (overall, in their last few orders, decayed by order), how overdue it is against
its own rhythm, whether they bought it this time last year, how often anyone rebuys it, how close it is to their
history and how popular it is now, around their last order and a year earlier, and the customer's own rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from recommendations.event_log import DAY_SECONDS, EncodedLog

if TYPE_CHECKING:
    from recommendations.engine import RecommenderParams

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


@dataclass
class Stats:
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
    def compute(cls, log: EncodedLog, *, params: RecommenderParams) -> Stats:
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
        baskets = np.searchsorted(self.basket_times, high, side="right") - np.searchsorted(
            self.basket_times, low, side="right"
        )
        key = item * _TIME_SPAN - self.start_time  # item_times hold times since the log's start
        with_item = np.searchsorted(self.item_times, key + high, side="right") - np.searchsorted(
            self.item_times, key + low, side="right"
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


def candidates(
    log: EncodedLog, stats: Stats, *, customers: np.ndarray, params: RecommenderParams
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


def _candidate_block(log, stats: Stats, *, own: np.ndarray, profile: np.ndarray, block, popular, params):
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


def _own_product_features(log: EncodedLog, stats: Stats, *, params: RecommenderParams) -> np.ndarray:
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
    norm = np.where(baskets > 0, 1 - decay**baskets, 1.0)  # a customer with views only has no baskets
    decayed_share = np.bincount(pair_row, weights=decay**age, minlength=len(keys)) * (1 - decay) / norm
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
