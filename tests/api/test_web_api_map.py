"""Every action a person can take on the web has an API operation that calls the same service (issue #22).

`WEB_TO_API` is the reviewed map: each web route that writes (its view handles a POST or calls a service that
writes) names the API operations that do the same, by route name, or says why there is none. The test finds the
web's writing routes itself, from the URL configuration and the views' code, so a new form without an API
operation (or without a reason) fails here; and for each mapped route it checks that every service the web view
calls is also called by one of the API views named, so the map can't point at an operation that does something
else."""

import inspect
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Services that only record a read (the audit trail of a disclosure) or read a setting: calling one does not make
# a view a write.
READS = {"record_view", "record_list", "catalog_current", "preference_for", "report_initial"}

# Why some web actions have no API operation. A token is the API's only credential, and it can't do what only a
# person at the keyboard should: sign in, prove a second factor, manage their own credentials.
SIGNED_IN_PERSON_ONLY = (
    "a person's own credentials: done at the keyboard with the second factor, never with a token (docs/api.md §1)"
)
BREAK_GLASS = (
    "emergency access is asked for by a person at the keyboard, with a reason the privacy officer reviews; a token "
    "must never widen its own access"
)
WEB_PAGE_TOOL = "a page's own tool; the API's answer to it is named in the reason"

