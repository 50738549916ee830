"""A KV cache that grows in place instead of by concatenation.

transformers' `DynamicLayer` concatenates every new token's keys and values onto
the whole cache, copying it on every decoding step: with a batch of 32 long
copy prompts on the CPU that was a quarter of the generator's time. This layer
keeps spare room and writes into it, doubling when full, and hands attention a
view of the filled part.
"""

from __future__ import annotations

from transformers.cache_utils import DynamicCache, DynamicLayer

GROWTH_TOKENS = 64  # room added beyond what is needed, at least, when the buffer grows


class GrowingLayer(DynamicLayer):
    _buffers = None  # (keys, values) with room to spare; self.keys/self.values are views of their filled part

    def lazy_initialization(self, key_states, value_states) -> None:
        super().lazy_initialization(key_states, value_states)
        self._buffers = None

    def reset(self) -> None:
        super().reset()
        self._buffers = None

    def update(self, key_states, value_states, *args, **kwargs):
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        filled = self.get_seq_length()
        needed = filled + key_states.shape[-2]
        if self._buffers is None or self._buffers[0].shape[-2] < needed:
            self._grow(key_states, value_states, filled, needed)
        key_buffer, value_buffer = self._buffers
        key_buffer[..., filled:needed, :] = key_states
        value_buffer[..., filled:needed, :] = value_states
        self.keys = key_buffer[..., :needed, :]
        self.values = value_buffer[..., :needed, :]
        return self.keys, self.values

    def _grow(self, key_states, value_states, filled: int, needed: int) -> None:
        capacity = max(2 * filled, needed + GROWTH_TOKENS)
        buffers = []
        for old, new in ((self.keys, key_states), (self.values, value_states)):
            buffer = new.new_empty((*new.shape[:-2], capacity, new.shape[-1]))
            if filled:
                buffer[..., :filled, :] = old
            buffers.append(buffer)
        self._buffers = tuple(buffers)

    def batch_repeat_interleave(self, repeats: int) -> None:
        super().batch_repeat_interleave(repeats)
        self._buffers = None  # the rows changed: the next update copies into a fresh buffer

    def batch_select_indices(self, indices) -> None:
        super().batch_select_indices(indices)
        self._buffers = None


def growing_cache(config) -> DynamicCache:
    """An empty cache for `config`'s model whose layers grow in place."""
    cache = DynamicCache(config=config)
    cache.layers = [GrowingLayer() for _ in cache.layers]
    return cache
