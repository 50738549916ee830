"""Training data for the sentiment model: reading, generating, splitting (all local but the rated snippets).

- the labelled review sentences (UCI "Sentiment Labelled Sentences", Kotzias et al.,
  KDD 2015): positive / negative;
- `weights/sentiment/neutral_sentences.csv`: hand-written lukewarm, mixed and
  factual sentences (the UCI data has no neutral class);
- `weights/sentiment/lukewarm_sentences.csv`: 196 more hand-written lukewarm shopper
  one-liners ("Okay, I suppose.", "Does the trick, I guess."): a shopper's "okay" is
  three stars, where the film critics of the rated snippets use it for a pan;
- `weights/sentiment/written_sentences.csv`: 600 hand-written product-review
  sentences (positive / negative / neutral) that say how a product did rather than
  what the writer felt ("We stayed dry all night.", "Stopped charging after three
  weeks.", "No more back pain."): the UCI sentences teach sentiment words, and on
  real star-rated reviews the model read such outcomes by their surface words;
- `weights/sentiment/written_reviews.csv`: 600 hand-written star-rated product
  reviews (1-5, skewed positive as real ones are), the labels of the review head
  (1-2 stars negative, 3 neutral, 4-5 positive), never used to train the network;
- human-rated review snippets (`rated_snippets`; Hutto and Gilbert, ICWSM 2014):
  10,605 Rotten Tomatoes film-review sentences and 3,708 Amazon product-review
  sentences, each with the mean valence of 20 raters, from the ground-truth sets in
  vaderSentiment's PyPI source archive (`make sentiment-data` fetches it): real
  sentences of two more sites than the UCI data's;
- the VADER lexicon's strongly valenced words (ships with vaderSentiment), so the
  head knows sentiment words that the 2,000 sentences never use;
- generated sentences (`augmented_examples`): "the <thing> was <word>" about things
  of many kinds of site (products, restaurants, films, hotels, apps), negated
  praise ("The battery was not great."), and two labelled sentences joined by
  "but", labelled by the second;
- pseudo-reviews of held-out sentences (`make_pseudo_reviews`), to calibrate and
  measure the neutral band.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import random
import tarfile
from pathlib import Path

from ecomops.ml.sentiment import LABELS, WEIGHTS_DIR

# vaderSentiment's source archive from PyPI (`make sentiment-data`); its additional_resources/ hold the ICWSM-2014
# ground truth. The wheel that requirements.txt installs leaves it out.
SNIPPETS_ARCHIVE = WEIGHTS_DIR.parents[3] / "var" / "data" / "vaderSentiment-3.3.2.tar.gz"

NEG, NEU, POS = 0, 1, 2  # LABELS index
# Review mix of real star-rated shops: mostly 4-5 stars (Amazon product reviews
# run ~65% 4-5 stars, ~10% 3 stars, ~25% 1-2 stars).
PSEUDO_REVIEW_MIX = {POS: 0.65, NEU: 0.10, NEG: 0.25}


def read_labelled_sentences(path: str | Path, sources: list[str] | None = None) -> tuple[list[str], list[int]]:
    """Binary UCI sentences as (texts, labels in LABELS index: 0 negative, 2 positive)."""
    texts, labels = [], []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            if sources and row["source"] not in sources:
                continue
            texts.append(row["sentence"].strip())
            labels.append(POS if row["label"].strip() == "1" else NEG)
    return texts, labels


def neutral_sentences() -> list[str]:
    return _sentence_column("neutral_sentences.csv")


def lukewarm_sentences() -> list[str]:
    return _sentence_column("lukewarm_sentences.csv")


def _sentence_column(filename: str) -> list[str]:
    with open(WEIGHTS_DIR / filename, newline="", encoding="utf-8") as fh:
        return [row["sentence"] for row in csv.DictReader(fh)]


def written_sentences() -> tuple[list[str], list[int]]:
    with open(WEIGHTS_DIR / "written_sentences.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [row["sentence"] for row in rows], [LABELS.index(row["label"]) for row in rows]


def written_reviews() -> tuple[list[str], list[int]]:
    """The star-rated reviews the review head is fitted on, labelled as the issue reads stars."""
    with open(WEIGHTS_DIR / "written_reviews.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [row["text"] for row in rows], [stars_to_label(int(row["rating"])) for row in rows]


def stars_to_label(stars: int) -> int:
    """Star ratings as LABELS indexes: 1-2 negative, 3 neutral, 4-5 positive."""
    return NEG if stars <= 2 else NEU if stars == 3 else POS


# The archive's ground-truth file of each site.
SNIPPET_FILES = {
    "movie": "movieReviewSnippets_GroundTruth.txt",
    "amazon": "amazonReviewSnippets_GroundTruth.txt",
    "tweets": "tweets_GroundTruth.txt",
}


def rated_snippets(
    sites: tuple[str, ...], min_valence: float, archive: Path = SNIPPETS_ARCHIVE
) -> tuple[list[str], list[float]]:
    """Snippets of `sites` (SNIPPET_FILES) with their raters' mean valence (-4..4), those at least
    `min_valence` from 0."""
    if not archive.is_file():
        raise FileNotFoundError(f"{archive} is missing: `make sentiment-data` fetches it from PyPI")
    with tarfile.open(archive) as outer:
        inner = next(m for m in outer.getmembers() if m.name.endswith("hutto_ICWSM_2014.tar.gz"))
        with tarfile.open(fileobj=io.BytesIO(outer.extractfile(inner).read())) as data:
            files = [
                data.extractfile(f"hutto_ICWSM_2014/{SNIPPET_FILES[site]}").read() for site in sites
            ]
    texts, valences = [], []
    for raw in files:
        for line in raw.decode("utf-8", errors="replace").splitlines():
            _, rating, text = line.split("\t", 2)
            valence = float(rating)
            if abs(valence) >= min_valence:
                texts.append(" ".join(text.replace("''", '"').split()))
                valences.append(valence)
    return texts, valences


def snippet_test_part(
    site: str, archive: Path = SNIPPETS_ARCHIVE, fraction: float = 0.2
) -> tuple[list[str], list[float]]:
    """A fixed random `fraction` of `site`'s rated snippets (all valences) with their raters' mean: the part
    bench/sentiment_eval.py scores as a site not trained on, which `TrainingSettings.snippet_test_sites` keeps
    out of training."""
    texts, valences = rated_snippets((site,), 0.0, archive)
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    part = order[: int(len(order) * fraction)]
    return [texts[i] for i in part], [valences[i] for i in part]


def lexicon_examples(min_valence: float) -> tuple[list[str], list[int]]:
    """Single words from VADER's lexicon whose mean human valence is at least `min_valence`."""
    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None:
        return [], []
    path = Path(spec.submodule_search_locations[0]) / "vader_lexicon.txt"
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, valence, *_ = line.split("\t")
        if not word.isalpha():
            continue  # emoticons are not review words
        if abs(float(valence)) >= min_valence:
            texts.append(word)
            labels.append(POS if float(valence) > 0 else NEG)
    return texts, labels


