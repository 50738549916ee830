"""The sentiment recipe's pieces that need no model: augmentation, bands, layer-wise rates."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from ecomops.ml.sentiment import REVIEW_FEATURES, SentimentConfig, SentimentModel, head_inputs, review_features
from ecomops.ml.sentiment_data import NEG, NEU, POS, augmented_examples, lukewarm_sentences, written_sentences
from ecomops.ml.sentiment_training import (
    TARGET,
    TrainingSettings,
    _parameter_groups,
    add_recipe_arguments,
    average_networks,
    average_saved,
    build_training_set,
    calibrate_band,
    recipe_settings,
    recipe_tag,
    snippet_examples,
    soup_members,
)


def test_augmented_examples_are_labelled_by_their_verdict():
    texts = ["Great phone.", "Love it!", "It broke in a week.", "Awful sound."]
    labels = [POS, POS, NEG, NEG]

    out, out_labels = augmented_examples(texts, labels, seed=1, n=40)

    assert len(out) == len(out_labels) and set(out_labels) <= {NEG, POS}
    by_text = dict(zip(out, out_labels))
    negated = [t for t in out if " not " in t or "wasn't" in t or t.startswith("Not a ")]
    assert negated and all(by_text[t] == NEG for t in negated)
    contrast = [t for t in out if ", but " in t]
    assert contrast
    for text in contrast:
        last = text.split(", but ", 1)[1]
        assert by_text[text] == (POS if last.lower() in {"great phone.", "love it!"} else NEG)
    assert by_text["Never again."] == NEG and by_text["Worth every penny."] == POS
    assert augmented_examples(texts, labels, seed=1, n=40) == (out, out_labels)  # reproducible


def test_training_set_holds_the_written_review_sentences_with_their_labels_unless_turned_off():
    written, written_labels = written_sentences()
    assert {NEG, NEU, POS} <= set(written_labels)

    local = TrainingSettings(augment=False, snippet_sites=())
    texts, labels = build_training_set(["Great phone."], [POS], local)
    without, without_labels = build_training_set(["Great phone."], [POS], dataclasses.replace(local, written=False))

    by_text = dict(zip(texts, labels))
    assert all(by_text[text] == TARGET[label] for text, label in zip(written, written_labels))
    assert len(texts) - len(without) == len(written)
    assert all(by_text[text] == label for text, label in zip(without, without_labels) if text in set(written))


def test_lukewarm_one_liners_are_trained_towards_50_50_as_often_as_the_recipe_says():
    lukewarm = lukewarm_sentences()
    local = TrainingSettings(augment=False, written=False, snippet_sites=(), lukewarm_repeat=0)

    texts, targets = build_training_set(["Great phone."], [POS], local)
    twice, twice_targets = build_training_set(["Great phone."], [POS], dataclasses.replace(local, lukewarm_repeat=2))

    assert len(set(lukewarm)) == len(lukewarm) > 150
    assert Counter(twice) - Counter(texts) == Counter(lukewarm * 2)
    assert {y for t, y in zip(twice, twice_targets) if t in set(lukewarm)} == {TARGET[NEU]}


def test_the_command_line_recipe_options_become_training_settings_and_a_cache_tag():
    import argparse

    parser = argparse.ArgumentParser()
    add_recipe_arguments(parser)

    default = recipe_settings(parser.parse_args([]))
    changed = recipe_settings(
        parser.parse_args(["--snippets", "movie", "--lukewarm-repeat", "2", "--seed", "5", "--lexicon-weight", "0"])
    )

    assert default == TrainingSettings() and recipe_tag(default) == ""
    expected = dataclasses.replace(default, snippet_sites=("movie",), lukewarm_repeat=2, seed=5, lexicon_weight=0)
    assert changed == expected
    assert recipe_tag(changed) == "lexicon_weight=0.0,lukewarm_repeat=2,seed=5,snippet_sites=movie"


def test_a_soup_recipe_is_one_single_seed_recipe_per_seed():
    soup = TrainingSettings(seed=13, soup_seeds=(14, 15), lukewarm_repeat=2)

    members = soup_members(soup)

    assert [m.seed for m in members] == [13, 14, 15]
    assert all(m == dataclasses.replace(soup, seed=m.seed, soup_seeds=()) for m in members)
    assert recipe_tag(soup) == "lukewarm_repeat=2,soup_seeds=14+15"


def _base_models(n: int) -> list[SentimentModel]:
    torch = pytest.importorskip("torch")
    models = [SentimentModel.from_base(SentimentConfig()) for _ in range(n)]
    for value, model in enumerate(models, start=1):
        with torch.no_grad():
            model.network.head.weight.fill_(value)
            model.network.encoder.encoder.layer[5].output.dense.bias.fill_(-value)
    return models


def test_a_soup_holds_the_mean_of_its_members_fine_tuned_weights():
    torch = pytest.importorskip("torch")
    members = _base_models(3)
    embeddings = members[0].network.encoder.embeddings.word_embeddings.weight.clone()

    soup = average_networks(members)

    assert torch.all(soup.network.head.weight == 2.0)
    assert torch.all(soup.network.encoder.encoder.layer[5].output.dense.bias == -2.0)
    assert torch.equal(soup.network.encoder.embeddings.word_embeddings.weight, embeddings)  # never trained


def test_a_soups_review_head_is_refitted_to_the_averaged_network(monkeypatch):
    from ecomops.ml import sentiment_training

    members = _base_models(2)
    members[0].config.review_head = {"coef": "fitted to the first member"}
    refits = []
    monkeypatch.setattr(
        sentiment_training, "fit_review_head", lambda model, *reviews: refits.append(model) or {"coef": "refitted"}
    )

    soup = average_networks(members)

    assert soup.config.review_head == {"coef": "refitted"} and refits == [soup]


def test_saved_models_average_into_a_soup_recorded_with_their_seeds(tmp_path):
    torch = pytest.importorskip("torch")
    for seed, model in zip((13, 14), _base_models(2)):
        model.config.trained_on = {"data": "x.csv", "settings": {"seed": seed, "soup_seeds": []}}
        model.save(tmp_path / str(seed))

    soup = average_saved([str(tmp_path / "13"), str(tmp_path / "14")])

    assert torch.all(soup.network.head.weight == 1.5)
    assert soup.config.trained_on == {"data": "x.csv", "settings": {"seed": 13, "soup_seeds": [14]}}
    soup.save(tmp_path / "soup")
    with pytest.raises(ValueError, match="single-seed"):
        average_saved([str(tmp_path / "soup"), str(tmp_path / "13")])


class _FakeSentences(SentimentModel):
    """Sentence score = the number that ends the sentence ("Score 0.9." -> 0.9): bands without a network."""

    def __init__(self, config: SentimentConfig):
        super().__init__(network=None, tokenizer=None, config=config)

    def sentence_scores(self, sentences):
        return np.asarray([float(s.split()[-1].rstrip(".")) if s else 0.0 for s in sentences], dtype=np.float32)


def test_one_sentence_texts_use_the_sentence_band():
    model = _FakeSentences(SentimentConfig(neutral_band=0.3, sentence_band=0.05))

    single, pooled = model.score(["Score 0.2.", "Score 0.2. Score 0.2."])

    assert single.label == "positive"  # a lone sentence leaning positive is positive
    assert pooled.label == "neutral"  # the same lean pooled over sentences is within the review band
    assert model.score(["Score 0.01."])[0].label == "neutral"


def test_weights_saved_before_v6_score_without_the_lexicon(tmp_path):
    (tmp_path / "sentiment_config.json").write_text('{"neutral_band": 0.3, "version": "sentiment-minilm-5"}')

    assert SentimentConfig.read(tmp_path).lexicon_weight == 0.0
    assert SentimentConfig().lexicon_weight == 0.0 < TrainingSettings().lexicon_weight


def test_training_adds_the_lexicon_after_the_network_and_fits_band_and_head_with_it(monkeypatch):
    pytest.importorskip("torch")
    from ecomops.ml import sentiment_training

    weight_seen_by = {}

    def recorder(step, result):
        def record(model, *args, **kwargs):
            weight_seen_by[step] = model.config.lexicon_weight
            return result

        return record

    monkeypatch.setattr(sentiment_training, "train_network", recorder("network", None))
    monkeypatch.setattr(sentiment_training, "calibrate_band", recorder("band", 0.3))
    monkeypatch.setattr(sentiment_training, "fit_review_head", recorder("head", {"coef": "fitted"}))
    texts = [f"{word} phone number {i}." for i in range(100) for word in ("Great", "Awful")]
    labels = [POS, NEG] * 100

    model = sentiment_training.train_default(
        texts=texts, labels=labels, settings=TrainingSettings(augment=False, snippet_sites=(), lexicon_weight=1.5)
    )

    assert weight_seen_by == {"network": 0.0, "band": 1.5, "head": 1.5}  # the kept epoch is chosen lexicon-free
    assert (model.config.lexicon_weight, model.config.neutral_band, model.config.review_head) == (
        1.5, 0.3, {"coef": "fitted"},
    )  # fmt: skip


def test_weights_saved_before_the_sentence_band_keep_one_band():
    model = _FakeSentences(SentimentConfig(neutral_band=0.3))

    assert model.band(1) == model.band(3) == 0.3
    assert model.score(["Score 0.2."])[0].label == "neutral"


def test_calibrated_band_separates_mixed_reviews():
    model = _FakeSentences(SentimentConfig(sentence_band=0.05))
    reviews = [
        "Score 0.9. Score 0.8.",
        "Score -0.9. Score -0.7.",
        "Score 0.9. Score -0.8.",
        "Score -0.9. Score 0.85.",
        "Score 0.6.",
        "Score -0.5.",
    ]
    targets = [POS, NEG, NEU, NEU, POS, NEG]

    band = calibrate_band(model, reviews, targets)

    assert 0.05 < band <= 0.7


@pytest.mark.parametrize("decay", [1.0, 0.8])
def test_lower_layers_learn_slower_with_layer_decay(decay):
    torch = pytest.importorskip("torch")

    class Layers(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = torch.nn.Module()
            self.encoder.encoder = torch.nn.Module()
            self.encoder.encoder.layer = torch.nn.ModuleList(torch.nn.Linear(2, 2) for _ in range(3))
            self.head = torch.nn.Linear(2, 2)

    settings = TrainingSettings(learning_rate=1e-4, head_learning_rate=1e-3, layer_decay=decay)

    rates = sorted({group["lr"] for group in _parameter_groups(Layers(), settings)})

    expected = sorted({1e-3, 1e-4, 1e-4 * decay, 1e-4 * decay**2})
    assert rates == pytest.approx(expected)


def test_review_features_read_each_texts_sentences():
    features = review_features(np.array([0.9, -0.8, 0.2]), np.array([0, 0, 1]), 2)

    row = dict(zip(REVIEW_FEATURES, features[0]))
    assert (row["lowest"], row["highest"], row["first"], row["last"]) == pytest.approx((-0.8, 0.9, 0.9, -0.8))
    assert (row["share_positive"], row["share_negative"], row["one_sentence"]) == (0.5, 0.5, 0)
    assert dict(zip(REVIEW_FEATURES, features[1]))["one_sentence"] == 1


def test_a_head_with_a_vector_weight_also_reads_the_weighted_mean_sentence_vector():
    scores, owner = np.array([0.9, -0.8, 0.2]), np.array([0, 0, 1])
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])

    inputs = head_inputs({"vector_weight": 2.0}, scores, owner, 2, vectors)
    older = head_inputs({}, scores, owner, 2)  # a head saved before vectors: the sentence scores only

    assert inputs.shape == (2, len(REVIEW_FEATURES) + 2)
    assert inputs[:, : len(REVIEW_FEATURES)] == pytest.approx(older)
    assert inputs[:, len(REVIEW_FEATURES) :] == pytest.approx(np.array([[1.0, 1.0], [1.2, 1.6]]))


def _head_favouring(label: int) -> dict:
    """A review head whose answer is always `label`, with probability ~0.88."""
    intercept = [0.0, 0.0, 0.0]
    intercept[label] = 3.0
    return {"coef": [[0.0] * len(REVIEW_FEATURES)] * 3, "intercept": intercept}


def test_the_review_head_labels_reviews_and_only_weak_lone_sentences():
    config = SentimentConfig(neutral_band=0.3, sentence_band=0.2, review_head=_head_favouring(NEU))
    model = _FakeSentences(config)

    review, clear, weak, blank = model.score(["Score 0.9. Score 0.8.", "Score 0.9.", "Score -0.1.", ""])

    assert (review.label, review.probability) == ("neutral", pytest.approx(0.91, abs=0.01)) and review.score > 0.8
    assert clear.label == "positive"  # beyond the sentence band a lone sentence keeps its sign
    assert weak.label == "neutral"
    assert (blank.label, blank.score) == ("neutral", 0.0)
    assert _FakeSentences(SentimentConfig(sentence_band=0.2, review_head=_head_favouring(NEG))).score(
        ["Score 0.9. Score 0.8."]
    )[0].label == "negative"  # fmt: skip


def test_the_review_head_never_turns_a_leaning_lone_sentence_the_other_way():
    model = _FakeSentences(SentimentConfig(sentence_band=0.2, review_head=_head_favouring(POS)))

    leaning, even, review = model.score(["Score -0.1.", "Score -0.02.", "Score -0.1. Score -0.1."])

    assert leaning.label == "negative"  # the head says polar; the sentence's own sign says which way
    assert even.label == "positive"  # next to 0 there is no sign to keep: the head decides
    assert review.label == "positive"  # a review's label is the head's alone


def _snippet_archive(path, rows: dict[str, str]):
    """A vaderSentiment source archive in miniature: the ground truth sits in a tarball inside it."""
    import io
    import tarfile

    # The archive's own file names, spelled out so that a wrong name in sentiment_data.SNIPPET_FILES fails.
    files = {
        "movie": "movieReviewSnippets_GroundTruth.txt",
        "amazon": "amazonReviewSnippets_GroundTruth.txt",
        "tweets": "tweets_GroundTruth.txt",
    }
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as data:
        for site, text in rows.items():
            body = text.encode()
            info = tarfile.TarInfo(f"hutto_ICWSM_2014/{files[site]}")
            info.size = len(body)
            data.addfile(info, io.BytesIO(body))
    with tarfile.open(path, "w:gz") as outer:
        info = tarfile.TarInfo("vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz")
        info.size = len(inner.getvalue())
        outer.addfile(info, io.BytesIO(inner.getvalue()))
    return path


def test_rated_snippets_keep_clear_ones_of_the_asked_sites_with_their_raters_mean(tmp_path):
    from ecomops.ml.sentiment_data import rated_snippets

    archive = _snippet_archive(
        tmp_path / "vader.tar.gz",
        {
            "movie": "1\t2.5\tThe ''Rings'' sequel  soars.\r\n2\t-1.2\tA dull, tepid mess.\r\n"
            "3\t0.3\tIt is a film.\r\n",
            "amazon": "1_1\t-3.0\tit broke in a day.\r\n",
            "tweets": "1\t1.6\tYay. Another good phone interview.\r\n",
        },
    )

    assert rated_snippets(("movie",), 0.75, archive) == (
        ['The "Rings" sequel soars.', "A dull, tepid mess."],
        [2.5, -1.2],
    )
    assert rated_snippets(("movie", "amazon"), 2.0, archive) == (
        ['The "Rings" sequel soars.', "it broke in a day."],
        [2.5, -3.0],
    )
    assert rated_snippets(("tweets",), 1.0, archive) == (["Yay. Another good phone interview."], [1.6])
    with pytest.raises(FileNotFoundError, match="make sentiment-data"):
        rated_snippets(("movie",), 0.75, tmp_path / "missing.tar.gz")


def test_soft_snippets_are_trained_towards_their_raters_mean_and_hard_ones_towards_its_sign(tmp_path):
    archive = _snippet_archive(
        tmp_path / "vader.tar.gz",
        {"movie": "1\t3.0\tA triumph.\r\n2\t-0.8\tA very average film.\r\n3\t0.2\tIt is a film.\r\n"},
    )
    soft = TrainingSettings(snippet_sites=("movie",), snippet_min_valence=0.5, snippet_softness=1.0)

    texts, targets = snippet_examples(soft, archive)
    hard_texts, hard_targets = snippet_examples(dataclasses.replace(soft, snippet_softness=None), archive)

    assert texts == hard_texts == ["A triumph.", "A very average film."]
    assert targets == pytest.approx([0.953, 0.310], abs=1e-3)
    assert hard_targets == [1.0, 0.0]


def test_a_sites_test_part_is_a_fixed_fifth_that_its_recipe_keeps_out_of_training(tmp_path):
    from ecomops.ml.sentiment_data import snippet_test_part

    lines = "".join(f"{i}\t{(-1) ** i * (1 + i / 10):.1f}\tFilm number {i} .\r\n" for i in range(10))
    archive = _snippet_archive(tmp_path / "vader.tar.gz", {"movie": lines, "amazon": "1_1\t-3.0\tit broke.\r\n"})
    settings = TrainingSettings(snippet_sites=("movie", "amazon"), snippet_min_valence=0.5)

    test_texts, test_valences = snippet_test_part("movie", archive)
    trained, _ = snippet_examples(settings, archive)
    kept, _ = snippet_examples(dataclasses.replace(settings, snippet_test_sites=("movie",)), archive)

    assert len(test_texts) == 2 and snippet_test_part("movie", archive) == (test_texts, test_valences)
    assert set(test_texts) <= set(trained) and not set(test_texts) & set(kept)
    assert sorted(kept + test_texts) == sorted(trained)  # the rest, the other site's included, still trains
