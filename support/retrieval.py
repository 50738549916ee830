"""Knowledge-base search: the store's active articles ranked by embedding similarity.

Article vectors are computed once per (article text, embedder version) and stored on
the article, so a search embeds only the query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from support.models import KnowledgeArticle

# Characters of an article that go into its vector (title + start of the body):
# MiniLM reads 256 tokens, roughly 1,000 characters of English.
ARTICLE_CHARS = 1000
# Articles less similar than this to the ticket are not offered to the draft
# (cosine of MiniLM vectors; unrelated e-commerce texts sit around 0.1-0.2).
MIN_SCORE = 0.25


@dataclass(frozen=True)
class Hit:
    article: KnowledgeArticle
    score: float


def article_text(article: KnowledgeArticle) -> str:
    return f"{article.title}\n{article.body}"[:ARTICLE_CHARS]


def search_articles(*, store, queries: Sequence[str], embedder, k: int = 3) -> list[list[Hit]]:
    """The top `k` active articles of the store for each query, best first."""
    articles = list(KnowledgeArticle.objects.for_store(store).filter(active=True))
    if not articles or not queries:
        return [[] for _ in queries]
    matrix = article_vectors(articles, embedder=embedder)
    scores = np.asarray(embedder.embed(list(queries))) @ matrix.T
    results = []
    for row in scores:
        best = np.argsort(-row)[:k]
        results.append([Hit(articles[i], float(row[i])) for i in best if row[i] >= MIN_SCORE])
    return results


def article_vectors(articles: list[KnowledgeArticle], *, embedder) -> np.ndarray:
    """Stored vectors where still valid; the others are embedded in one call and saved."""
    stale = [a for a in articles if a.embedding is None or a.embedding_version != _version(embedder, a)]
    if stale:
        vectors = np.asarray(embedder.embed([article_text(a) for a in stale]), dtype=np.float32)
        for article, vector in zip(stale, vectors):
            version = _version(embedder, article)
            article.embedding, article.embedding_version = vector.tobytes(), version
            KnowledgeArticle.objects.filter(pk=article.pk).update(
                embedding=article.embedding, embedding_version=version
            )
    return np.stack([np.frombuffer(bytes(a.embedding), dtype=np.float32) for a in articles])


def _version(embedder, article: KnowledgeArticle) -> str:
    """Embedder version plus a hash of the text: an edited article is embedded again."""
    digest = hashlib.sha256(article_text(article).encode()).hexdigest()[:12]
    return f"{getattr(embedder, 'version', type(embedder).__name__)}:{digest}"[:200]
