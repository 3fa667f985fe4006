"""No client data in URLs, logs or e-mails.

Every log record (the root logger and django's at DEBUG; only django.db.backends, the SQL echo that is
off in production, is left out) is captured while a specialist searches, opens and edits a client
record, runs into a 400, a 404 and a 409, uses the API (ok, 400, 404), and `ipshub remind` e-mails
the digest that now carries the client's due item. Not one log line, e-mail or link carries the
client's name, birth date, phone, e-mail or record number: links and reminders name the record by id."""

import datetime
import io
import logging
import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.clients import services
from ipshub.collaboration.models import DigestFrequency, NotificationPreference
from tests.clients.factories import days_ago, employer, start_job
from tests.world import World

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1987, 3, 14)
IDENTIFYING = [
    "Zebulon",
    "Quaritch",
    "Zeb Q",  # preferred name
    "1987-03-14",
    "03/14/1987",
    "Mar 14, 1987",
    "March 14, 1987",
    "555) 014-2987",
    "zebulon.q@example.org",
    "MRN-77431",
]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.name} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        request = getattr(record, "request", None)
        if hasattr(request, "get_full_path"):
            text += f" {request.get_full_path()}"  # the URL a request log line is about, query string included
        self.lines.append(text)


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    root, django_logger, sql = logging.getLogger(), logging.getLogger("django"), logging.getLogger("django.db.backends")
    levels = (root.level, django_logger.level, sql.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    django_logger.setLevel(logging.DEBUG)
    sql.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        django_logger.setLevel(levels[1])
        sql.setLevel(levels[2])


def _leaks(text: str) -> list[str]:
    return [value for value in IDENTIFYING if value.lower() in text.lower()]


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', html)


def test_no_client_data_in_logs_urls_or_emails(world: World, captured: Capture) -> None:
    specialist = world.people["specialist"]
    referral = services.referral_create(
        actor=world.people["case_manager"],
        program=world.programs["p1"],
        first_name="Zebulon",
        last_name="Quaritch",
        preferred_name="Zeb Q",
        birth_date=BIRTH,
        record_number="MRN-77431",
        phone="(555) 014-2987",
        email="zebulon.q@example.org",
        referral_date=days_ago(40),
        referral_source="case_manager",
    )
    services.enrollment_assign(actor=world.people["supervisor"], enrollment=referral, specialist=specialist)
    job = start_job(specialist, referral, employer(world), started=20)
    NotificationPreference.objects.create(person=specialist, frequency=DigestFrequency.DAILY)
    del captured.lines[:]  # from here on: what people do

    web = Client(raise_request_exception=False)
    web.force_login(specialist)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=specialist, person=specialist, name='t')[1]}")
    record = reverse("clients:detail", kwargs={"enrollment_id": referral.pk})
    urls: list[str] = []
    pages: list[str] = []

    def get(client: Client, url: str, status: int, **data: str) -> str:
        response = client.get(url, data)
        assert response.status_code == status, (url, response.status_code)
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        pages.append(response.content.decode())
        return pages[-1]

    def post(url: str, data: dict, status: int) -> str:
        response = web.post(url, data)
        assert response.status_code == status, (url, response.status_code, response.content[:300])
        urls.append(url)
        if response.status_code in (301, 302):
            urls.append(response["Location"])
        else:
            pages.append(response.content.decode())
        return response["Location"] if response.status_code == 302 else ""

    # Search the caseload by name: the name goes in the POST body, the URL gets a random key.
    found = post(reverse("clients:caseload"), {"q": "Quaritch", "status": "open"}, 302)
    assert "Quaritch" in get(web, found, 200)
    assert "Quaritch" in get(web, record, 200)
    plan = reverse("clients:job_search_plan", kwargs={"enrollment_id": referral.pk})
    get(web, plan, 200)
    post(plan, {"goal": "Zebulon wants to work in a bakery", "version": "0"}, 302)
    post(plan, {"goal": "A stale save", "version": "0"}, 409)  # a conflict
    post(plan, {"goal": "", "version": "1"}, 400)  # bad input
    get(web, reverse("clients:detail", kwargs={"enrollment_id": referral.pk + 999}), 404)
    get(web, reverse("clients:job_end", kwargs={"enrollment_id": referral.pk, "job_id": job.pk + 999}), 404)
    end = reverse("clients:job_end", kwargs={"enrollment_id": referral.pk, "job_id": job.pk})
    post(end, {"ended_on": days_ago(-3).isoformat(), "end_reason": "quit"}, 400)  # in the future
    post(end, {"ended_on": days_ago(1).isoformat(), "end_reason": "quit"}, 302)
    get(web, record, 200)

    api_record = f"/api/v1/clients/{referral.pk}/"
    assert api.get(api_record).json()["client"]["last_name"] == "Quaritch"
    assert api.get(f"/api/v1/clients/{referral.pk + 999}/").status_code == 404
    assert api.post(f"/api/v1/clients/{referral.pk}/jobs/", {"title": ""}, format="json").status_code == 400

    out = io.StringIO()
    call_command("remind", date=datetime.date.today().isoformat(), base_url="https://ipshub.example", stdout=out)
    digests = [m for m in mail.outbox if specialist.email in m.to]
    assert digests, "the specialist's digest was sent"
    assert f"https://ipshub.example/clients/{referral.pk}/record/jobs/" in digests[0].body  # the record by id only

    assert captured.lines, "the logs were captured"
    assert any("Not Found" in line for line in captured.lines) and any("Bad Request" in line for line in captured.lines)
    for line in [*captured.lines, out.getvalue()]:
        assert not _leaks(line), f"client data in a log line: {line[:500]}"
    for message in mail.outbox:
        texts = [message.subject, message.body, *(str(content) for content, _ in getattr(message, "alternatives", []))]
        for text in texts:
            assert not _leaks(text), f"client data in an e-mail to {message.to}: {text[:500]}"
            for link in _links(text) + re.findall(r"https?://\S+", text):
                assert not _leaks(link), link
    for url in urls:
        assert not _leaks(url), f"client data in a URL: {url}"
    for html in pages:
        for link in _links(html):
            assert not _leaks(link), f"client data in a link: {link}"
