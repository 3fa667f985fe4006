from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "ipshub.collaboration"
    verbose_name = "Meetings, training and technical assistance"
