import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import ProductCopy
from catalog.services import approve_copies, publish_copies, reject_copies, request_copy
from ecomops.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


def test_request_copy_writes_one_draft_per_product_and_kind(
    alice, store, django_capture_on_commit_callbacks, fake_models
):
    # given
    products = factories.ProductFactory.create_batch(3, store=store)
    # when (Celery runs eagerly in unit tests; the chunk is sent on commit)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_copy(
            user=alice, store=store, product_ids=[p.pk for p in products], kinds=["description", "seo_title"]
        )
    # then
    job.refresh_from_db()
    assert (job.total, job.done, job.state) == (6, 6, Job.State.SUCCEEDED)
    assert ProductCopy.objects.filter(status="draft").count() == 6
    draft = ProductCopy.objects.get(product=products[0], kind="description")
    assert products[0].title in draft.text
    assert draft.prompt_version and draft.model_version


def test_generator_is_called_once_per_chunk(alice, store, django_capture_on_commit_callbacks, fake_models):
    products = factories.ProductFactory.create_batch(5, store=store)
    with django_capture_on_commit_callbacks(execute=True):
        request_copy(user=alice, store=store, product_ids=[p.pk for p in products], kinds=["description"])
    # one batched call for the five products (retries, if any, only for failing drafts)
    assert fake_models["generator"].calls[0] == 5


def test_running_a_chunk_twice_leaves_one_draft(alice, store, product, django_capture_on_commit_callbacks):
    from catalog.services import write_copy_chunk

    with django_capture_on_commit_callbacks(execute=True):
        job = request_copy(user=alice, store=store, product_ids=[product.pk], kinds=["description"])
    # when the same work runs again (a redelivered task past the chunk claim)
    write_copy_chunk(job, [[product.pk, "description"]])
    # then
    assert ProductCopy.objects.filter(product=product, kind="description").count() == 1


def test_request_copy_refuses_viewers(victor, store, product):
    with pytest.raises(PermissionDenied):
        request_copy(user=victor, store=store, product_ids=[product.pk], kinds=["description"])


def test_request_copy_refuses_other_stores_products(alice, store, charlies_product):
    with pytest.raises(ValidationError, match="Unknown products"):
        request_copy(user=alice, store=store, product_ids=[charlies_product.pk], kinds=["description"])


def test_request_copy_refuses_unknown_kinds(alice, store, product):
    with pytest.raises(ValidationError):
        request_copy(user=alice, store=store, product_ids=[product.pk], kinds=["limerick"])


def test_draft_failing_a_check_stays_a_draft_with_flags(alice, store, django_capture_on_commit_callbacks):
    # given a voice that forbids a word the (fake) writer will use
    factories.BrandVoiceFactory(store=store, words_to_avoid=["red"])
    product = factories.ProductFactory(store=store)
    with django_capture_on_commit_callbacks(execute=True):
        request_copy(user=alice, store=store, product_ids=[product.pk], kinds=["description"])
    draft = ProductCopy.objects.get(product=product)
    assert draft.status == "draft"
    assert not draft.passed_checks
    assert draft.flags


def test_review_flow_publishes_to_product(alice, product):
    copy = factories.ProductCopyFactory(product=product, kind="seo_title", text="Red Trail Jacket | Northpeak")
    assert approve_copies(user=alice, copies=ProductCopy.objects.all()) == 1
    assert publish_copies(user=alice, copies=ProductCopy.objects.all()) == 1
    product.refresh_from_db()
    assert product.seo_title == "Red Trail Jacket | Northpeak"
    assert ProductCopy.objects.get(pk=copy.pk).status == "published"


def test_rejected_copy_cannot_be_published(alice, product):
    factories.ProductCopyFactory(product=product)
    reject_copies(user=alice, copies=ProductCopy.objects.all())
    assert publish_copies(user=alice, copies=ProductCopy.objects.all()) == 0


def test_viewer_review_changes_nothing(victor, product):
    factories.ProductCopyFactory(product=product)
    assert approve_copies(user=victor, copies=ProductCopy.objects.all()) == 0


def test_new_product_hook_drafts_description_when_store_asks(store, django_capture_on_commit_callbacks):
    # given
    store.auto_describe_new_products = True
    store.save()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        product = factories.ProductFactory(store=store, description="")
    # then
    assert ProductCopy.objects.filter(product=product, kind="description", status="draft").exists()


def test_new_product_hook_is_off_by_default(store, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.ProductFactory(store=store, description="")
    assert not Job.objects.exists()


def test_new_product_with_description_gets_no_draft(store, django_capture_on_commit_callbacks):
    store.auto_describe_new_products = True
    store.save()
    with django_capture_on_commit_callbacks(execute=True):
        factories.ProductFactory(store=store, description="Hand-written.")
    assert not Job.objects.exists()
