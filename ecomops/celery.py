"""The Celery app: queues by workload, reliable defaults for every task."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomops.settings")

app = Celery("ecomops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("ml", Exchange("ml"), routing_key="ml"),
)
# Inference goes to "ml" (a GPU worker runs it with --pool=solo); the rest to "default".
app.conf.task_routes = {
    "catalog.*": {"queue": "ml"},
    "support.*": {"queue": "ml"},
    "insights.*": {"queue": "ml"},
    "recommendations.*": {"queue": "ml"},
    "jobs.*": {"queue": "default"},
}
app.conf.beat_schedule = {
    "nightly-recommender-refresh": {
        "task": "recommendations.refresh_all_stores",
        "schedule": crontab(hour=3, minute=0),
    },
    "weekly-insights-report": {
        "task": "insights.weekly_reports",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
    },
}
app.autodiscover_tasks()


class TransientError(Exception):
    """A failure worth retrying (lost connection, busy device): tasks retry only these."""


# The one template every task follows (STYLE.md rule 5): late ack, redelivery on a
# dead worker, bounded retries for transient errors only, and a time limit.
TASK_DEFAULTS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (TransientError, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "soft_time_limit": 540,
    "time_limit": 600,
}
