from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The pages over the audit trail: the event list, the audit reports and break-glass. No models:
    the events and grants they read are the audit app's (`ipshub.audit`)."""

    name = "ipshub.oversight"
    verbose_name = "Oversight"
