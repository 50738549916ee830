"""A merchant drives the admin in headless Chromium: ask for copy, review, publish.

The live server runs the unit-test settings: Celery is eager and the ML module is
the fakes, so the action's on_commit enqueue runs the chunk in the request itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from catalog.models import ProductCopy
from ecomops.jobs.models import Job
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Debian chromium at {CHROMIUM} (make chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the whole module, so
    # Django would refuse this thread's (plain, synchronous) ORM calls and the database flush.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def alices_products(store):
    return [
        factories.ProductFactory(store=store, title="Alpine Down Jacket", description="Old jacket words."),
        factories.ProductFactory(store=store, title="Summit Trekking Poles"),
        factories.ProductFactory(store=store, title="Basecamp Thermos"),
    ]


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def run_action(page, action: str, pks) -> None:
    for pk in pks:
        page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_product_list_shows_only_her_store(page, live_server, alice, alices_products, charlies_product):
    from playwright.sync_api import expect

    log_in(page, live_server, alice)
    # when
    page.goto(f"{live_server.url}/admin/catalog/product/")
    # then: her products, and not a word of charlie's store, filters included
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    for text in (charlies_product.title, charlies_product.category.name, charlies_product.store.name):
        expect(page.locator("#content")).not_to_contain_text(text)
    expect(page.locator("#changelist-filter")).to_contain_text(alices_products[0].category.name)


def test_merchant_generates_reviews_and_publishes_copy(page, live_server, alice, alices_products):
    from playwright.sync_api import expect

    jacket, poles, _ = alices_products
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/admin/catalog/product/")

    # the action asks which kinds first, then starts a job and links to it
    run_action(page, "generate_copy", [jacket.pk, poles.pk])
    expect(page.locator("h1")).to_have_text("Generate copy")
    page.check("input[name=kinds][value=seo_title]")  # description is pre-selected
    page.click("input[name=apply]")
    message = page.locator("ul.messagelist li.info")
    expect(message).to_contain_text("Writing 4 drafts for Alice's Outdoor")
    job = Job.objects.get()
    expect(message.locator("a")).to_have_attribute("href", f"/admin/jobs/job/{job.pk}/change/")

    # eager Celery ran the chunk in the request, on commit, with the fake models
    assert (job.state, job.done, job.failed) == (Job.State.SUCCEEDED, 4, 0), job.error
    assert ProductCopy.objects.filter(job=job, model_version="fake-generator").count() == 4
    message.locator("a").click()
    expect(page.locator(".field-state .readonly")).to_have_text("Succeeded")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "job.png"), full_page=True)

    # the drafts list: draft beside the current text, with the checks
    page.goto(f"{live_server.url}/admin/catalog/productcopy/?status__exact=draft")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    expect(page.locator("#result_list")).to_contain_text("Old jacket words.")
    page.screenshot(path=str(SCREENSHOTS / "product_copy_drafts.png"), full_page=True)

    # approve, then publish, the jacket's description
    draft = ProductCopy.objects.get(product=jacket, kind="description")
    run_action(page, "approve", [draft.pk])
    expect(page.locator("ul.messagelist")).to_contain_text("Approved 1 drafts.")
    page.goto(f"{live_server.url}/admin/catalog/productcopy/?status__exact=approved")
    run_action(page, "publish", [draft.pk])
    expect(page.locator("ul.messagelist")).to_contain_text("Published 1 copies.")

    # the product now shows the text
    page.goto(f"{live_server.url}/admin/catalog/product/{jacket.pk}/change/")
    expect(page.locator("#id_description")).to_have_value(draft.text)
    assert ProductCopy.objects.get(pk=draft.pk).status == ProductCopy.Status.PUBLISHED


def test_other_stores_product_page_is_not_found(page, live_server, alice, charlies_product):
    from playwright.sync_api import expect

    log_in(page, live_server, alice)
    # when
    response = page.goto(f"{live_server.url}/admin/catalog/product/{charlies_product.pk}/change/")
    # then: Django's admin treats an object outside her queryset as missing: back home, "doesn't exist"
    assert response.request.redirected_from is not None
    assert page.url == f"{live_server.url}/admin/"
    expect(page.locator("ul.messagelist li.warning")).to_contain_text("doesn’t exist")
    assert charlies_product.title not in page.content()
