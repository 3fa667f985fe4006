"""`ipshub outcomes-aggregate export --state WM --file F` publishes a state's aggregate file (CSV or XLSX by
the file's extension); `ipshub outcomes-aggregate import F` pools another install's file into this one's
roll-up (every row or none; every bad row listed)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.outcomes import aggregates
from ipshub.tenancy.models import State


class Command(BaseCommand):
    help = "Publish a state's aggregate outcome file, or import another install's into this roll-up."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write a state's aggregate file (no client data).")
        export.add_argument("--state", required=True, help="The state's two-letter code.")
        export.add_argument("--file", required=True, help="Where to write it (.csv or .xlsx).")
        imported = actions.add_parser("import", help="Import another install's aggregate file.")
        imported.add_argument("file", help="The .csv or .xlsx file.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["state"], options["file"])
        else:
            self._import(options["file"])

    def _export(self, code: str, filename: str) -> None:
        state = State.objects.filter(code=code.upper()).first()
        if state is None:
            raise CommandError(f"No state with the code {code!r}.")
        if not filename.lower().endswith((".csv", ".xlsx")):
            raise CommandError("Name the file .csv or .xlsx.")
        content = aggregates.aggregate_file_export(actor=None, state=state, filename=filename)
        Path(filename).write_bytes(content)
        rows = len(aggregates.export_rows(state))
        self.stdout.write(f"Wrote {rows} program-quarter(s) of {state} to {filename}.")

    def _import(self, filename: str) -> None:
        path = Path(filename)
        if not path.is_file():
            raise CommandError(f"No file {filename}.")
        try:
            result = aggregates.aggregate_file_import(actor=None, filename=path.name, content=path.read_bytes())
        except aggregates.AggregateFileError as exc:
            raise CommandError(str(exc)) from None
        if not result.committed:
            for error in result.errors:
                self.stderr.write(f"line {error.row}, {error.column}: {error.message}")
            raise CommandError(f"{result.bad_rows} bad row(s): nothing was imported.")
        self.stdout.write(f"Imported {result.rows} row(s): {result.created} new, {result.updated} replaced.")
