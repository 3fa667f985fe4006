from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ipshub.catalog"
    verbose_name = "Roadmap and roles catalog"
