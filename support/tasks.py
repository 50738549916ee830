from celery import shared_task

from ecomops.celery import TASK_DEFAULTS


@shared_task(name="support.triage_tickets_chunk", queue="ml", **TASK_DEFAULTS)
def triage_tickets_chunk(*, chunk_id: int, **_ignored) -> None:
    from ecomops.jobs.services import run_chunk
    from support.services import triage_chunk

    run_chunk(chunk_id=chunk_id, work=triage_chunk)


@shared_task(name="support.draft_replies_chunk", queue="ml", **TASK_DEFAULTS)
def draft_replies_chunk(*, chunk_id: int, **_ignored) -> None:
    from ecomops.jobs.services import run_chunk
    from support.services import draft_chunk

    run_chunk(chunk_id=chunk_id, work=draft_chunk)
