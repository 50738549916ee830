"""Interaction events (customer, product, time, kind) and their integer encoding for the recommender.

No Django here: the `recommendations` app, `manage.py recommend` and bench/ all feed `Events` to `engine.train`.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp

DAY_SECONDS = 86_400
# A purchase outweighs a cart add and a view. No public log here has views or carts, so these are priors,
# not measurements: a view is a tenth of a purchase, a cart add half.
KIND_WEIGHTS = {"purchase": 1.0, "cart": 0.5, "view": 0.1}
# Other logs' words for the same three kinds (RetailRocket writes "addtocart" and "transaction"), compared
# without case, spaces, "_" or "-".
KIND_ALIASES = {
    "addtocart": "cart", "addtobasket": "cart", "basket": "cart",
    "transaction": "purchase", "order": "purchase", "buy": "purchase", "bought": "purchase", "sale": "purchase",
    "pageview": "view", "detailview": "view",
}  # fmt: skip
# A Unix time in milliseconds: above this it cannot be seconds (the year 5138).
_EPOCH_MILLISECONDS_FROM = 10**11


def canonical_kind(value: str) -> str | None:
    """A kind as a KIND_WEIGHTS key ("Add to cart", "addtocart" -> "cart"); None when it is none of them."""
    key = re.sub(r"[\s_\-]+", "", (value or "").lower())
    key = KIND_ALIASES.get(key, key)
    return key if key in KIND_WEIGHTS else None


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 or Unix time (seconds, or milliseconds as RetailRocket's log has it), as naive UTC.
    Raises ValueError for anything else."""
    value = (value or "").strip()
    if re.fullmatch(r"\d+(\.\d*)?", value):
        seconds = float(value)
        seconds = seconds / 1000 if seconds >= _EPOCH_MILLISECONDS_FROM else seconds
        try:
            return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
        except (OverflowError, OSError) as error:
            raise ValueError(f"{value} is out of range as a Unix time") from error
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo is not None else parsed


@dataclass(frozen=True)
class Events:
    """Interaction events as parallel columns: string ids, datetime64[s] times, kinds from KIND_WEIGHTS."""

    customer: np.ndarray
    product: np.ndarray
    timestamp: np.ndarray
    kind: np.ndarray

    @classmethod
    def from_columns(cls, *, customer, product, timestamp, kind=None) -> Events:
        customer, product = np.asarray(customer, dtype=str), np.asarray(product, dtype=str)
        kinds = np.full(len(customer), "purchase") if kind is None else np.asarray(kind, dtype=str)
        unknown = set(np.unique(kinds).tolist()) - KIND_WEIGHTS.keys()
        if unknown:
            raise ValueError(f"unknown event kinds {sorted(unknown)}; expected one of {sorted(KIND_WEIGHTS)}")
        return cls(customer, product, to_datetime64(timestamp), kinds)

    @classmethod
    def from_rows(cls, rows) -> Events:
        """From (customer, product, timestamp, kind) tuples."""
        rows = list(rows)
        if not rows:
            return cls.from_columns(customer=[], product=[], timestamp=[], kind=[])
        customer, product, timestamp, kind = zip(*rows, strict=True)
        return cls.from_columns(customer=customer, product=product, timestamp=timestamp, kind=kind)

    def __len__(self) -> int:
        return len(self.customer)

    def select(self, mask: np.ndarray) -> Events:
        return Events(self.customer[mask], self.product[mask], self.timestamp[mask], self.kind[mask])


def to_datetime64(values) -> np.ndarray:
    """ISO strings or datetimes as UTC datetime64[s]; aware times are converted to UTC."""
    values = np.asarray(values)
    if values.dtype.kind == "M":
        return values.astype("datetime64[s]")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy only warns on a UTC offset: take the slow path for those
            return values.astype("datetime64[s]")  # fast path: naive ISO strings
    except (ValueError, UserWarning, DeprecationWarning):
        parsed = [v if isinstance(v, datetime) else datetime.fromisoformat(str(v)) for v in values.tolist()]
        naive = [v.astimezone(UTC).replace(tzinfo=None) if v.tzinfo else v for v in parsed]
        return np.array(naive, dtype="datetime64[s]")


