"""Knowledge-base search (support/retrieval.py) on the fake embedder."""

from __future__ import annotations

import pytest

from support.models import KnowledgeArticle
from support.retrieval import search_articles
from tests import factories
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.django_db


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        self.embedded: list[str] = []

    def embed(self, texts):
        self.embedded += texts
        return super().embed(texts)


def test_best_matching_active_article_comes_first(store):
    shipping = factories.KnowledgeArticleFactory(
        store=store, title="Shipping to Germany", body="Delivery to Germany takes 3-5 business days."
    )
    factories.KnowledgeArticleFactory(store=store, title="Returns", body="Return unused items within 30 days.")
    factories.KnowledgeArticleFactory(
        store=store, title="Shipping to Germany (old)", body="Delivery to Germany", active=False
    )
    (hits,) = search_articles(store=store, queries=["how long is delivery to germany"], embedder=FakeEmbedder())
    assert hits[0].article == shipping
    assert all(h.article.active for h in hits)


def test_other_stores_articles_are_never_found(store, other_store):
    factories.KnowledgeArticleFactory(store=other_store, title="Shipping to Germany", body="Delivery to Germany")
    (hits,) = search_articles(store=store, queries=["delivery to germany"], embedder=FakeEmbedder())
    assert hits == []


def test_article_vectors_are_stored_and_reembedded_only_after_an_edit(store):
    article = factories.KnowledgeArticleFactory(store=store)
    embedder = CountingEmbedder()
    search_articles(store=store, queries=["shipping"], embedder=embedder)
    search_articles(store=store, queries=["shipping"], embedder=embedder)
    assert embedder.embedded.count(f"{article.title}\n{article.body}") == 1
    KnowledgeArticle.objects.filter(pk=article.pk).update(body="Orders ship the same day.")
    search_articles(store=store, queries=["shipping"], embedder=embedder)
    assert "Shipping times\nOrders ship the same day." in embedder.embedded
