from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ipshub.demo"
    verbose_name = "Demo and generated data"
