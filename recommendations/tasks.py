from celery import shared_task

from ecomops.celery import TASK_DEFAULTS


@shared_task(name="recommendations.train_store_recommender", queue="ml", **TASK_DEFAULTS)
def train_store_recommender(*, run_id: int, **_ignored) -> None:
    from recommendations.services import train_store

    train_store(run_id=run_id)


@shared_task(name="recommendations.refresh_all_stores", queue="ml", **TASK_DEFAULTS)
def refresh_all_stores(**_ignored) -> None:
    from recommendations.services import refresh_all_stores as refresh

    refresh()