def make_pseudo_reviews(texts: list[str], labels: list[int], n: int, seed: int) -> tuple[list[str], list[int]]:
    """Reviews of 1-4 real sentences: all positive, all negative, or balanced mixed (= neutral)."""
    rng = random.Random(seed)
    pos = [t for t, y in zip(texts, labels) if y == POS]
    neg = [t for t, y in zip(texts, labels) if y == NEG]
    reviews, targets = [], []
    kinds = list(PSEUDO_REVIEW_MIX)
    weights = list(PSEUDO_REVIEW_MIX.values())
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        if kind == NEU:
            k = rng.randint(1, 2)
            parts = rng.sample(pos, k) + rng.sample(neg, k)
        else:
            parts = rng.sample(pos if kind == POS else neg, rng.randint(1, 4))
        rng.shuffle(parts)
        reviews.append(" ".join(_end_with_period(p) for p in parts))
        targets.append(kind)
    return reviews, targets


# Things reviewed on many kinds of site, and plainly valenced words about them: the
# templates teach "the <thing> was <word>" beyond the two sites of the labelled data.
_THINGS = (
    "product", "phone", "battery", "case", "charger", "headset", "screen", "quality", "price", "design",
    "food", "service", "staff", "waiter", "place", "meal", "menu", "atmosphere", "dessert", "pizza",
    "movie", "film", "plot", "acting", "cast", "script", "ending", "story", "soundtrack", "director",
    "hotel", "room", "book", "app", "delivery", "seller", "support", "experience", "show", "game",
)  # fmt: skip
_GOOD = (
    "great", "excellent", "wonderful", "amazing", "fantastic", "superb", "brilliant", "delightful",
    "enjoyable", "impressive", "outstanding", "perfect", "lovely", "terrific", "beautiful", "solid",
    "charming", "moving", "clever", "fun", "friendly", "reliable", "awesome", "good", "nice",
)  # fmt: skip
_BAD = (
    "terrible", "awful", "horrible", "boring", "dull", "poor", "disappointing", "bad", "useless",
    "pathetic", "weak", "lame", "annoying", "stupid", "cheap", "rude", "broken", "bland", "predictable",
    "unwatchable", "flimsy", "overpriced", "painful", "forgettable", "mediocre",
)  # fmt: skip
_TEMPLATES = ("The {thing} was {word}.", "{Word} {thing}.", "I found the {thing} {word}.", "What a {word} {thing}!")
_NEGATED = ("The {thing} was not {word}.", "Not a {word} {thing} at all.", "The {thing} wasn't {word}.")
_VERDICTS = {
    NEG: ("Never again.", "I will never buy this again.", "I won't be coming back.", "Would not recommend it.",
          "Don't waste your money.", "Save your money.", "I want my money back.", "Avoid at all costs."),
    POS: ("I would definitely recommend it.", "I will be back for sure.", "Would buy again.", "Worth every penny."),
}  # fmt: skip


