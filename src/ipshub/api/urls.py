"""/api/v1/: one path per endpoint, with `<int:thing_id>` keywords like the web pages (the URL walk
requests each as an outsider and requires 404). Anything else under /api/v1/ is a JSON 404."""

from django.urls import path, re_path

from ipshub.api import area_views, docs, program_views, views

app_name = "api"
urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("programs/", views.ProgramList.as_view(), name="program-list"),
    path("programs/<int:program_id>/", views.ProgramDetail.as_view(), name="program-detail"),
    path("organizations/", views.OrganizationList.as_view(), name="organization-list"),
    path("organizations/<int:organization_id>/", views.OrganizationDetail.as_view(), name="organization-detail"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<int:person_id>/", views.PersonDetail.as_view(), name="person-detail"),
    path("catalog/stages/", views.StageList.as_view(), name="catalog-stage-list"),
    path("catalog/questions/", views.QuestionList.as_view(), name="catalog-question-list"),
    path("catalog/responsibilities/", views.ResponsibilityList.as_view(), name="catalog-responsibility-list"),
    path("audit-events/", views.AuditEventList.as_view(), name="audit-event-list"),
    path("clients/", area_views.EnrollmentList.as_view(), name="enrollment-list"),
    path("clients/shared/", area_views.SharedEnrollmentList.as_view(), name="enrollment-shared-list"),
    path("clients/search/", area_views.EnrollmentSearch.as_view(), name="enrollment-search"),
    path("clients/shared/search/", area_views.SharedEnrollmentSearch.as_view(), name="enrollment-shared-search"),
    path("clients/<int:enrollment_id>/", area_views.EnrollmentDetail.as_view(), name="enrollment-detail"),
    path("clients/<int:enrollment_id>/jobs/", area_views.EnrollmentJobs.as_view(), name="enrollment-job-start"),
    path("jobs/", area_views.JobList.as_view(), name="job-list"),
    path("jobs/<int:job_id>/", area_views.JobDetail.as_view(), name="job-detail"),
    path("jobs/<int:job_id>/end/", area_views.JobEnd.as_view(), name="job-end"),
    path("employers/", area_views.EmployerList.as_view(), name="employer-list"),
    path("employers/<int:employer_id>/", area_views.EmployerDetail.as_view(), name="employer-detail"),
    path("employer-contacts/", area_views.EmployerContactList.as_view(), name="employer-contact-list"),
    path("outcome-reports/", area_views.OutcomeReportList.as_view(), name="outcome-report-list"),
    path("outcome-reports/<int:report_id>/", area_views.OutcomeReportDetail.as_view(), name="outcome-report-detail"),
    path(
        "outcome-reports/<int:report_id>/submit/",
        area_views.OutcomeReportSubmit.as_view(),
        name="outcome-report-submit",
    ),
    path("assignments/", program_views.AssignmentList.as_view(), name="assignment-list"),
    path("assignments/<int:assignment_id>/", program_views.AssignmentDetail.as_view(), name="assignment-detail"),
    path("fidelity-reviews/", program_views.ReviewList.as_view(), name="review-list"),
    path("fidelity-reviews/<int:review_id>/", program_views.ReviewDetail.as_view(), name="review-detail"),
    path(
        "fidelity-reviews/<int:review_id>/invitees/",
        program_views.ReviewInvitees.as_view(),
        name="review-invitees",
    ),
    path("meeting-series/", program_views.SeriesList.as_view(), name="series-list"),
    path("meeting-series/<int:series_id>/", program_views.SeriesDetail.as_view(), name="series-detail"),
    path("meetings/", program_views.MeetingList.as_view(), name="meeting-list"),
    path("meetings/<int:meeting_id>/", program_views.MeetingDetail.as_view(), name="meeting-detail"),
    path("training/courses/", program_views.CourseList.as_view(), name="training-course-list"),
    path("training/completions/", program_views.CompletionList.as_view(), name="training-completion-list"),
    path("imports/clients/", area_views.ImportView.as_view(kind="clients"), name="import-clients"),
    path("imports/employer-contacts/", area_views.ImportView.as_view(kind="employer-contacts"), name="import-contacts"),
    path("imports/jobs/", area_views.ImportView.as_view(kind="jobs"), name="import-jobs"),
    path("exports/clients/", area_views.ExportView.as_view(kind="clients"), name="export-clients"),
    path("exports/employer-contacts/", area_views.ExportView.as_view(kind="employer-contacts"), name="export-contacts"),
    path("exports/jobs/", area_views.ExportView.as_view(kind="jobs"), name="export-jobs"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
