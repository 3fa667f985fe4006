from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "ipshub.fidelity"
    verbose_name = "Fidelity reviews"
