"""Run real `celery worker` processes for the integration tests, and wait on them."""

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


def purge_broker(client) -> None:
    for pattern in BROKER_KEY_PATTERNS:
        keys = list(client.scan_iter(match=pattern))
        if keys:
            client.delete(*keys)


def drop_connection_pool() -> None:
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
