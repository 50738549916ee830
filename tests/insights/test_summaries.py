from __future__ import annotations

import pytest

from insights.models import ProductReviewSummary
from insights.summaries import accept, build_chat, plain_summary, write_summaries
from tests import factories

ASPECTS = [
    {"aspect": "fit", "positive": 4, "neutral": 0, "negative": 0, "praise": ["fits like a glove"], "complaints": []},
    {"aspect": "delivery", "positive": 0, "neutral": 0, "negative": 3, "praise": [], "complaints": ["late"]},
]
OVERVIEW = {"reviews": 7, "rating": 4.1, "score": 0.3, "labels": {"positive": 4, "neutral": 0, "negative": 3}}


def test_plain_summary_says_what_customers_like_and_mention():
    assert plain_summary(OVERVIEW, ASPECTS) == "Customers like the fit; several mention problems with the delivery."


def test_prompt_holds_review_facts_as_data_not_instructions():
    chat = build_chat("Trail Jacket", OVERVIEW, ASPECTS)
    assert chat[0]["role"] == "system" and "only the information provided" in chat[0]["content"]
    assert '"fits like a glove"' in chat[1]["content"] and "Trail Jacket" not in chat[0]["content"]


@pytest.mark.parametrize(
    ("draft", "ok"),
    [
        ("Customers love the fit but delivery was late.", True),
        ("", False),
        ("Customers love the battery.", False),
        ("x" * 700, False),
    ],
)
def test_drafts_naming_unraised_aspects_are_refused(draft, ok):
    assert accept(draft, ASPECTS, {"fit", "delivery", "battery"}) is ok


class EchoGenerator:
    version = "echo"

    def generate(self, chats, **kwargs):
        return ["Customers love the battery."] * len(chats)  # an aspect nobody raised


@pytest.mark.django_db
def test_invented_draft_falls_back_to_the_plain_summary(store, product):
    review = factories.ReviewFactory(store=store, product=product)
    factories.ReviewAnalysisFactory(
        review=review, aspects=[{"aspect": "fit", "text": "fits well", "label": "positive", "score": 0.9}]
    )

    [summary] = write_summaries(store=store, product_ids=[product.pk], generator=EchoGenerator())

    assert summary.text == "Customers like the fit."
    assert ProductReviewSummary.objects.get(product=product).review_count == 1
