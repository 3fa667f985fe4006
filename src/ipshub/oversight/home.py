"""The state team's home panel: break-glass uses to review. (Wired in by web/home.py's panel list.)"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.oversight import reports
from ipshub.tenancy.models import Person


def panels(person: Person) -> list[Panel]:
    if not reports.can_read_reports(person):
        return []
    now = timezone.now()
    counts = reports.breakglass_grants_for(person).aggregate(
        active=Count("id", filter=Q(starts_at__lte=now, ends_at__gt=now)),
        recent=Count("id", filter=Q(starts_at__gte=now - datetime.timedelta(days=30))),
    )
    return [Panel("audit/home_breakglass.html", counts, order=15)]
