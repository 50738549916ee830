from celery import shared_task

from ecomops.celery import TASK_DEFAULTS


@shared_task(name="catalog.generate_copy_chunk", queue="ml", **TASK_DEFAULTS)
def generate_copy_chunk(*, chunk_id: int, **_ignored) -> None:
    from catalog.services import write_copy_chunk
    from ecomops.jobs.services import run_chunk

    run_chunk(chunk_id=chunk_id, work=write_copy_chunk)
