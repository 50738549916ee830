"""Few-shot intent classification from a store's own list of intents.

A store writes each intent as a name, a one-line description and a few example
messages. `IntentClassifier.fit` learns from those alone (no labelled tickets)
and `predict` returns `(intent, confidence)` per text, batched; a text the
classifier is not sure about is `OTHER`.

The features are the embedder's usual sentence vector (last layer, mean-pooled)
joined with the mean-pooled vector of a middle layer, which keeps more of the
wording ("fee", "invoice", "status") than the last layer does. A logistic
regression on these, fitted on the examples plus the description, beats a
nearest-centroid over the sentence vectors by about 5 points on the 27-intent
set in bench/data (bench/triage_eval.py, README "Support"). No Django here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ecomops.ml import runtime

OTHER = "other"

# Hidden states used as features: -1 = last layer of MiniLM-L6 (the sentence
# vector), 4 = two below it. Over the 270 messages of bench/data (intent lists
# A / B) the last layer alone gave 88.1 / 88.1 %, [-1, 4] 91.9 / 90.0 %, [-1, 3]
# 90.7 / 89.3 %, [-1, 5, 4] 91.5 / 90.0 %, [-1, 4, 2] 91.5 / 88.9 %.
FEATURE_LAYERS = (-1, 4)
# Inverse regularisation of the logistic regression: 10, 100 and 1000 were within
# one message of each other on dev; 10 was 0.6 points lower on all 270.
REGULARISATION_C = 100.0
# Below this probability the answer is OTHER. Over the 270 in-scope messages of
# bench/data it keeps 98.9 % (0.20: 96.1 %, 0.25: 94.4 %) and sends 22.5 % of the
# off-topic ones to OTHER (0.20: 47.5 %, 0.25: 62.5 %): a wrong "other" costs an
# agent more than a wrong guess they can see and fix (bench/triage_eval.py).
DEFAULT_THRESHOLD = 0.15
# A text whose closest training text is less similar than this (cosine of the
# sentence vectors) is OTHER whatever the regression says: it is about
# something no example is about.
MIN_SIMILARITY = 0.30
# Tokens per text: tickets are truncated for intent, which the first lines decide.
MAX_TOKENS = 128

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


@dataclass(frozen=True)
class Intent:
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()

    def training_texts(self) -> list[str]:
        """What the classifier learns this intent from: the examples and the description
        (or the name, spelled as words, when there is nothing else)."""
        texts = [text for text in (*self.examples, self.description) if text and text.strip()]
        return texts or [self.name.replace("_", " ")]


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    best_guess: str = ""  # the top intent even when the answer is OTHER (for review screens)


@dataclass
class Encoded:
    """One encoder pass over a batch: the sentence vectors (what `Embedder.embed`
    returns) and the intent features, row for row."""

    sentence: np.ndarray
    features: np.ndarray


def normalise_text(text: str) -> str:
    """Template placeholders such as ``{{Order Number}}`` become plain words."""
    return _PLACEHOLDER.sub(lambda m: m.group(1), text or "").strip() or " "


def encode(embedder, texts: Sequence[str]) -> Encoded:
    """Sentence vectors and intent features for `texts`, in one pass of the encoder.

    Works with any object that has `embed(texts)`; when it also exposes the
    transformer (`model`, `tokenizer`, as `ecomops.ml.embedder.Embedder` does),
    the middle layer is added to the features.
    """
    texts = [normalise_text(t) for t in texts]
    if not (hasattr(embedder, "model") and hasattr(embedder, "tokenizer")):
        vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
        return Encoded(sentence=vectors, features=vectors)
    dim = int(embedder.model.config.hidden_size)
    sentence = np.zeros((len(texts), dim), dtype=np.float32)
    features = np.zeros((len(texts), dim * len(FEATURE_LAYERS)), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
    size = runtime.batch_size("embedder")
    for start in range(0, len(order), size):
        rows = order[start : start + size]
        layers = _pooled_layers(embedder, [texts[i] for i in rows])
        sentence[rows] = layers[0]
        features[rows] = np.concatenate(layers, axis=1)
    return Encoded(sentence=sentence, features=features)


def _pooled_layers(embedder, texts: list[str]) -> list[np.ndarray]:
    import torch

    batch = embedder.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt").to(
        embedder.model.device
    )
    with torch.inference_mode():
        hidden = embedder.model(**batch, output_hidden_states=True).hidden_states
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden[-1].dtype)
    out = []
    for layer in FEATURE_LAYERS:
        pooled = (hidden[layer] * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        out.append(torch.nn.functional.normalize(pooled.float(), dim=-1).cpu().numpy())
    return out


@dataclass
class IntentClassifier:
    intents: tuple[Intent, ...]
    embedder: object
    threshold: float = DEFAULT_THRESHOLD
    _model: object = field(default=None, repr=False)
    _train_sentence: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def fit(cls, intents: Iterable[Intent], *, embedder, threshold: float = DEFAULT_THRESHOLD) -> IntentClassifier:
        """Learn from the intents' examples and descriptions only (well under a second
        for 27 intents once the embedder is loaded)."""
        merged = merge_intents(intents)
        classifier = cls(intents=merged, embedder=embedder, threshold=threshold)
        if merged:
            classifier._fit()
        return classifier

    @property
    def names(self) -> list[str]:
        return [intent.name for intent in self.intents]

    @property
    def fingerprint(self) -> str:
        return intents_fingerprint(self.intents)

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        """One prediction per text, in input order; one encoder pass for the batch."""
        if not texts:
            return []
        return self.predict_encoded(encode(self.embedder, texts))

    def predict_encoded(self, encoded: Encoded) -> list[IntentPrediction]:
        """Predictions for texts already encoded with `encode` (the triage reuses
        the same pass for urgency and mood)."""
        n = len(encoded.sentence)
        if not self.intents:
            return [IntentPrediction(OTHER, 0.0) for _ in range(n)]
        probabilities = self._probabilities(encoded.features)
        nearest = (encoded.sentence @ self._train_sentence.T).max(axis=1)
        predictions = []
        for row, similarity in zip(probabilities, nearest):
            best = int(row.argmax())
            confidence = float(row[best])
            sure = confidence >= self.threshold and similarity >= MIN_SIMILARITY
            name = self.intents[best].name
            predictions.append(IntentPrediction(name if sure else OTHER, round(confidence, 4), name))
        return predictions

    def _fit(self) -> None:
        from sklearn.linear_model import LogisticRegression

        texts, labels = [], []
        for index, intent in enumerate(self.intents):
            own = intent.training_texts()
            texts += own
            labels += [index] * len(own)
        encoded = encode(self.embedder, texts)
        self._train_sentence = encoded.sentence
        if len(self.intents) > 1:
            with _single_threaded_blas():
                self._model = LogisticRegression(C=REGULARISATION_C, max_iter=3000).fit(encoded.features, labels)

    def _probabilities(self, features: np.ndarray) -> np.ndarray:
        if self._model is None:  # a single intent: nothing to tell apart
            return np.ones((len(features), 1), dtype=np.float32)
        with _single_threaded_blas():
            return self._model.predict_proba(features)


def _single_threaded_blas():
    """The regression's matrices are small (~100 x 768): multi-threaded OpenBLAS spends
    more time syncing than computing. Fitting 27 intents took 7-8 s with 2 BLAS threads
    on a busy 2-core CPU and 0.1 s with one (same result)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def intents_from_rows(rows: Iterable[dict]) -> list[Intent]:
    """Intents from rows with `intent`, `description`, `example` (one example per
    row, several rows per intent: the `intents.csv` layout)."""
    return list(
        merge_intents(
            Intent(
                (row.get("intent") or "").strip(),
                (row.get("description") or "").strip(),
                tuple(filter(None, [(row.get("example") or "").strip()])),
            )
            for row in rows
        )
    )


def merge_intents(intents: Iterable[Intent]) -> tuple[Intent, ...]:
    """Rows with the same name become one intent (first description wins, examples
    kept in order, duplicates dropped); names are stripped; blank names dropped."""
    merged: dict[str, Intent] = {}
    for intent in intents:
        name = (intent.name or "").strip()
        if not name:
            continue
        seen = merged.get(name)
        if seen is None:
            merged[name] = Intent(name, (intent.description or "").strip(), _unique(intent.examples))
        else:
            merged[name] = Intent(
                name,
                seen.description or (intent.description or "").strip(),
                _unique((*seen.examples, *intent.examples)),
            )
    return tuple(merged.values())


def intents_fingerprint(intents: Iterable[Intent]) -> str:
    """Stable hash of an intent list: equal lists give the same fitted classifier."""
    payload = [[i.name, i.description, list(i.examples)] for i in merge_intents(intents)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
