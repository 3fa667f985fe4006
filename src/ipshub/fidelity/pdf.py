"""The review report as a PDF, from the same report data and SVG chart as the web page."""

import time
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from ipshub.fidelity.models import Review
from ipshub.fidelity.report import report_context
from ipshub.lib.pdf import weasyprint

CSS_FILE = Path(__file__).parent / "static" / "fidelity" / "report-pdf.css"


def report_document(review: Review, *, base_url: str = "/") -> Any:
    """The laid-out report (a WeasyPrint Document): its pages, and the PDF it writes."""
    printer = weasyprint()
    context = report_context(review)
    context.update(review=review, printed_on=timezone.localdate())
    html = render_to_string("fidelity/report_pdf.html", context)
    stylesheet = printer.CSS(filename=str(CSS_FILE))
    return printer.HTML(string=html, base_url=base_url).render(stylesheets=[stylesheet])


def render_report_pdf(review: Review, *, base_url: str = "/") -> bytes:
    pdf: bytes = report_document(review, base_url=base_url).write_pdf()  # WeasyPrint ships no types
    return pdf


def document_text(document: Any) -> str:
    """The text laid out on the document's pages, in order (to check what the PDF says)."""
    words: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            words.append(text)
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(words)


def bench(review: Review) -> tuple[float, int]:
    """Render the review's PDF once; return (seconds, bytes)."""
    started = time.perf_counter()
    content = render_report_pdf(review)
    return time.perf_counter() - started, len(content)


def bench_report(review: Review, repeat: int = 3) -> str:
    """What `ipshub fidelity_pdf_bench` (or `ipshub bench`) prints: each run's time and the verdict."""
    runs = [bench(review) for _ in range(repeat)]
    best = min(seconds for seconds, _ in runs)
    lines = [f"Fidelity report PDF for review {review.pk} ({review.program}): {runs[0][1]:,} bytes"]
    lines += [f"  run {n}: {seconds:.3f} s" for n, (seconds, _) in enumerate(runs, start=1)]
    lines.append(f"  best {best:.3f} s — {'within' if best < 2 else 'OVER'} the 2 s target")
    return "\n".join(lines)
