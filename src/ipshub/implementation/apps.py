from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "ipshub.implementation"
    verbose_name = "Implementation tracking"
