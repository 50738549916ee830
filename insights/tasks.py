from celery import shared_task

from ecomops.celery import TASK_DEFAULTS


@shared_task(name="insights.score_reviews_chunk", queue="ml", **TASK_DEFAULTS)
def score_reviews_chunk(*, chunk_id: int, **_ignored) -> None:
    from ecomops.jobs.services import run_chunk
    from insights.services import score_reviews_chunk as work

    run_chunk(chunk_id=chunk_id, work=work)


@shared_task(name="insights.write_summaries", queue="ml", **TASK_DEFAULTS)
def write_summaries(*, store_id: int, product_ids: list[int], **_ignored) -> None:
    from ecomops.tenancy.models import Store
    from insights.summaries import write_summaries as work

    store = Store.objects.filter(pk=store_id).first()
    if store is not None:
        work(store=store, product_ids=product_ids)


@shared_task(name="insights.weekly_reports", queue="default", **TASK_DEFAULTS)
def weekly_reports(**_ignored) -> None:
    from insights.reports import write_weekly_reports

    write_weekly_reports()
