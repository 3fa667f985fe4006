"""The review report's data and chart: one source for the web page (views.py) and the PDF (pdf.py)."""

from typing import Any

from ipshub.fidelity import selectors
from ipshub.fidelity.charts import score_chart
from ipshub.fidelity.models import Review


def report_context(review: Review) -> dict[str, Any]:
    report = selectors.report_for(review)
    title = f"Item scores, {review.program}" + (
        f", compared with the review delivered {report.previous.report_date:%B %-d, %Y}" if report.previous else ""
    )
    return {
        "report": report,
        "chart": score_chart(report.rows, has_previous=report.previous is not None, title=title),
    }
