import pytest

from catalog.models import ProductCopy
from ecomops.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_admin(client, alice):
    client.force_login(alice)
    return client


def test_generate_copy_action_asks_which_kinds_first(alice_admin, product):
    response = alice_admin.post(
        "/admin/catalog/product/", {"action": "generate_copy", "_selected_action": [product.pk]}
    )
    assert response.status_code == 200
    assert "What to write" in response.text
    assert not Job.objects.exists()


def test_generate_copy_action_starts_job_and_links_it(alice_admin, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_admin.post(
            "/admin/catalog/product/",
            {"action": "generate_copy", "_selected_action": [product.pk], "kinds": ["description"], "apply": "1"},
            follow=True,
        )
    job = Job.objects.get()
    assert f"/admin/jobs/job/{job.pk}/change/" in response.text
    assert ProductCopy.objects.filter(product=product).count() == 1


def test_bulk_approve_and_publish_from_copy_list(alice_admin, product):
    copy = factories.ProductCopyFactory(product=product, text="Warm, light and red.")
    alice_admin.post("/admin/catalog/productcopy/", {"action": "approve", "_selected_action": [copy.pk]})
    alice_admin.post("/admin/catalog/productcopy/", {"action": "publish", "_selected_action": [copy.pk]})
    product.refresh_from_db()
    assert product.description == "Warm, light and red."


def test_copy_list_shows_draft_beside_current_text_and_flags(alice_admin, product):
    product.description = "Old words."
    product.save()
    factories.ProductCopyFactory(
        product=product,
        text="New words.",
        passed_checks=False,
        flags={"avoided_words_ok": False, "avoided_words_found": "cheap", "numbers_ok": True},
    )
    page = alice_admin.get("/admin/catalog/productcopy/").text
    assert "Old words." in page and "New words." in page
    assert "words to avoid: cheap" in page
    assert "numbers or units" not in page  # a passed check is not shown as a problem


def test_job_page_shows_progress_bar(alice_admin, store):
    job = factories.JobFactory(store=store, total=4, done=1)
    page = alice_admin.get(f"/admin/jobs/job/{job.pk}/change/").text
    assert '<progress value="25"' in page


def test_publish_from_list_filtered_on_approved_reports_what_it_did(alice_admin, product):
    copy = factories.ProductCopyFactory(product=product, status=ProductCopy.Status.APPROVED)
    response = alice_admin.post(
        "/admin/catalog/productcopy/?status__exact=approved",
        {"action": "publish", "_selected_action": [copy.pk]},
        follow=True,
    )
    assert "Published 1 copies." in response.text
    assert "not approved yet" not in response.text
