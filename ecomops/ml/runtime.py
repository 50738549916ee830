"""Where and how models run. The only module that knows about devices.

Nothing here touches torch or CUDA at import time: the web process imports
this package without loading torch, and forked Celery children probe the
device themselves (pytorch#68861).
"""

from __future__ import annotations

import functools
import os


@functools.cache
def device() -> str:
    """`ECOMOPS_ML_DEVICE` if set, else cuda > mps > cpu."""
    forced = os.environ.get("ECOMOPS_ML_DEVICE", "").strip()
    if forced:
        return forced
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def dtype():
    """bfloat16 on accelerators (half the memory, same range), float32 on CPU."""
    import torch

    return torch.float32 if device() == "cpu" else torch.bfloat16


def batch_size(capability: str) -> int:
    """Rows per forward pass; `ECOMOPS_ML_BATCH_<CAPABILITY>` overrides.

    CPU figures are the best of bench/ sweeps on the 2-core baseline; GPU
    figures leave head-room on a 24 GB card for the default models.
    """
    override = os.environ.get(f"ECOMOPS_ML_BATCH_{capability.upper()}")
    if override:
        return int(override)
    on_gpu = device() != "cpu"
    # generator on CPU: 32 gave 63-68 products/min, 16 gave 58, 64 gave 45 (bench/copy_batch.py, quiet 2-core CPU)
    defaults = {"generator": (32, 64), "embedder": (64, 256), "classifier": (64, 256)}
    cpu, gpu = defaults.get(capability, (32, 128))
    return gpu if on_gpu else cpu


@functools.cache
def configure_threads() -> None:
    """Let torch use every core it is given (set once per process)."""
    import torch

    threads = os.environ.get("ECOMOPS_ML_THREADS")
    if threads:
        torch.set_num_threads(int(threads))


def cache_dir() -> str:
    """Folder for converted checkpoints (`ECOMOPS_ML_CACHE`, default var/models)."""
    default = os.path.join(os.getcwd(), "var", "models")
    path = os.environ.get("ECOMOPS_ML_CACHE", default)
    os.makedirs(path, exist_ok=True)
    return path
