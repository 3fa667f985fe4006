from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ipshub.accounts"
    verbose_name = "Sign-in, two-factor authentication and sessions"

    def ready(self) -> None:
        from ipshub.accounts import checks  # noqa: F401  (registers the deploy checks)
