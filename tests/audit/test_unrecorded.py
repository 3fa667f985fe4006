"""If the audit write fails, the data is not shown (nor changed).

The audit table is made to refuse inserts for real — a trigger on SQLite and on PostgreSQL, nothing of
the product replaced — and a specialist then opens the client's page, the caseload, the API record
and saves a form: each answer is a 503 saying the access could not be recorded, without the client's
data, and nothing is written."""

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.audit.models import AuditEvent
from ipshub.clients.models import JobSearchPlan
from tests.clients.factories import enroll
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

REFUSE = {
    "sqlite": [
        "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'the audit store refuses writes'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit store refuses writes'; END $$",
        "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()",
    ],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER IF EXISTS test_refuse_audit"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS test_refuse_audit ON audit_auditevent",
        "DROP FUNCTION IF EXISTS test_refuse_audit()",
    ],
}


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_no_client_data_leaves_when_the_audit_write_fails() -> None:
    world = build_world(with_catalog=False)
    enrollment = enroll(world, first="Marisol", last="Quintanilla")
    specialist = world.people["specialist"]
    browser = Client(raise_request_exception=False)
    browser.force_login(specialist)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=specialist, person=specialist, name='t')[1]}")
    record = f"/clients/{enrollment.pk}/"
    plan = f"/clients/{enrollment.pk}/job-search/"
    api_record = f"/api/v1/clients/{enrollment.pk}/"
    # While the audit trail works, all of these show the client.
    assert "Quintanilla" in browser.get(record).content.decode()
    assert api.get(api_record).json()["client"]["last_name"] == "Quintanilla"

    events = AuditEvent.objects.count()
    _run(REFUSE[connection.vendor])
    try:
        answers = {
            "page": browser.get(record),
            "caseload": browser.get("/clients/"),
            "form save": browser.post(plan, {"goal": "Barista", "version": "0"}),
            "api": api.get(api_record),
            "api list": api.get("/api/v1/clients/"),
        }
    finally:
        _run(ALLOW[connection.vendor])

    for name, response in answers.items():
        body = response.content.decode()
        assert response.status_code == 503, (name, response.status_code)
        assert "Quintanilla" not in body and "Marisol" not in body and "1990" not in body, name
        assert "could not record this access" in body, name
        assert response["Cache-Control"] == "no-store"
    assert answers["api"].json()["error"]["code"] == "audit_unavailable"
    assert "<h1>IPS Hub could not record this access</h1>" in answers["page"].content.decode()
    assert AuditEvent.objects.count() == events  # nothing was recorded, and so…
    assert not JobSearchPlan.objects.filter(enrollment=enrollment).exists()  # …nothing was written

    # Once the audit trail takes writes again, the same page works without a restart.
    assert "Quintanilla" in browser.get(record).content.decode()
