import pytest

from ecomops.jobs.models import Job, JobChunk
from ecomops.jobs.services import MAX_DELIVERIES, ChunkOutcome, run_chunk, start_job

pytestmark = pytest.mark.django_db


class RecordingTask:
    """Stands in for a Celery task: records what would be enqueued."""

    def __init__(self):
        self.sent: list[dict] = []

    def delay(self, **kwargs):
        self.sent.append(kwargs)


def _start(store, items, chunk_size=2):
    task = RecordingTask()
    job = start_job(store=store, kind="test.work", item_ids=items, task=task, chunk_size=chunk_size)
    return job, task


def test_start_job_splits_items_into_chunks_enqueued_after_commit(store, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        job, task = _start(store, [1, 2, 3, 4, 5])
    # then
    assert job.total == 5
    assert [c.item_ids for c in job.chunks.all()] == [[1, 2], [3, 4], [5]]
    assert len(task.sent) == 3


def test_nothing_is_enqueued_when_the_transaction_rolls_back(store, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _start(store, [1, 2])
    # on_commit holds the send: a rolled-back request never reaches the worker
    assert len(callbacks) == 1


def test_empty_job_is_finished_at_once(store):
    job, task = _start(store, [])
    assert job.state == Job.State.SUCCEEDED
    assert task.sent == []


def test_run_chunk_counts_progress_and_closes_job(store):
    job, _ = _start(store, [1, 2, 3], chunk_size=3)
    chunk = job.chunks.get()
    # when
    run_chunk(chunk_id=chunk.pk, work=lambda job, ids: ChunkOutcome(done=2, failed=1))
    # then
    job.refresh_from_db()
    assert (job.done, job.failed, job.state) == (2, 1, Job.State.PARTIAL)
    assert job.started_at and job.finished_at


def test_duplicate_delivery_is_counted_once(store):
    job, _ = _start(store, [1, 2], chunk_size=2)
    chunk = job.chunks.get()
    calls = []

    def work(job, ids):
        calls.append(ids)
        return ChunkOutcome(done=len(ids), failed=0)

    # when the broker delivers the same chunk twice
    run_chunk(chunk_id=chunk.pk, work=work)
    run_chunk(chunk_id=chunk.pk, work=work)
    # then
    job.refresh_from_db()
    assert job.done == 2
    assert len(calls) == 1
    assert job.state == Job.State.SUCCEEDED


def test_chunk_that_raises_is_marked_failed_with_its_error(store):
    job, _ = _start(store, [1, 2], chunk_size=2)

    def work(job, ids):
        raise ValueError("model produced nothing")

    run_chunk(chunk_id=job.chunks.get().pk, work=work)
    job.refresh_from_db()
    assert (job.failed, job.state) == (2, Job.State.FAILED)
    assert "model produced nothing" in job.error


def test_transient_error_propagates_for_retry_and_leaves_chunk_pending(store):
    from ecomops.celery import TransientError

    job, _ = _start(store, [1], chunk_size=1)

    def work(job, ids):
        raise TransientError("redis blinked")

    with pytest.raises(TransientError):
        run_chunk(chunk_id=job.chunks.get().pk, work=work)
    assert job.chunks.get().state == JobChunk.State.PENDING


def test_chunk_redelivered_after_repeated_worker_loss_is_given_up(store):
    job, _ = _start(store, [1, 2], chunk_size=2)
    JobChunk.objects.filter(job=job).update(deliveries=MAX_DELIVERIES)
    called = []
    run_chunk(chunk_id=job.chunks.get().pk, work=lambda job, ids: called.append(ids))
    job.refresh_from_db()
    assert called == []
    assert (job.failed, job.state) == (2, Job.State.FAILED)


def test_job_api_reports_progress(alice_client, store):
    job, _ = _start(store, [1, 2, 3, 4], chunk_size=2)
    run_chunk(chunk_id=job.chunks.first().pk, work=lambda job, ids: ChunkOutcome(done=2, failed=0))
    body = alice_client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (body["done"], body["total"], body["percent"], body["finished"]) == (2, 4, 50, False)
    assert body["state"] == "running"
