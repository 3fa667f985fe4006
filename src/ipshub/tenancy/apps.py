from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "ipshub.tenancy"
    verbose_name = "States, organizations, people and programs"
