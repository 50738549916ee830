"""Shared fixtures: alice (owner) and bob (staff) of one store, charlie of another;
API clients for each; the ML module swapped for deterministic fakes unless a test
is marked `real_models`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ecomops.ml import registry
from tests import factories
from tests.fakes import FakeEmbedder, FakeGenerator


@pytest.fixture(autouse=True)
def fake_models(request):
    if request.node.get_closest_marker("real_models"):
        yield None
        return
    fakes = {"generator": FakeGenerator(), "embedder": FakeEmbedder()}
    with registry.override(**fakes):
        yield fakes


@pytest.fixture
def store(db):
    return factories.StoreFactory(name="Alice's Outdoor", slug="alice-outdoor")


@pytest.fixture
def other_store(db):
    return factories.StoreFactory(name="Charlie's Kitchen", slug="charlie-kitchen")


@pytest.fixture
def alice(store):
    return factories.member(store=store, username="alice", role="owner")


@pytest.fixture
def bob(store):
    return factories.member(store=store, username="bob", role="staff")


@pytest.fixture
def victor(store):
    return factories.member(store=store, username="victor", role="viewer")


@pytest.fixture
def charlie(other_store):
    return factories.member(store=other_store, username="charlie", role="owner")


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def alice_client(alice):
    return _client(alice)


@pytest.fixture
def victor_client(victor):
    return _client(victor)


@pytest.fixture
def charlie_client(charlie):
    return _client(charlie)


@pytest.fixture
def store_key(store):
    """(ApiKey, raw secret) of alice's store, as a storefront would hold it."""
    from ecomops.tenancy.services import create_api_key

    return create_api_key(store=store, name="storefront")


@pytest.fixture
def storefront_client(store_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {store_key[1]}")
    return client


@pytest.fixture
def product(store):
    return factories.ProductFactory(store=store)


@pytest.fixture
def charlies_product(other_store):
    return factories.ProductFactory(store=other_store)
