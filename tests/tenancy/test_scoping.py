import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.models import Product
from ecomops.tenancy.api import StoreScopedViewSet
from ecomops.tenancy.authentication import StoreKeyUser
from ecomops.tenancy.models import Store
from tests import factories

pytestmark = pytest.mark.django_db


def test_member_sees_only_own_store_rows(alice, product, charlies_product):
    assert list(Product.objects.for_user(alice)) == [product]


def test_anonymous_sees_nothing(product):
    assert not Product.objects.for_user(AnonymousUser()).exists()


def test_superuser_sees_every_store(product, charlies_product):
    root = factories.UserFactory(username="root", is_superuser=True)
    assert set(Product.objects.for_user(root)) == {product, charlies_product}


def test_viewer_cannot_write(victor, product):
    assert not Product.objects.writable_by(victor).exists()
    assert Product.objects.for_user(victor).exists()


def test_staff_can_write(bob, product):
    assert list(Product.objects.writable_by(bob)) == [product]


def test_api_key_user_sees_only_its_store(store_key, product, charlies_product):
    key_user = StoreKeyUser(store_key[0])
    assert list(Product.objects.for_user(key_user)) == [product]
    assert list(Store.objects.for_user(key_user)) == [product.store]


def test_viewset_may_not_override_get_queryset():
    with pytest.raises(TypeError, match="scope_queryset"):

        class Leaky(StoreScopedViewSet):
            def get_queryset(self):
                return Product.objects.all()


def test_inactive_api_key_is_refused(store_key, product):
    from rest_framework.test import APIClient

    key, raw = store_key
    key.active = False
    key.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/v1/products/").status_code == 401


def test_api_key_header_x_api_key_works(store_key, product):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_X_API_KEY=store_key[1])
    assert client.get("/api/v1/products/").status_code == 200
