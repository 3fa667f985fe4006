"""The review report's data and chart: one source for the web page (views.py) and the PDF (pdf.py)."""

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ipshub.fidelity import selectors
from ipshub.fidelity.charts import score_chart
from ipshub.fidelity.models import Review


def report_context(review: Review) -> dict[str, Any]:
    report = selectors.report_for(review)
    if report.previous:
        title = _("Item scores, %(program)s, compared with the review delivered %(day)s") % {
            "program": review.program,
            "day": date_format(report.previous.report_date, "F j, Y") if report.previous.report_date else "",
        }
    else:
        title = _("Item scores, %(program)s") % {"program": review.program}
    return {
        "report": report,
        "chart": score_chart(report.rows, has_previous=report.previous is not None, title=title),
    }
