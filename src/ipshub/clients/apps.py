from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "ipshub.clients"
    verbose_name = "Client services"
