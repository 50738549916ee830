from __future__ import annotations

from rest_framework import mixins, serializers

from ecomops.jobs.models import Job
from ecomops.tenancy.api import StoreScopedViewSet


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id", "store", "kind", "state", "total", "done", "failed", "percent", "finished",
            "params", "model_name", "error", "created_at", "started_at", "finished_at",
        ]
        read_only_fields = fields


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """Progress of background work: poll `GET /api/v1/jobs/{id}/` until `finished`."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    api_key_actions = {"retrieve"}
    filterset_fields = ["store", "kind", "state"]
    ordering_fields = ["created_at", "finished_at"]
