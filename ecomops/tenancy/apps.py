from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "ecomops.tenancy"
    label = "tenancy"
    verbose_name = "Stores and access"
