"""Progress of asynchronous work, as a merchant sees it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ecomops.tenancy.models import StoreOwned


class Job(StoreOwned):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Finished with failures"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=60, help_text="What the job does, e.g. catalog.generate_copy.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["store", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.processed}/{self.total})"

    def get_absolute_url(self) -> str:
        return reverse("api:job-detail", args=[self.pk])

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))

    @property
    def finished(self) -> bool:
        return self.state in {self.State.SUCCEEDED, self.State.PARTIAL, self.State.FAILED}


class JobChunk(models.Model):
    """A slice of a job's items that one task runs; finishing it is claimed once,
    so a redelivered task never counts its items twice."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    item_ids = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    deliveries = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_chunk_per_index")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.index} ({self.state})"
