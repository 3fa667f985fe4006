from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ipshub.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from ipshub.audit import signals  # noqa: F401  (connects the sign-in receivers)
