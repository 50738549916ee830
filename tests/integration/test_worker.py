"""A real Celery worker (production settings, real embedded models) finishes copy jobs
sent through real Redis, with data in the real PostgreSQL test database.

Skipped unless DATABASE_URL is PostgreSQL and ECOMOPS_TEST_REDIS_URL answers (.ci/run sets both).
"""

from __future__ import annotations

import json
import os
import re

import pytest
from django.db.models import Count

from catalog.models import ProductCopy
from catalog.services import request_copy
from catalog.tasks import generate_copy_chunk as generate_copy_chunk_task
from ecomops.jobs.models import Job, JobChunk
from tests import factories
from tests.integration.celery_worker import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.real_models, pytest.mark.django_db(transaction=True)]

# The first chunk loads the real models (~10 s), then generates on a 2-core CPU; a busy
# machine may raise the bound with ECOMOPS_TEST_JOB_TIMEOUT.
JOB_TIMEOUT = float(os.environ.get("ECOMOPS_TEST_JOB_TIMEOUT", 180))
# SEO titles are the shortest real generation (28 new tokens at most): the worker path, not
# the copy, is under test here (tests/ml and bench/ judge the copy).
KIND = "seo_title"


@pytest.fixture
def products(store):
    return [
        factories.ProductFactory(
            store=store,
            title="Northpeak Alpine Down Jacket",
            attributes={"brand": "Northpeak", "colour": "Red", "material": "Goose down", "size": "M"},
        ),
        factories.ProductFactory(
            store=store,
            title="Ridgeline Trekking Poles",
            attributes={"brand": "Ridgeline", "material": "Carbon fibre", "colour": "Black"},
        ),
    ]


def finished_job(job: Job, worker) -> Job:
    return wait_until(
        lambda: (fresh := Job.objects.get(pk=job.pk)).finished and fresh,
        timeout=JOB_TIMEOUT,
        what=f"job {job.pk} to finish",
        worker=worker,
    )


def broker_idle(redis) -> bool:
    """Nothing waiting in our queues and nothing delivered but unacknowledged (acks_late)."""
    return redis.llen("ml") == 0 and redis.llen("default") == 0 and redis.hlen("unacked") == 0


def deliveries_received(worker) -> int:
    return len(re.findall(r"Task catalog\.generate_copy_chunk\[[^]]+\] received", worker.log(last=None)))


def drafts_per_product_and_kind(products) -> dict[tuple[int, str], int]:
    rows = ProductCopy.objects.filter(product__in=products).values("product_id", "kind").annotate(n=Count("pk"))
    return {(row["product_id"], row["kind"]): row["n"] for row in rows}


def test_worker_finishes_copy_job(worker, alice, store, products):
    # when
    job = request_copy(user=alice, store=store, product_ids=[p.pk for p in products], kinds=[KIND])
    job = finished_job(job, worker)
    # then
    assert (job.state, job.done, job.failed, job.total) == (Job.State.SUCCEEDED, 2, 0, 2), job.error
    assert drafts_per_product_and_kind(products) == {(p.pk, KIND): 1 for p in products}
    drafts = ProductCopy.objects.filter(product__in=products)
    assert all(d.status == ProductCopy.Status.DRAFT and d.text.strip() and d.job_id == job.pk for d in drafts)
    assert all(d.model_version != "fake-generator" for d in drafts)  # the real model wrote them


def test_chunk_delivered_twice_counts_once(worker, broker, alice, store, products):
    # given: request_copy publishes the job's chunk once; the broker delivers it once more
    product = products[0]
    received_before = deliveries_received(worker)
    job = request_copy(user=alice, store=store, product_ids=[product.pk], kinds=[KIND])
    chunk = JobChunk.objects.get(job=job)
    generate_copy_chunk_task.delay(chunk_id=chunk.pk)
    # when
    job = finished_job(job, worker)
    wait_until(lambda: broker_idle(broker), timeout=JOB_TIMEOUT, what="the duplicate delivery", worker=worker)
    # then: the second delivery found the chunk recorded and did nothing
    assert (job.state, job.done, job.failed) == (Job.State.SUCCEEDED, 1, 0)
    assert drafts_per_product_and_kind([product]) == {(product.pk, KIND): 1}
    assert JobChunk.objects.get(pk=chunk.pk).deliveries == 1
    assert deliveries_received(worker) - received_before == 2


def test_job_survives_worker_killed_mid_chunk(workers, worker, broker, alice, store, products):
    # given: a worker is writing the job's only chunk
    product = products[0]
    job = request_copy(user=alice, store=store, product_ids=[product.pk], kinds=[KIND])
    chunk = JobChunk.objects.get(job=job)
    wait_until(
        lambda: JobChunk.objects.filter(pk=chunk.pk, deliveries=1).exists(),
        timeout=JOB_TIMEOUT,
        what="the worker to claim the chunk",
        worker=worker,
        interval=0.05,
    )
    # when: it is killed outright
    worker.kill()
    # then: nothing was recorded, and Redis holds the message unacknowledged (acks_late), not lost
    assert JobChunk.objects.get(pk=chunk.pk).state == JobChunk.State.PENDING, "chunk finished before the kill"
    assert Job.objects.get(pk=job.pk).done == 0
    assert [json.loads(raw)[0]["headers"]["task"] for raw in broker.hvals("unacked")] == ["catalog.generate_copy_chunk"]
    # when: the visibility timeout passes (the clock is moved, not waited for) and a new worker starts
    visibility_timeout = 3600  # ecomops/settings.py CELERY_BROKER_TRANSPORT_OPTIONS
    for tag, score in broker.zrange("unacked_index", 0, -1, withscores=True):
        broker.zadd("unacked_index", {tag: score - visibility_timeout - 1})
    rescuer = workers.start()
    job = finished_job(job, rescuer)
    # then: the new worker wrote the chunk once and counted it once
    assert (job.state, job.done, job.failed) == (Job.State.SUCCEEDED, 1, 0), job.error
    assert drafts_per_product_and_kind([product]) == {(product.pk, KIND): 1}
    assert JobChunk.objects.get(pk=chunk.pk).deliveries == 2
