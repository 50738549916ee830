"""Start jobs, split them into chunks, and count progress exactly once per chunk."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now

from ecomops.jobs.models import Job, JobChunk

logger = logging.getLogger(__name__)

# A chunk delivered this often without finishing (worker killed mid-chunk each time)
# is marked failed instead of looping forever (Celery: reject_on_worker_lost loops).
MAX_DELIVERIES = 3


@dataclass(frozen=True)
class ChunkOutcome:
    done: int
    failed: int
    error: str = ""


def start_job(
    *, store, kind: str, item_ids: Sequence, task, chunk_size: int, user=None, params=None, model_name=""
) -> Job:
    """Create a job over `item_ids` and enqueue one `task(chunk_id=...)` per chunk after commit."""
    item_ids = list(item_ids)
    with transaction.atomic():
        job = Job.objects.create(
            store=store,
            kind=kind,
            requested_by=user if getattr(user, "_meta", None) else None,
            total=len(item_ids),
            params=params or {},
            model_name=model_name,
        )
        chunks = JobChunk.objects.bulk_create(
            JobChunk(job=job, index=i, item_ids=item_ids[start : start + chunk_size])
            for i, start in enumerate(range(0, len(item_ids), chunk_size))
        )
        if not chunks:
            Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, finished_at=Now())
        for chunk in chunks:
            transaction.on_commit(partial(task.delay, chunk_id=chunk.pk))
    job.refresh_from_db()
    return job


def run_chunk(*, chunk_id: int, work: Callable[[Job, list], ChunkOutcome]) -> None:
    """The body of every chunk task: claim a delivery, do the work, record it once."""
    with transaction.atomic():
        chunk = JobChunk.objects.select_for_update().select_related("job").filter(pk=chunk_id).first()
        if chunk is None or chunk.state != JobChunk.State.PENDING:
            return  # deleted job, or a duplicate delivery of a finished chunk
        chunk.deliveries += 1
        chunk.save(update_fields=["deliveries"])
    job = chunk.job
    if chunk.deliveries > MAX_DELIVERIES:
        _finish_chunk(chunk, ChunkOutcome(0, len(chunk.item_ids), "Gave up after repeated worker losses."))
        return
    Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(state=Job.State.RUNNING, started_at=Now())
    try:
        outcome = work(job, list(chunk.item_ids))
    except Exception as exc:
        if _is_transient(exc):
            raise  # the task's autoretry takes it from here
        logger.exception("Chunk %s of job %s failed", chunk.index, job.pk)
        outcome = ChunkOutcome(0, len(chunk.item_ids), f"{type(exc).__name__}: {exc}")
    _finish_chunk(chunk, outcome)


def _is_transient(exc: Exception) -> bool:
    from ecomops.celery import TransientError

    return isinstance(exc, (TransientError, ConnectionError, TimeoutError))


def _finish_chunk(chunk: JobChunk, outcome: ChunkOutcome) -> None:
    state = JobChunk.State.DONE if not outcome.error else JobChunk.State.FAILED
    with transaction.atomic():
        claimed = JobChunk.objects.filter(pk=chunk.pk, state=JobChunk.State.PENDING).update(
            state=state, error=outcome.error[:2000]
        )
        if not claimed:
            return
        Job.objects.filter(pk=chunk.job_id).update(
            done=F("done") + outcome.done, failed=F("failed") + outcome.failed, updated_at=Now()
        )
        if outcome.error:
            Job.objects.filter(pk=chunk.job_id, error="").update(error=outcome.error[:2000])
        _close_if_complete(chunk.job_id)


def _close_if_complete(job_id: int) -> None:
    if JobChunk.objects.filter(job_id=job_id, state=JobChunk.State.PENDING).exists():
        return
    job = Job.objects.get(pk=job_id)
    if job.failed == 0:
        state = Job.State.SUCCEEDED
    elif job.done == 0:
        state = Job.State.FAILED
    else:
        state = Job.State.PARTIAL
    Job.objects.filter(pk=job_id, finished_at__isnull=True).update(state=state, finished_at=Now())
