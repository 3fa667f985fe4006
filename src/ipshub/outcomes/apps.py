from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ipshub.outcomes"
    verbose_name = "Quarterly outcomes, goals and benchmarks"
