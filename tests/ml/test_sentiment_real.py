"""The shipped sentiment model end to end: load from the wheel + shipped weights, score, fine-tune."""

from __future__ import annotations

import os

import numpy as np
import pytest

from ecomops.ml.aspects import AspectExtractor
from ecomops.ml.sentiment import LABELS, Sentiment, SentimentModel, lexicon_scores
from ecomops.ml.sentiment_training import fine_tune

os.environ.setdefault("HF_HUB_OFFLINE", "1")

pytestmark = pytest.mark.real_models


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel.load()


def test_clear_reviews_get_their_label(model):
    results = model.score(
        [
            "Absolutely love this phone case, it fits perfectly and looks great.",
            "Terrible product, it stopped working after two days and support never answered.",
            "It's okay, I guess.",
        ]
    )

    assert [r.label for r in results[:2]] == ["positive", "negative"]
    assert results[2].label == "neutral" and abs(results[2].score) < 0.25  # a lukewarm one-liner scores near 0


def test_a_happy_review_naming_one_drawback_stays_positive_and_a_lukewarm_one_is_neutral(model):
    happy, lukewarm = model.score(
        [
            "Best blender I've owned, crushes ice in seconds and cleans up fast. A bit loud though.",
            "Works, I guess. The lid is fiddly and it's smaller than it looked. Not sure I'd buy it again.",
        ]
    )

    assert (happy.label, lukewarm.label) == ("positive", "neutral")


def test_star_rated_reviews_beat_the_lexicon_baseline(model):
    import csv
    from pathlib import Path

    from sklearn.metrics import f1_score

    from ecomops.ml.sentiment_data import stars_to_label

    bench = Path(__file__).resolve().parents[2] / "bench" / "data" / "star_reviews_dev.csv"
    with open(bench, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    truth = [LABELS[stars_to_label(int(r["rating"]))] for r in rows]

    macro = f1_score(truth, model.labels([r["text"] for r in rows]), average="macro", labels=list(LABELS))

    assert macro >= 0.75  # the shipped model (v5) scored 0.813, v4 0.825, v3 (sentence scores alone) 0.660; VADER 0.464


def test_results_are_consistent(model):
    results = model.score(["Great value for the money.", "Worst purchase ever.", ""])

    for r in results:
        assert isinstance(r, Sentiment)
        assert r.label in LABELS
        assert 1 / 3 <= r.probability <= 1.0
        assert -1.0 <= r.score <= 1.0
    assert results[0].score > 0.3 > -0.3 > results[1].score


def test_praise_with_a_complaint_reads_as_star_ratings_do(model):
    # Star-rated reviews that praise first and then complain are mostly four stars (the review head learns this
    # from written_reviews.csv); the pooled sentence score still shows the pull both ways.
    [result] = model.score(
        ["The screen is gorgeous and setup was quick. But the battery dies by noon and the speaker crackles."]
    )

    assert result.label == "positive" and abs(result.score) < 0.4


def test_negation_flips_the_sentiment(model):
    good, not_good = model.score(["The quality is good.", "The quality is not good at all."])

    assert good.label == "positive"
    assert not_good.label == "negative"


def test_batched_scores_equal_single_scores(model):
    texts = ["Fast shipping, well packed.", "It broke the first time I used it. Never again.", "It's okay."]

    batched = model.score(texts)
    single = [model.score([t])[0] for t in texts]

    assert [b.label for b in batched] == [s.label for s in single]
    assert all(abs(b.score - s.score) < 1e-3 for b, s in zip(batched, single))


def test_the_lexicon_adds_its_compound_score_to_each_sentences_margin(model):
    sentences = ["The plot was dreadful.", "Superb sound, terrible battery.", "It arrived on Tuesday."]
    weight = model.config.lexicon_weight
    blended = model.sentence_scores(sentences)
    model.config.lexicon_weight = 0.0
    try:
        plain = model.sentence_scores(sentences)
    finally:
        model.config.lexicon_weight = weight

    assert weight == 1.0
    expected = np.tanh((2 * np.arctanh(plain) + weight * lexicon_scores(sentences)) / 2)
    np.testing.assert_allclose(blended, expected, atol=1e-4)
    assert np.abs(blended - plain).max() > 0.01


def test_weights_on_disk_are_small():
    from ecomops.ml.sentiment import LAYERS_FILE, WEIGHTS_DIR

    assert (WEIGHTS_DIR / LAYERS_FILE).stat().st_size < 25 * 1024 * 1024


def test_aspects_with_the_real_model(model):
    extractor = AspectExtractor(model)

    [mentions] = extractor.extract(["The price is great, but the battery is awful and dies in an hour."])

    by_aspect = {m.aspect: m.sentiment.label for m in mentions}
    assert by_aspect["price"] == "positive"
    assert by_aspect["battery"] == "negative"


def test_fine_tune_learns_a_store_convention_and_leaves_the_base_alone(model, tmp_path):
    # A store where "sick" praises (streetwear) - the default reads it as negative.
    texts = [
        f"These {item} are sick{end}"
        for item in ("sneakers", "hoodies", "caps", "jackets", "socks", "bags", "tees", "jeans", "boots", "shorts")
        for end in (".", "!", ", totally sick.")
    ]
    texts += [f"The {item} fell apart after one wash." for item in ("hoodie", "tee", "cap", "sock", "bag")] * 2
    labels = ["positive"] * 30 + ["negative"] * 10
    before = model.score(["These sneakers are sick."])[0]

    result = fine_tune(base=model, texts=texts, labels=labels, holdout_fraction=0.25)

    assert result.test_size == 10 and result.train_size == 30
    assert 0.0 <= result.default_accuracy <= 1.0 and 0.0 <= result.accuracy <= 1.0
    assert result.model.score(["These sneakers are sick."])[0].label == "positive"
    assert result.model.config.review_head != model.config.review_head  # refitted on the moved sentence vectors
    assert model.score(["These sneakers are sick."])[0] == before  # the default is untouched
    result.model.save(tmp_path)
    assert SentimentModel.load(str(tmp_path)).score(["These hoodies are sick!"])[0].label == "positive"
