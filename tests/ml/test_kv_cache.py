"""The in-place growing KV cache gives attention exactly what transformers' own dynamic cache does."""

import pytest

torch = pytest.importorskip("torch")

from transformers.cache_utils import DynamicLayer  # noqa: E402

from ecomops.ml.kv_cache import GrowingLayer  # noqa: E402


def states(batch, length, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, 3, length, 8, generator=generator), torch.randn(batch, 3, length, 8, generator=generator)


def test_growing_layer_matches_dynamic_layer_through_growth_and_row_changes():
    ours, reference = GrowingLayer(), DynamicLayer()
    steps = [(1, 40, "update"), (1, 0, "repeat"), *[(4, 1, "update")] * 70, (4, 0, "select"), *[(2, 1, "update")] * 5]
    for seed, (batch, length, action) in enumerate(steps):
        if action == "repeat":
            ours.batch_repeat_interleave(4)
            reference.batch_repeat_interleave(4)
        elif action == "select":
            ours.batch_select_indices(torch.tensor([0, 2]))
            reference.batch_select_indices(torch.tensor([0, 2]))
        else:
            keys, values = states(batch, length, seed)
            got, expected = ours.update(keys, values), reference.update(keys, values)
            assert torch.equal(got[0], expected[0]) and torch.equal(got[1], expected[1])
        assert ours.get_seq_length() == reference.get_seq_length()
    assert ours.get_seq_length() == 40 + 70 + 5


def test_growing_layer_reuses_its_buffer_between_growths():
    layer = GrowingLayer()
    layer.update(*states(2, 10, 0))
    buffer = layer._buffers[0]
    for seed in range(1, 20):
        layer.update(*states(2, 1, seed))
    assert layer._buffers[0] is buffer  # 10 + 19 tokens fit in the first buffer's spare room
    assert layer.keys.data_ptr() == buffer.data_ptr()
