from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "ipshub.implementation"
    verbose_name = "Implementation tracking"

    def ready(self) -> None:
        from ipshub.implementation import reasons
        from ipshub.lib import translations

        # The work sources' "missing" texts, which a reopened assignment's reason quotes: extract-messages
        # collects them for translation (reasons.py).
        translations.EXTRA_SOURCES.append(reasons.work_messages)
