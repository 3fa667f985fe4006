"""`ipshub fidelity_pdf_bench`: render a full review's PDF and print how long it took (target < 2 s)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipshub.fidelity import pdf
from ipshub.fidelity.models import Review


class Command(BaseCommand):
    help = "Render the PDF report of a delivered fidelity review and print the time it takes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--review", type=int, help="Review id (default: the latest delivered review).")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args: Any, review: int | None = None, repeat: int = 3, **options: Any) -> None:
        reviews = Review.objects.filter(status=Review.Status.DELIVERED)
        chosen = reviews.filter(pk=review).first() if review else reviews.order_by("-report_date", "-pk").first()
        if chosen is None:
            raise CommandError("No delivered review to render. Run `ipshub demo` (or pass --review ID).")
        self.stdout.write(pdf.bench_report(chosen, repeat=max(1, repeat)))
