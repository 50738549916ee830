"""A real Celery worker process against real Redis and PostgreSQL.

The worker runs the production settings (`ecomops.settings`) and the real
embedded models; the test process publishes to the same Redis and shares the
pytest-django test database with it (data must be committed: transactional_db).
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from ecomops.celery import app as celery_app
from tests.integration.celery_worker import WorkerPool, drop_connection_pool, purge_broker, worker_env


@pytest.fixture(scope="module")
def redis_url():
    """The test Redis (CI: .ci/run), or a skip that says what is missing."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("integration tests need PostgreSQL: set DATABASE_URL=postgres://...")
    url = os.environ.get("ECOMOPS_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("integration tests need Redis: set ECOMOPS_TEST_REDIS_URL=redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at ECOMOPS_TEST_REDIS_URL={url} is unreachable: {exc}")
    return url


@pytest.fixture(scope="module")
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def broker(redis_url, redis_client):
    """Switch this process's Celery app from eager mode to the real Redis broker (restored afterwards)."""
    keys = ("task_always_eager", "broker_url", "broker_transport_options")
    saved = {key: celery_app.conf[key] for key in keys}
    drop_connection_pool()
    celery_app.conf.update(
        task_always_eager=False, broker_url=redis_url, broker_transport_options={"visibility_timeout": 3600}
    )
    with celery_app.pool.acquire(block=True) as conn:  # the pool was rebuilt from the new URL
        assert conn.transport.driver_type == "redis", conn.as_uri()
    purge_broker(redis_client)
    yield redis_client
    purge_broker(redis_client)
    drop_connection_pool()
    celery_app.conf.update(saved)


@pytest.fixture(scope="module")
def workers(broker, redis_url, django_db_setup, tmp_path_factory):
    pool = WorkerPool(env=worker_env(redis_url), log_dir=tmp_path_factory.mktemp("celery-worker"))
    try:
        pool.start()
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def worker(workers):
    """The running worker (a test that kills one leaves a fresh one for the next)."""
    return workers.ensure_running()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    pool = getattr(item, "funcargs", {}).get("workers")
    if report.failed and isinstance(pool, WorkerPool):
        report.sections.append(("celery worker log", pool.log()))
