"""One lazily-loaded instance of each model per process, and one override hook.

Tests and benchmarks swap models with `override(embedder=FakeEmbedder())`;
nothing else patches model classes. Settings are read when a model is first
needed, never at import time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

_lock = threading.Lock()  # HF tokenizers are not thread-safe to build twice at once
_loaded: dict[str, Any] = {}
_overrides: dict[str, Any] = {}


def _setting(name: str) -> str:
    from django.conf import settings

    return getattr(settings, name, "") if settings.configured else ""


def _loaders() -> dict[str, Callable[[], Any]]:
    from ecomops.ml.embedder import Embedder
    from ecomops.ml.generator import Generator
    from ecomops.ml.sentiment import SentimentModel

    return {
        "generator": lambda: Generator.load(_setting("ECOMOPS_GENERATOR_MODEL")),
        "embedder": lambda: Embedder.load(_setting("ECOMOPS_EMBEDDER_MODEL")),
        "sentiment": lambda: SentimentModel.load(_setting("ECOMOPS_SENTIMENT_MODEL")),
    }


def configured_name(name: str) -> str:
    """What a job records as the model of a capability: its setting, or the embedded default."""
    return _setting(f"ECOMOPS_{name.upper()}_MODEL") or "embedded default"


def names() -> list[str]:
    """Every capability the registry can load."""
    return list(_loaders())


def get(name: str) -> Any:
    if name in _overrides:
        return _overrides[name]
    if name not in _loaded:
        with _lock:
            if name not in _loaded:
                _loaded[name] = _loaders()[name]()
    return _loaded[name]


def generator():
    return get("generator")


def embedder():
    return get("embedder")


def sentiment():
    return get("sentiment")


def sentiment_at(path: str):
    """A store's own fine-tuned sentiment model (a weights folder), loaded once per path.

    `override(sentiment=...)` replaces these too, so tests never load real weights.
    """
    if not path:
        return sentiment()
    if "sentiment" in _overrides:
        return _overrides["sentiment"]
    key = f"sentiment:{path}"
    if key not in _loaded:
        from ecomops.ml.sentiment import SentimentModel

        with _lock:
            if key not in _loaded:
                _loaded[key] = SentimentModel.load(path)
    return _loaded[key]


@contextlib.contextmanager
def override(**models: Any) -> Iterator[None]:
    """Use the given objects instead of the configured models inside the block."""
    previous = dict(_overrides)
    _overrides.update(models)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(previous)


def unload() -> None:
    """Drop loaded models (tests that change model settings)."""
    _loaded.clear()