WEB_TO_API: dict[str, tuple[str, ...] | str] = {
    # The shell and the person's own account.
    ":search": "the search box; the API searches with POST /clients/search/ and /clients/shared/search/",
    "accounts:mfa_verify": SIGNED_IN_PERSON_ONLY,
    "accounts:mfa_setup": SIGNED_IN_PERSON_ONLY,
    "accounts:mfa_enrol": SIGNED_IN_PERSON_ONLY,
    "accounts:mfa_enrol_email": SIGNED_IN_PERSON_ONLY,
    "accounts:backup_codes_renew": SIGNED_IN_PERSON_ONLY,
    "tokens:list": SIGNED_IN_PERSON_ONLY + "; a token can't make tokens",
    "tokens:revoke": SIGNED_IN_PERSON_ONLY,
    "tenancy:person_enrolment_code": SIGNED_IN_PERSON_ONLY + "; the code is handed to the person, never to a system",
    "audit:breakglass_request": BREAK_GLASS,
    # The spreadsheet import's page steps through one import; the API imports in one call.
    "tokens:imports": ("api:import-clients", "api:import-contacts", "api:import-jobs"),
    "tokens:import-job-step": "the import page's review step; the API's import checks and writes in one call",
    "tokens:import-job-commit": "the import page's commit step; the API's import checks and writes in one call",
    # The directory.
    "tenancy:program_create": ("api:program-list",),
    "tenancy:program_edit": ("api:program-detail",),
    "tenancy:minimum_wage_add": ("api:minimum-wage-list",),
    "tenancy:minimum_wage_edit": ("api:minimum-wage-detail",),
    "tenancy:organization_create": ("api:organization-list",),
    "tenancy:organization_edit": ("api:organization-detail",),
    "tenancy:person_create": ("api:person-list",),
    "tenancy:person_edit": ("api:person-detail",),
    "tenancy:membership_add": ("api:person-memberships",),
    "tenancy:membership_end": ("api:person-membership-end",),
    # A client's record.
    "clients:caseload": ("api:enrollment-caseload", "api:enrollment-list"),
    "clients:transfer": ("api:enrollment-transfer",),
    "clients:shared": ("api:enrollment-shared-list", "api:enrollment-shared-search"),
    "clients:refer": ("api:enrollment-list",),
    "clients:detail": ("api:enrollment-detail",),
    "clients:assign": ("api:enrollment-detail",),
    "clients:advance": ("api:enrollment-status",),
    "clients:close": ("api:enrollment-close",),
    "clients:reopen": ("api:enrollment-reopen",),
    "clients:consent_add": ("api:enrollment-consent-paper",),
    "clients:consent_revoke": ("api:enrollment-consent-revoke",),
    "clients:dvr_case": ("api:enrollment-dvr-case",),
    "clients:profile": ("api:enrollment-career-profile",),
    "clients:benefits": ("api:enrollment-benefits-planning",),
    "clients:job_search_plan": ("api:enrollment-job-search-plan",),
    "clients:job_start": ("api:enrollment-job-start",),
    "clients:job_change": ("api:job-change",),
    "clients:job_end": ("api:job-end",),
    "clients:job_next_help": ("api:job-next-help",),
    "clients:education_add": ("api:enrollment-education",),
    "clients:support_add": ("api:enrollment-supports",),
    "clients:employer_create": ("api:employer-list",),
    "clients:contact_log": ("api:employer-contact-list",),
    "clients:contact_add": ("api:employer-contact-list",),
    "clients:consent_detail": ("api:enrollment-consent-detail",),
    "clients:consent_sign": ("api:enrollment-consent-list",),
    "clients:consent_prepare": "the web's draft holds the terms while the device is handed to the client; the API "
    "takes the terms and the signature in one request (POST /clients/{id}/consents/), so it never makes a draft",
    "clients:consent_draft_discard": "discards the web's draft (see clients:consent_prepare); the API makes none",
    "clients:release_template": ("api:release-template",),
    "clients:note_add": ("api:client-note-list",),
    "clients:note_correct": ("api:client-note-correct",),
    "clients:note_addendum": ("api:client-note-addenda",),
    "clients:document_add": ("api:client-document-list",),
    "clients:document_remove": ("api:client-document-remove",),
    "clients:record_notes": ("api:client-note-list", "api:client-note-search"),
    # API-only, so not in this map: POST /offline/sync/ (api:offline-sync) saves what the field page logged offline
    # through the services of the forms above (clients:contact_add, clients:support_add, clients:note_add,
    # collaboration:mentoring); the field page itself only reads.
    # Fidelity reviews.
    "fidelity:review_schedule": ("api:review-list",),
    "fidelity:review_reschedule": ("api:review-reschedule",),
    "fidelity:review_cancel": ("api:review-cancel",),
    "fidelity:review_team": ("api:review-team",),
    "fidelity:review_plan": ("api:review-plan",),
    "fidelity:agenda_standard": ("api:review-agenda-standard",),
    "fidelity:agenda_add": ("api:review-agenda",),
    "fidelity:review_score": ("api:review-scores",),
    "fidelity:scores_submit": ("api:review-scores-submit",),
    "fidelity:score_item_save": ("api:review-scores",),  # one item at a time: the API takes any subset
    "fidelity:review_consensus": ("api:review-consensus",),
    "fidelity:consensus_complete": ("api:review-consensus-complete",),
    "fidelity:report_overall": ("api:review-report",),
    "fidelity:report_deliver": ("api:review-report-deliver",),
    "fidelity:review_actions": ("api:review-actions",),
    "fidelity:actions_from_recommendations": ("api:review-actions-from-recommendations",),
    "fidelity:action_detail": ("api:action-detail",),
    "fidelity:action_delete": ("api:action-detail",),
    "fidelity:invitee_add": ("api:review-invitees",),
    "fidelity:invitee_answer": ("api:invitee-answer",),
    "fidelity:invitee_delete": ("api:invitee-detail",),
    "fidelity:specialist_time": ("api:program-specialist-times",),
    # Self-assessment (issue #26, branch fidself).
    "fidelity:self_assessment_new": ("api:program-self-assessments",),
    "fidelity:self_assessment_detail": ("api:self-assessment-detail",),
    "fidelity:self_assessment_item_save": ("api:self-assessment-item",),  # #26: one item as it is scored
    "fidelity:self_assessment_first_item": ("api:program-self-assessments",),  # the first item creates it
    # Review preparation (issue #26).
    "fidelity:document_answer": ("api:document-request-answer",),
    "fidelity:prep_task_mark": ("api:prep-task-done",),
    "fidelity:document_remove": ("api:document-upload-detail",),
    # The worksheet discloses client data: its pages and the API answer both record it (the same service).
    "fidelity:chart_worksheet": ("api:review-chart-worksheet", "api:review-chart-sample-size"),
    "fidelity:chart_worksheet_csv": ("api:review-chart-worksheet",),
    "fidelity:chart_worksheet_pdf": ("api:review-chart-worksheet",),
    # Quarterly outcomes.
    "outcomes:report_create": ("api:outcome-report-list",),
    "outcomes:report_compute": ("api:outcome-report-compute",),
    "outcomes:report_edit": ("api:outcome-report-detail",),
    "outcomes:report_correct": ("api:outcome-report-correct",),
    "outcomes:report_submit": ("api:outcome-report-submit",),
    "outcomes:report_review": ("api:outcome-report-return", "api:outcome-report-accept"),
    "outcomes:goals": ("api:outcome-goal-list",),
    "outcomes:goal_delete": ("api:outcome-goal-detail",),
    "outcomes:benchmarks": ("api:outcome-benchmarks",),
    "outcomes:upload": ("api:outcome-upload-list",),
    "outcomes:upload_detail": ("api:outcome-upload-commit",),
    # Learning-community exchange: an aggregate file checked, then imported.
    "outcomes:aggregate_upload": ("api:outcome-aggregate-file-list",),
    "outcomes:aggregate_upload_detail": ("api:outcome-aggregate-file-import",),
    # The implementation pages.
    "implementation:kickoff": ("api:program-kickoff",),
    "implementation:phase_override": ("api:program-phase",),
    "implementation:strategy": ("api:program-strategy-detail",),
    "implementation:strategy_evidence": ("api:program-strategy-evidence",),
    "implementation:assignment": ("api:assignment-detail",),
    "implementation:assignments_bulk": ("api:assignment-bulk",),
    "implementation:assignment_evidence": ("api:assignment-evidence",),
    "implementation:partnership_item": ("api:program-partnership-detail",),
    "implementation:partnership_evidence": ("api:program-partnership-evidence",),
    "implementation:readiness_create": ("api:program-readiness-list",),
    "implementation:team": ("api:program-steering-list",),
    "implementation:team_remove": ("api:program-steering-detail",),
    "implementation:resource_create": ("api:resource-list",),
    "implementation:resource_delete": ("api:resource-detail",),
    "implementation:outreach": ("api:outreach-list",),
    "implementation:outreach_delete": ("api:outreach-detail",),
    "implementation:materials": ("api:material-distribution-list",),
    "implementation:materials_delete": ("api:material-distribution-detail",),
    "implementation:shares": ("api:resource-share-list",),
    "implementation:shares_delete": ("api:resource-share-detail",),
    "implementation:data_requests": ("api:data-request-list",),
    "implementation:data_request": ("api:data-request-detail",),
    "implementation:data_request_delete": ("api:data-request-detail",),
    "implementation:data_answer_delete": ("api:data-answer-detail",),
    # DVR.
    "dvr:authorization_list": ("api:dvr-authorization-list", "api:dvr-authorization-search"),
    "dvr:authorize": ("api:enrollment-dvr-authorize",),
    "dvr:extend": ("api:dvr-authorization-extend",),
    "dvr:report": ("api:dvr-authorization-report",),
    "dvr:review": ("api:dvr-authorization-review",),
    "dvr:paid": ("api:dvr-authorization-paid",),
    "dvr:billable_unit_create": ("api:enrollment-billable-units",),
    "dvr:catalog_edit": ("api:state-dvr-catalog",),
    # Meetings, training, mentoring, technical assistance.
    "collaboration:series_create": ("api:series-list",),
    "collaboration:statewide_series_create": ("api:series-list",),
    "collaboration:meeting_create": ("api:series-meeting-create",),
    "collaboration:meeting_edit": ("api:meeting-detail",),
    "collaboration:meeting_delete": ("api:meeting-detail",),
    "collaboration:decision_add": ("api:meeting-decision-add",),
    "collaboration:follow_up_add": ("api:meeting-follow-up-add",),
    "collaboration:follow_up_status": ("api:follow-up-status",),
    "collaboration:follow_up_convert": ("api:follow-up-convert",),
    "collaboration:training_create": ("api:training-completion-list",),
    "collaboration:training_delete": ("api:training-completion-detail",),
    "collaboration:mentoring": ("api:program-mentoring",),
    "collaboration:technical_assistance": ("api:program-technical-assistance",),
    "collaboration:reminders": ("api:my-reminders",),
    "collaboration:calendar_reset": ("api:my-calendar-feed",),
}


