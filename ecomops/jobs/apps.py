from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ecomops.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
