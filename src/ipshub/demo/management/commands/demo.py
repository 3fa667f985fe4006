from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ipshub.catalog.services import catalog_load
from ipshub.demo.demo_state import DEMO_LOGINS, DEMO_PASSWORD, build_demo_state, demo_exists
from ipshub.tenancy.roles import Role


class Command(BaseCommand):
    help = "Set up the demo (migrate, load the catalog and the fictional state of Westmark) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Set up the demo data and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        if not 1 <= port <= 65535:
            self.stderr.write(f"--port {port} is not a port number: use 1–65535.")
            raise SystemExit(2)
        call_command("migrate", interactive=False, verbosity=0)
        loaded = catalog_load()
        self.stdout.write("Catalog: " + ", ".join(f"{d} {'loaded' if v else 'up to date'}" for d, v in loaded.items()))
        if demo_exists():
            self.stdout.write("Demo state of Westmark: already set up (nothing added).")
        else:
            build_demo_state()
            self.stdout.write("Demo state of Westmark: created.")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            language = f" (interface in {dict(settings.LANGUAGES)[login.language]})" if login.language else ""
            self.stdout.write(f"  {login.username:<14} {Role(login.role).label} — {login.organization}{language}")
        if not settings.IPSHUB_MFA_REQUIRED:
            self.stdout.write(
                "Two-factor sign-in is off in the demo (IPSHUB_MFA_REQUIRED=1 turns it on); production always needs it."
            )
        if options["no_serve"]:
            return
        self.stdout.write(f"\nIPS Hub demo: open http://127.0.0.1:{port}/ (Ctrl-C stops it)\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True)
