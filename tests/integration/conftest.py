"""A real Celery worker process against real Redis and PostgreSQL.

The worker runs the production settings (`ecomops.settings`) and the real
embedded models; the test process publishes to the same Redis and shares the
pytest-django test database with it (data must be committed: transactional_db).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from ecomops.celery import app as celery_app

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 90  # Django + Celery start in ~5 s on the 2-core CI box; leave head-room
STOP_TIMEOUT = 10  # an idle worker exits in ~1 s; one stuck in a task is killed
# Keys the kombu Redis transport keeps for our queues and late-acked messages.
BROKER_KEY_PATTERNS = ("ml*", "default*", "unacked*", "_kombu.binding.*")


class Worker:
    """One `celery worker` subprocess with its log in a file."""

    def __init__(self, *, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.name = f"itest-{uuid.uuid4().hex[:8]}@%h"

    def start(self) -> Worker:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ecomops",
            "worker",
            "-Q",
            "ml,default",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "-n",
            self.name,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is acked or restored."""
        if self.alive:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        if not self.alive:
            return
        self.proc.terminate()  # warm shutdown: finishes the current task
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self, last: int | None = 12000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
            return text[-last:] if last else text
        except FileNotFoundError:
            return ""

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if not self.alive:
                pytest.fail(f"Celery worker exited with {self.proc.returncode} before ready:\n{self.log()}")
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"Celery worker not ready after {READY_TIMEOUT} s:\n{self.log()}")


def wait_until(predicate, *, timeout: float, what: str, worker: Worker | None = None, interval: float = 0.2):
    """Poll `predicate` until it returns a truthy value; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker is not None and not worker.alive:
            pytest.fail(f"Worker died while waiting for {what}:\n{worker.log()}")
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}" + (f":\n{worker.log()}" if worker else ""))


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


def purge_broker(client) -> None:
    for pattern in BROKER_KEY_PATTERNS:
        keys = list(client.scan_iter(match=pattern))
        if keys:
            client.delete(*keys)


@pytest.fixture(scope="module")
def broker(redis_url, redis_client):
    """Switch this process's Celery app from eager mode to the real Redis broker (restored afterwards)."""
    keys = ("task_always_eager", "broker_url", "broker_transport_options")
    saved = {key: celery_app.conf[key] for key in keys}
    _drop_connection_pool()
    celery_app.conf.update(
        task_always_eager=False, broker_url=redis_url, broker_transport_options={"visibility_timeout": 3600}
    )
    with celery_app.pool.acquire(block=True) as conn:  # the pool was rebuilt from the new URL
        assert conn.transport.driver_type == "redis", conn.as_uri()
    purge_broker(redis_client)
    yield redis_client
    purge_broker(redis_client)
    _drop_connection_pool()
    celery_app.conf.update(saved)


def _drop_connection_pool() -> None:
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def worker_env(redis_url: str) -> dict[str, str]:
    """Production settings pointed at the test database and the test Redis."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = f"{auth}@" if auth else ""
    database_url = f"postgres://{host}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DJANGO_", "PYTEST_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ecomops.settings",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=redis_url,
        SECRET_KEY="integration-tests-only",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


class WorkerPool:
    """The module's workers: one runs at a time; every one started is stopped at the end."""

    def __init__(self, *, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.started: list[Worker] = []

    @property
    def current(self) -> Worker:
        return self.started[-1]

    def start(self) -> Worker:
        worker = Worker(env=self.env, log_path=self.log_dir / f"worker-{len(self.started) + 1}.log")
        self.started.append(worker)
        return worker.start()

    def ensure_running(self) -> Worker:
        return self.current if self.started and self.current.alive else self.start()

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()

    def log(self) -> str:
        return "\n".join(f"--- {w.log_path.name} ---\n{w.log()}" for w in self.started)


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