def augmented_examples(texts: list[str], labels: list[int], seed: int, n: int = 600) -> tuple[list[str], list[int]]:
    """Templated, negated and contrast sentences (about `n` of each kind, plus fixed phrases).

    - "The plot was dull." / "Superb service.": valenced words about many things;
    - "The battery was not great.": negation flips a positive word to negative
      (a negated negative word, "not bad", is lukewarm at best: left out);
    - "<one sentence>, but <another>": the clause after "but" carries the verdict.
    """
    rng = random.Random(seed)
    out, out_labels = [], []
    for _ in range(n):
        good = rng.random() < 0.5
        word = rng.choice(_GOOD if good else _BAD)
        text = rng.choice(_TEMPLATES).format(thing=rng.choice(_THINGS), word=word, Word=word.capitalize())
        out.append(text)
        out_labels.append(POS if good else NEG)
    for _ in range(n // 2):
        word = rng.choice(_GOOD)
        out.append(rng.choice(_NEGATED).format(thing=rng.choice(_THINGS), word=word))
        out_labels.append(NEG)
    for label, phrases in _VERDICTS.items():
        out += phrases
        out_labels += [label] * len(phrases)
    pos = [t for t, y in zip(texts, labels) if y == POS]
    neg = [t for t, y in zip(texts, labels) if y == NEG]
    for _ in range(n if pos and neg else 0):
        last_good = rng.random() < 0.5
        first, last = (rng.choice(neg), rng.choice(pos)) if last_good else (rng.choice(pos), rng.choice(neg))
        out.append(f"{first.rstrip('.!? ')}, but {last[:1].lower() + last[1:] if last[1:2].islower() else last}")
        out_labels.append(POS if last_good else NEG)
    return out, out_labels


def _end_with_period(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?" else sentence + "."


def stratified_split(targets: list[int], fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Per-class shuffled split; every class with 2+ rows keeps one in each side."""
    rng = random.Random(seed)
    train, test = [], []
    for label in sorted(set(targets)):
        rows = [i for i, t in enumerate(targets) if t == label]
        rng.shuffle(rows)
        cut = max(1, round(len(rows) * fraction)) if len(rows) > 1 else 0
        test += rows[:cut]
        train += rows[cut:]
    return sorted(train), sorted(test)
