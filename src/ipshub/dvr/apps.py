from django.apps import AppConfig


class DvrConfig(AppConfig):
    name = "ipshub.dvr"
    verbose_name = "DVR authorizations, deliverable reports and billing"
