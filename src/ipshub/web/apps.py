from django.apps import AppConfig

from ipshub.lib.forms import install_plain_messages


class WebConfig(AppConfig):
    name = "ipshub.web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        # The shell renders every form (web/forms.py): it also gives them the product's words for field errors.
        install_plain_messages()