def web_routes() -> Iterator[tuple[str, Callable[..., Any]]]:
    def walk(resolver: URLResolver, namespace: str) -> Iterator[tuple[str, Callable[..., Any]]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace not in ("api", "admin"):
                yield f"{namespace}:{pattern.name}", inspect.unwrap(pattern.callback)

    yield from walk(get_resolver(), "")


def api_views() -> dict[str, Any]:
    return {
        f"api:{pattern.name}": pattern.callback.view_class
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "api"
        for pattern in pattern.url_patterns
        if isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class")
    }


def services_called(view: Callable[..., Any]) -> set[str]:
    """The services a web view calls by name (`services.x(`, `clients_services.x(`), less the reads."""
    return set(re.findall(r"\w*services\.(\w+)\(", inspect.getsource(view))) - READS


def writes(view: Callable[..., Any]) -> bool:
    return "POST" in inspect.getsource(view) or bool(services_called(view))


def code_of(thing: Any) -> str:
    """A view's source with that of the module-level functions and classes it names (one level down), where the
    operation may call its service."""
    source = inspect.getsource(thing)
    module = sys.modules[thing.__module__]
    named = set(re.findall(r"\b(\w+)\b", source))
    helpers = [getattr(module, name) for name in named if inspect.isfunction(getattr(module, name, None))]
    helpers += [getattr(module, name) for name in named if inspect.isclass(getattr(module, name, None))]
    for base in inspect.getmro(thing)[1:]:
        if base.__module__.startswith("ipshub."):
            helpers.append(base)
    local = [h for h in helpers if getattr(h, "__module__", "").startswith("ipshub.")]
    return source + "".join(inspect.getsource(helper) for helper in local)


def test_every_writing_web_route_is_in_the_map() -> None:
    found = {name for name, view in web_routes() if writes(view)}
    missing = sorted(found - set(WEB_TO_API))
    assert not missing, f"web routes that write, with no API operation or reason in WEB_TO_API: {missing}"
    unknown = sorted(set(WEB_TO_API) - {name for name, _view in web_routes()})
    assert not unknown, f"WEB_TO_API names routes the web does not have: {unknown}"


def test_each_mapped_operation_exists_and_calls_the_web_views_services() -> None:
    operations = api_views()
    views = dict(web_routes())
    problems = []
    for web_name, target in WEB_TO_API.items():
        if isinstance(target, str):
            assert len(target) > 20, f"{web_name}: say why there is no API operation"
            continue
        absent = [name for name in target if name not in operations]
        if absent:
            problems.append(f"{web_name}: no API route named {absent}")
            continue
        api_code = "".join(code_of(operations[name]) for name in target)
        for service in sorted(services_called(views[web_name])):
            if not re.search(rf"\b{service}\b", api_code):
                problems.append(f"{web_name} calls {service}, which none of {target} calls")
    assert not problems, "\n".join(problems)
