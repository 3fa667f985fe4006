from django.urls import path

from ipshub.clients import (
    case_file_views,
    caseload_views,
    record_views,
    signing_views,
    supervision_views,
    views,
)
from ipshub.clients.sections import OVERVIEW, SECTIONS

app_name = "clients"
urlpatterns = [
    path("clients/", caseload_views.caseload_page, name="caseload"),
    path("clients/export/", caseload_views.caseload_export, name="caseload_export"),
    path("clients/transfer/", caseload_views.transfer, name="transfer"),
    path("clients/shared/", views.shared, name="shared"),
    path("clients/refer/", views.refer, name="refer"),
    path("clients/<int:enrollment_id>/", record_views.overview, name="detail"),
    path("clients/<int:enrollment_id>/status/", views.advance, name="advance"),
    path("clients/<int:enrollment_id>/assign/", views.assign, name="assign"),
    path("clients/<int:enrollment_id>/close/", views.close, name="close"),
    path("clients/<int:enrollment_id>/reopen/", views.reopen, name="reopen"),
    path("clients/<int:enrollment_id>/consents/new/", views.consent_add, name="consent_add"),
    path(
        "clients/<int:enrollment_id>/consents/<int:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path("clients/<int:enrollment_id>/dvr/", views.dvr_case, name="dvr_case"),
    path("clients/<int:enrollment_id>/profile/", views.profile, name="profile"),
    path("clients/<int:enrollment_id>/benefits/new/", views.benefits, name="benefits"),
    path("clients/<int:enrollment_id>/job-search/", views.job_search_plan, name="job_search_plan"),
    path("clients/<int:enrollment_id>/jobs/new/", views.job_start, name="job_start"),
    path("clients/<int:enrollment_id>/jobs/<int:job_id>/change/", views.job_change, name="job_change"),
    path("clients/<int:enrollment_id>/jobs/<int:job_id>/end/", views.job_end, name="job_end"),
    path("clients/<int:enrollment_id>/jobs/<int:job_id>/next/", views.job_next_help, name="job_next_help"),
    path("clients/<int:enrollment_id>/education/new/", views.education_add, name="education_add"),
    path("clients/<int:enrollment_id>/supports/new/", views.support_add, name="support_add"),
    path("clients/<int:enrollment_id>/language/", views.language_edit, name="language_edit"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:employer_id>/", views.employer_detail, name="employer_detail"),
    path("employer-contacts/", views.contact_log, name="contact_log"),
    path("employer-contacts/new/", views.contact_add, name="contact_add"),
    path("ips-dashboard/", supervision_views.dashboard_index, name="dashboard_index"),
    path("ips-dashboard/<int:program_id>/", supervision_views.dashboard, name="dashboard"),
    path(
        "ips-dashboard/<int:program_id>/specialists/<int:specialist_id>/",
        supervision_views.dashboard_specialist,
        name="dashboard_specialist",
    ),
]
# Consent the client signs (clients/signing.py) and the state team's release template.
urlpatterns += [
    path("clients/<int:enrollment_id>/consents/sign/", signing_views.consent_prepare, name="consent_prepare"),
    path(
        "clients/<int:enrollment_id>/consents/drafts/<int:draft_id>/sign/",
        signing_views.consent_sign,
        name="consent_sign",
    ),
    path(
        "clients/<int:enrollment_id>/consents/drafts/<int:draft_id>/discard/",
        signing_views.consent_draft_discard,
        name="consent_draft_discard",
    ),
    path(
        "clients/<int:enrollment_id>/consents/<int:consent_id>/",
        signing_views.consent_detail,
        name="consent_detail",
    ),
    path(
        "clients/<int:enrollment_id>/consents/<int:consent_id>/document/",
        signing_views.consent_document,
        name="consent_document",
    ),
    path("release-templates/<int:state_id>/", signing_views.release_template, name="release_template"),
]
# The case file (progress notes and documents): sections DVR staff reach too, and their forms.
SECTION_VIEWS = {"notes": case_file_views.notes_section, "documents": case_file_views.documents_section}
urlpatterns += [
    path("clients/<int:enrollment_id>/notes/new/", case_file_views.note_add, name="note_add"),
    path("clients/<int:enrollment_id>/notes/<int:note_id>/", case_file_views.note_detail, name="note_detail"),
    path("clients/<int:enrollment_id>/notes/<int:note_id>/correct/", case_file_views.note_correct, name="note_correct"),
    path(
        "clients/<int:enrollment_id>/notes/<int:note_id>/addendum/",
        case_file_views.note_addendum,
        name="note_addendum",
    ),
    path("clients/<int:enrollment_id>/documents/new/", case_file_views.document_add, name="document_add"),
    path(
        "clients/<int:enrollment_id>/documents/<int:document_id>/download/",
        case_file_views.document_download,
        name="document_download",
    ),
    path(
        "clients/<int:enrollment_id>/documents/<int:document_id>/remove/",
        case_file_views.document_remove,
        name="document_remove",
    ),
]
# The client record's sections, each at its own address (the overview is "detail", above).
urlpatterns += [
    path(
        f"clients/<int:enrollment_id>/record/{s.slug}/",
        SECTION_VIEWS.get(s.key, record_views.section),
        {"key": s.key},
        name=f"record_{s.key}",
    )
    for s in SECTIONS
    if s.key != OVERVIEW
]
