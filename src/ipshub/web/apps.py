from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ipshub.web"
    verbose_name = "Web shell"