def read_events_csv(path: str | Path) -> Events:
    """The `customer, product, timestamp[, kind]` CSV of `manage.py recommend` and shared/data."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    has_kind = bool(rows) and "kind" in rows[0]
    return Events.from_columns(
        customer=[r["customer"] for r in rows], product=[r["product"] for r in rows],
        timestamp=[r["timestamp"] for r in rows], kind=[r["kind"] for r in rows] if has_kind else None,
    )  # fmt: skip


@dataclass(frozen=True)
class Owned:
    """One row per (customer, product) the customer interacted with."""

    customer: np.ndarray
    item: np.ndarray
    count: np.ndarray  # purchase baskets holding the product
    first_time: np.ndarray
    last_time: np.ndarray
    last_position: np.ndarray  # index of the last basket holding it among the customer's baskets; -1: never
    engagement: np.ndarray  # weight of views and cart adds


@dataclass(eq=False)
class EncodedLog:
    """Events as integer codes. A basket is a customer's purchases with one timestamp (an order)."""

    customer: np.ndarray
    item: np.ndarray
    time: np.ndarray  # seconds
    weight: np.ndarray
    is_purchase: np.ndarray
    customer_ids: np.ndarray
    product_ids: np.ndarray

    @property
    def n_customers(self) -> int:
        return len(self.customer_ids)

    @property
    def n_items(self) -> int:
        return len(self.product_ids)

    @property
    def end_time(self) -> int:
        return int(self.time.max()) if len(self.time) else 0

    def select(self, mask: np.ndarray) -> EncodedLog:
        columns = (self.customer, self.item, self.time, self.weight, self.is_purchase)
        return EncodedLog(*(column[mask] for column in columns), self.customer_ids, self.product_ids)

    @cached_property
    def pairs(self) -> dict[str, np.ndarray]:
        """Distinct (basket, product) purchases: basket, item, customer, time, position (basket index per customer)."""
        bought = self.is_purchase
        c, t, i = self.customer[bought], self.time[bought], self.item[bought]
        order = np.lexsort((i, t, c))
        c, t, i = c[order], t[order], i[order]
        new_basket = np.r_[True, (c[1:] != c[:-1]) | (t[1:] != t[:-1])] if len(c) else np.zeros(0, bool)
        basket = np.cumsum(new_basket) - 1
        new_pair = new_basket | np.r_[True, i[1:] != i[:-1]][: len(c)]
        basket_customer = c[new_basket]
        position = np.arange(len(basket_customer)) - np.searchsorted(basket_customer, basket_customer)
        b = basket[new_pair]
        return {"basket": b, "item": i[new_pair], "customer": c[new_pair], "time": t[new_pair],
                "position": position[b], "basket_customer": basket_customer, "basket_time": t[new_basket]}  # fmt: skip

    @cached_property
    def baskets_per_customer(self) -> np.ndarray:
        return np.bincount(self.pairs["basket_customer"], minlength=self.n_customers)

    @cached_property
    def customer_last_time(self) -> np.ndarray:
        last = np.zeros(self.n_customers, dtype=np.int64)
        np.maximum.at(last, self.customer, self.time)
        return last

    @cached_property
    def owned(self) -> Owned:
        keys, where = np.unique(self.customer.astype(np.int64) * self.n_items + self.item, return_inverse=True)
        first, last = np.full(len(keys), np.iinfo(np.int64).max), np.full(len(keys), np.iinfo(np.int64).min)
        np.minimum.at(first, where, self.time)
        np.maximum.at(last, where, self.time)
        engagement = np.bincount(where, weights=self.weight * ~self.is_purchase, minlength=len(keys))
        p = self.pairs
        pair_row = np.searchsorted(keys, p["customer"].astype(np.int64) * self.n_items + p["item"])
        count = np.bincount(pair_row, minlength=len(keys))
        last_position = np.full(len(keys), -1)
        np.maximum.at(last_position, pair_row, p["position"])
        return Owned(keys // self.n_items, keys % self.n_items, count, first, last, last_position, engagement)

    @cached_property
    def customer_profile(self) -> np.ndarray:
        """Per customer: log baskets, share of later-basket purchases that are reorders, mean basket size."""
        p, n_items = self.pairs, self.n_items
        key = p["customer"].astype(np.int64) * n_items + p["item"]
        keys, where = np.unique(key, return_inverse=True)
        first_position = np.full(len(keys), np.iinfo(np.int64).max)
        np.minimum.at(first_position, where, p["position"])
        later = p["position"] > 0
        reorders = np.bincount(p["customer"][later], weights=p["position"][later] > first_position[where][later],
                               minlength=self.n_customers)  # fmt: skip
        later_lines = np.bincount(p["customer"][later], minlength=self.n_customers)
        baskets = self.baskets_per_customer
        return np.column_stack([
            np.log1p(baskets), (reorders + 1) / (later_lines + 2),  # Laplace: one-order customers are a coin flip
            np.bincount(p["customer"], minlength=self.n_customers) / np.maximum(baskets, 1),
        ]).astype(np.float32)  # fmt: skip


def encode_events(events: Events) -> EncodedLog:
    customer_ids, customer = np.unique(events.customer, return_inverse=True)
    product_ids, item = np.unique(events.product, return_inverse=True)
    kinds, kind = np.unique(events.kind, return_inverse=True)
    weight = np.array([KIND_WEIGHTS[k] for k in kinds.tolist()], dtype=np.float32)[kind]
    time = events.timestamp.astype("datetime64[s]").astype(np.int64)
    return EncodedLog(customer, item, time, weight, events.kind == "purchase", customer_ids, product_ids)


def last_basket_split(log: EncodedLog, *, through_previous_order: bool = False) -> tuple[np.ndarray, sp.csr_matrix]:
    """Events before each repeat customer's last basket (a mask), and that basket as a customer x product matrix.

    Customers with one basket keep it: there is nothing before it to learn from. `through_previous_order` also
    drops what the customer did between their previous order and the last one (views and cart adds of the
    held-out order itself), so an evaluation scores predicting an order from the history before it.
    """
    p, never = log.pairs, np.iinfo(np.int64).max
    basket_customer, basket_time = p["basket_customer"], p["basket_time"]
    is_last = np.append(basket_customer[1:] != basket_customer[:-1], True)[: len(basket_customer)]  # sorted
    last_time, previous_time = np.full(log.n_customers, never), np.full(log.n_customers, never)
    last_time[basket_customer[is_last]] = basket_time[is_last]
    is_previous = np.append(is_last[1:], False) & ~is_last  # the basket just before a customer's last one
    previous_time[basket_customer[is_previous]] = basket_time[is_previous]
    repeat = log.baskets_per_customer >= 2
    last_time[~repeat], previous_time[~repeat] = never, never
    cut = last_time[log.customer]
    held = (log.time == cut) & log.is_purchase
    labels = sp.csr_matrix((np.ones(held.sum(), np.float32), (log.customer[held], log.item[held])),
                           shape=(log.n_customers, log.n_items))  # fmt: skip
    keep = log.time <= previous_time[log.customer] if through_previous_order else log.time < cut
    return keep, labels
