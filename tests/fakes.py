"""Small deterministic stand-ins for the ML module's classes (the real ones run in
tests marked `real_models`). They honour the same interfaces and shapes."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class FakeEmbedder:
    """Bag-of-words hashed into 64 dimensions: texts that share words are close."""

    version = "fake-embedder"
    dimension = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


class FakeGenerator:
    """Writes one plain sentence from the `- Label: value` facts of the last user message."""

    version = "fake-generator"

    def __init__(self):
        self.calls: list[int] = []  # batch size of each call, to assert batching

    def generate(self, chats: list[list[dict]], **kwargs) -> list[str]:
        self.calls.append(len(chats))
        return [self._write(chat) for chat in chats]

    @staticmethod
    def _write(chat: list[dict]) -> str:
        user = [m["content"] for m in chat if m["role"] == "user"][-1]
        facts = dict(re.findall(r"^- ([^:\n]+): (.+)$", user, flags=re.MULTILINE))
        name = facts.pop("Product name", "This product")
        details = ", ".join(v for k, v in facts.items() if k not in {"Tone", "Audience", "Words to avoid"})
        return f"{name} comes with {details.lower()}." if details else f"{name} is ready for you."


class FakeSentiment:
    """Keyword sentiment with the real model's interface (`score`, `version`); records batch sizes."""

    version = "fake-sentiment"
    POSITIVE = ("great", "love", "perfect", "excellent", "fast", "sturdy", "friendly", "comfortable", "sick")
    NEGATIVE = ("terrible", "awful", "broke", "slow", "rude", "flimsy", "damaged", "dies", "worst", "returned")

    def __init__(self):
        self.calls: list[int] = []

    def score(self, texts: list[str]) -> list:
        from ecomops.ml.sentiment import Sentiment

        self.calls.append(len(texts))
        out = []
        for text in texts:
            words = set(re.findall(r"[a-z]+", text.lower()))
            pos, neg = len(words & set(self.POSITIVE)), len(words & set(self.NEGATIVE))
            if pos and neg:
                out.append(Sentiment("neutral", 0.6, 0.0))
            elif neg:
                out.append(Sentiment("negative", 0.9, -0.9))
            elif pos:
                out.append(Sentiment("positive", 0.9, 0.9))
            else:
                out.append(Sentiment("neutral", 0.7, 0.0))
        return out
