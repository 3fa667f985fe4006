from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ipshub.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # One of the three imports inside a function: the sign-in receivers need the models loaded.
        from ipshub.audit import signals  # noqa: F401
