from __future__ import annotations

import pytest

from ecomops.ml import registry
from tests.fakes import FakeSentiment


@pytest.fixture(autouse=True)
def fake_sentiment(request):
    if request.node.get_closest_marker("real_models"):
        yield None
        return
    model = FakeSentiment()
    with registry.override(sentiment=model):
        yield model
