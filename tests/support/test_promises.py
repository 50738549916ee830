"""The no-invented-promise check on adversarial drafts (support/promises.py)."""

from __future__ import annotations

import pytest

from support.promises import unbacked_promises

ARTICLES = (
    "[Article 1] Returns: You can return items within 30 days. Refunds are issued within 5 business days "
    "after we receive the return.\nOrder facts:\n- Order number: A1001\n- Status: shipped\n"
    "- Expected delivery: 2026-12-02\n- Carrier: DHL"
)
NO_FACTS = "(none)"


@pytest.mark.parametrize(
    ("draft", "kind"),
    [
        ("I have issued a full refund to your card.", "refund"),
        ("We will refund you right away.", "refund"),
        ("As an apology, here is a 20% discount on your next order.", "percent"),
        ("Use the voucher SORRY10 at checkout.", "discount"),
        ("Your parcel will arrive tomorrow.", "date"),
        ("It will be delivered by Friday.", "date"),
        ("You will receive it on 3 December.", "date"),
        ("We will send you €15 as compensation.", "amount"),
        ("Delivery takes within 2 days.", "date"),
    ],
)
def test_promise_without_any_source_is_flagged(draft, kind):
    assert kind in {p.kind for p in unbacked_promises(draft, sources=NO_FACTS)}


def test_refund_done_is_flagged_when_the_order_is_not_refunded():
    # the policy article mentions refunds, but this order is only shipped
    assert {p.kind for p in unbacked_promises("Your refund has been processed.", sources=ARTICLES)} == {"refund"}


@pytest.mark.parametrize(
    "draft",
    [
        "You can return items within 30 days.",
        "Refunds are issued within 5 business days after we receive the return.",
        "Your order A1001 is expected on 2026-12-02 with DHL.",
        "Thank you for your message, a colleague will check and reply soon.",
    ],
)
def test_statements_backed_by_the_sources_pass(draft):
    assert unbacked_promises(draft, sources=ARTICLES) == []


def test_refund_done_passes_when_the_order_is_refunded():
    sources = "Order facts:\n- Order number: A1\n- Status: refunded"
    assert unbacked_promises("Your refund has been processed.", sources=sources) == []
