"""The `ipshub` console script: Django's manage.py under the product's name.

Every Django command works through it (`ipshub migrate`, `ipshub check`, ...), plus the
product's own commands (`ipshub demo`, `ipshub seed`, `ipshub catalog --json`, ...).
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line

NO_SECRET_COMMANDS = {"demo", "catalog", "seed", "bench", "compile_translations", "extract_messages"}
# Commands spelt with hyphens on the command line (Django's names are module names, with underscores).
HYPHENATED = {"compile-translations", "extract-messages"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in HYPHENATED:
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshub.settings")
    # These commands run without any configuration: they choose demo mode before settings load,
    # so they never need a secret key (none of them serves pages or signs anything).
    if len(argv) > 1 and argv[1] in NO_SECRET_COMMANDS:
        os.environ.setdefault("IPSHUB_MODE", "demo")
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        # Bad configuration is the operator's to fix: say what and how, no traceback.
        print(f"ipshub: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
