"""/api/v1/: one path per endpoint, with `<int:thing_id>` keywords like the web pages (the URL walk
requests each as an outsider and requires 404). Anything else under /api/v1/ is a JSON 404."""

from django.urls import path, re_path

from ipshub.api import (
    area_views,
    case_file_views,
    change_views,
    collaboration_views,
    consent_views,
    directory_views,
    docs,
    dvr_views,
    exchange_views,
    fidelity_prep_views,
    fidelity_views,
    hub_views,
    implementation_views,
    offline_views,
    outcome_views,
    peer_views,
    program_views,
    record_views,
    roadmap_views,
    statewide_views,
    supervision,
    views,
    wage_views,
)

app_name = "api"
urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("programs/", views.ProgramList.as_view(), name="program-list"),
    path("programs/<int:program_id>/", views.ProgramDetail.as_view(), name="program-detail"),
    # Issue 23: the statewide views for the state team and trainers (statewide_views.py).
    path("statewide/technical-assistance/", statewide_views.StatewideTA.as_view(), name="statewide-ta"),
    path("statewide/training-gaps/", statewide_views.StatewideTrainingGaps.as_view(), name="statewide-training-gaps"),
    path("statewide/meeting-cadence/", statewide_views.StatewideCadence.as_view(), name="statewide-meeting-cadence"),
    path(
        "statewide/fidelity-schedule/",
        statewide_views.StatewideFidelitySchedule.as_view(),
        name="statewide-fidelity-schedule",
    ),
    # Issue 23: the program's hub, every area's panel with its figures (web/program_hub.py).
    path("programs/<int:program_id>/hub/", hub_views.ProgramHub.as_view(), name="program-hub"),
    path("programs/<int:program_id>/ips-dashboard/", supervision.Dashboard.as_view(), name="program-dashboard"),
    path(
        "programs/<int:program_id>/ips-dashboard/specialists/<int:specialist_id>/",
        supervision.SpecialistDashboard.as_view(),
        name="program-dashboard-specialist",
    ),
    # The directory, read and written as on the web's directory pages (api/directory_views.py).
    path("organizations/", directory_views.OrganizationListCreate.as_view(), name="organization-list"),
    path(
        "organizations/<int:organization_id>/",
        directory_views.OrganizationDetailUpdate.as_view(),
        name="organization-detail",
    ),
    path("people/", directory_views.PersonListCreate.as_view(), name="person-list"),
    path("people/<int:person_id>/", directory_views.PersonDetailUpdate.as_view(), name="person-detail"),
    path(
        "people/<int:person_id>/memberships/",
        directory_views.PersonMemberships.as_view(),
        name="person-memberships",
    ),
    path(
        "people/<int:person_id>/memberships/<int:membership_id>/end/",
        directory_views.MembershipEnd.as_view(),
        name="person-membership-end",
    ),
    path("catalog/stages/", views.StageList.as_view(), name="catalog-stage-list"),
    path("catalog/questions/", views.QuestionList.as_view(), name="catalog-question-list"),
    path("catalog/responsibilities/", views.ResponsibilityList.as_view(), name="catalog-responsibility-list"),
    path("audit-events/", views.AuditEventList.as_view(), name="audit-event-list"),
    path("changes/", change_views.ChangeList.as_view(), name="change-list"),
    path("clients/", area_views.EnrollmentList.as_view(), name="enrollment-list"),
    path("clients/shared/", area_views.SharedEnrollmentList.as_view(), name="enrollment-shared-list"),
    path("clients/search/", area_views.EnrollmentSearch.as_view(), name="enrollment-search"),
    path("clients/caseload/", area_views.CaseloadList.as_view(), name="enrollment-caseload"),
    path("clients/transfer/", area_views.EnrollmentTransfer.as_view(), name="enrollment-transfer"),
    path("clients/shared/search/", area_views.SharedEnrollmentSearch.as_view(), name="enrollment-shared-search"),
    path("clients/<int:enrollment_id>/", area_views.EnrollmentDetail.as_view(), name="enrollment-detail"),
    path("clients/<int:enrollment_id>/jobs/", area_views.EnrollmentJobs.as_view(), name="enrollment-job-start"),
    # The record's own writes, as on the web's client forms (api/record_views.py).
    path("clients/<int:enrollment_id>/status/", record_views.EnrollmentAdvance.as_view(), name="enrollment-status"),
    path("clients/<int:enrollment_id>/close/", record_views.EnrollmentClose.as_view(), name="enrollment-close"),
    path("clients/<int:enrollment_id>/reopen/", record_views.EnrollmentReopen.as_view(), name="enrollment-reopen"),
    path(
        "clients/<int:enrollment_id>/benefits-planning/",
        record_views.BenefitsPlanningList.as_view(),
        name="enrollment-benefits-planning",
    ),
    path(
        "clients/<int:enrollment_id>/job-search-plan/",
        record_views.EnrollmentJobSearchPlan.as_view(),
        name="enrollment-job-search-plan",
    ),
    path("clients/<int:enrollment_id>/dvr-case/", record_views.EnrollmentDvrCase.as_view(), name="enrollment-dvr-case"),
    path(
        "clients/<int:enrollment_id>/career-profile/",
        record_views.EnrollmentCareerProfile.as_view(),
        name="enrollment-career-profile",
    ),
    path(
        "clients/<int:enrollment_id>/career-profile/versions/",
        record_views.CareerProfileVersions.as_view(),
        name="enrollment-career-profile-versions",
    ),
    path("clients/<int:enrollment_id>/education/", record_views.EducationList.as_view(), name="enrollment-education"),
    path(
        "clients/<int:enrollment_id>/supports/", record_views.SupportContactList.as_view(), name="enrollment-supports"
    ),
    # Consents the client signs (clients/signing.py) and the state's release template.
    path(
        "clients/<int:enrollment_id>/consents/",
        consent_views.EnrollmentConsents.as_view(),
        name="enrollment-consent-list",
    ),
    path(
        "clients/<int:enrollment_id>/consents/paper/",
        consent_views.EnrollmentPaperConsent.as_view(),
        name="enrollment-consent-paper",
    ),
    path(
        "clients/<int:enrollment_id>/consents/<int:consent_id>/",
        consent_views.EnrollmentConsentDetail.as_view(),
        name="enrollment-consent-detail",
    ),
    path(
        "clients/<int:enrollment_id>/consents/<int:consent_id>/document/",
        consent_views.EnrollmentConsentDocument.as_view(),
        name="enrollment-consent-document",
    ),
    path(
        "clients/<int:enrollment_id>/consents/<int:consent_id>/revoke/",
        consent_views.EnrollmentConsentRevoke.as_view(),
        name="enrollment-consent-revoke",
    ),
    path("release-templates/<int:state_id>/", consent_views.ReleaseTemplateView.as_view(), name="release-template"),
    # The case file: progress notes and documents of one client record (api/case_file_views.py).
    path("clients/<int:enrollment_id>/notes/", case_file_views.NoteList.as_view(), name="client-note-list"),
    path("clients/<int:enrollment_id>/notes/search/", case_file_views.NoteSearch.as_view(), name="client-note-search"),
    path(
        "clients/<int:enrollment_id>/notes/<int:note_id>/",
        case_file_views.NoteDetail.as_view(),
        name="client-note-detail",
    ),
    path(
        "clients/<int:enrollment_id>/notes/<int:note_id>/correct/",
        case_file_views.NoteCorrect.as_view(),
        name="client-note-correct",
    ),
    path(
        "clients/<int:enrollment_id>/notes/<int:note_id>/addenda/",
        case_file_views.NoteAddenda.as_view(),
        name="client-note-addenda",
    ),
    path("clients/<int:enrollment_id>/documents/", case_file_views.DocumentList.as_view(), name="client-document-list"),
    path(
        "clients/<int:enrollment_id>/documents/<int:document_id>/download/",
        case_file_views.DocumentDownload.as_view(),
        name="client-document-download",
    ),
    path(
        "clients/<int:enrollment_id>/documents/<int:document_id>/remove/",
        case_file_views.DocumentRemove.as_view(),
        name="client-document-remove",
    ),
    # DVR (api/dvr_views.py): authorizations, the deliverable report and its review, payments, billable services,
    # billing and money, the state's service catalog, as on the web's DVR pages (dvr/urls.py).
    path("dvr-authorizations/", dvr_views.AuthorizationList.as_view(), name="dvr-authorization-list"),
    path("dvr-authorizations/search/", dvr_views.AuthorizationSearch.as_view(), name="dvr-authorization-search"),
    path(
        "dvr-authorizations/<int:authorization_id>/",
        dvr_views.AuthorizationDetail.as_view(),
        name="dvr-authorization-detail",
    ),
    path(
        "dvr-authorizations/<int:authorization_id>/extend/",
        dvr_views.AuthorizationExtend.as_view(),
        name="dvr-authorization-extend",
    ),
    path(
        "dvr-authorizations/<int:authorization_id>/report/",
        dvr_views.ReportSubmit.as_view(),
        name="dvr-authorization-report",
    ),
    path(
        "dvr-authorizations/<int:authorization_id>/review/",
        dvr_views.AuthorizationReview.as_view(),
        name="dvr-authorization-review",
    ),
    path(
        "dvr-authorizations/<int:authorization_id>/paid/",
        dvr_views.MilestonePaid.as_view(),
        name="dvr-authorization-paid",
    ),
    path(
        "clients/<int:enrollment_id>/dvr-authorizations/",
        dvr_views.EnrollmentAuthorize.as_view(),
        name="enrollment-dvr-authorize",
    ),
    path(
        "clients/<int:enrollment_id>/billable-units/",
        dvr_views.EnrollmentBillableUnits.as_view(),
        name="enrollment-billable-units",
    ),
    path("programs/<int:program_id>/dvr-billing/", dvr_views.ProgramBilling.as_view(), name="program-dvr-billing"),
    path("programs/<int:program_id>/dvr-money/", dvr_views.ProgramMoney.as_view(), name="program-dvr-money"),
    path("states/<int:state_id>/dvr-money/", dvr_views.StateMoney.as_view(), name="state-dvr-money"),
    path("states/<int:state_id>/dvr-catalog/", dvr_views.StateCatalog.as_view(), name="state-dvr-catalog"),
    path("jobs/", area_views.JobList.as_view(), name="job-list"),
    path("jobs/<int:job_id>/", area_views.JobDetail.as_view(), name="job-detail"),
    path("jobs/<int:job_id>/change/", area_views.JobChange.as_view(), name="job-change"),
    path("jobs/<int:job_id>/end/", area_views.JobEnd.as_view(), name="job-end"),
    path("jobs/<int:job_id>/next-job-help/", record_views.JobNextHelp.as_view(), name="job-next-help"),
    path("minimum-wages/", wage_views.MinimumWageList.as_view(), name="minimum-wage-list"),
    path("minimum-wages/<int:minimum_wage_id>/", wage_views.MinimumWageDetail.as_view(), name="minimum-wage-detail"),
    path("employers/", area_views.EmployerList.as_view(), name="employer-list"),
    path("employers/<int:employer_id>/", area_views.EmployerDetail.as_view(), name="employer-detail"),
    path("employer-contacts/", area_views.EmployerContactList.as_view(), name="employer-contact-list"),
    # --- Peer percentiles and the early warning (issue #23, peers) ---
    path("programs/<int:program_id>/peers/", peer_views.ProgramPeers.as_view(), name="program-peers"),
    path("early-warning/", peer_views.EarlyWarningList.as_view(), name="early-warning"),
    # --- end peers ---
    path("outcome-reports/", area_views.OutcomeReportList.as_view(), name="outcome-report-list"),
    path("outcome-reports/<int:report_id>/", outcome_views.ReportDetail.as_view(), name="outcome-report-detail"),
    path(
        "outcome-reports/<int:report_id>/submit/",
        area_views.OutcomeReportSubmit.as_view(),
        name="outcome-report-submit",
    ),
    # The steps of the web's outcome pages: compute, correct, review, goals, benchmarks, uploads, and the
    # state roll-up (api/outcome_views.py).
    path(
        "programs/<int:program_id>/outcome-reports/compute/",
        outcome_views.ReportCompute.as_view(),
        name="outcome-report-compute",
    ),
    path(
        "outcome-reports/<int:report_id>/correct/",
        outcome_views.ReportCorrect.as_view(),
        name="outcome-report-correct",
    ),
    path("outcome-reports/<int:report_id>/return/", outcome_views.ReportReturn.as_view(), name="outcome-report-return"),
    path("outcome-reports/<int:report_id>/accept/", outcome_views.ReportAccept.as_view(), name="outcome-report-accept"),
    path("programs/<int:program_id>/outcome-goals/", outcome_views.ProgramGoals.as_view(), name="outcome-goal-list"),
    path("outcome-goals/<int:goal_id>/", outcome_views.GoalDetail.as_view(), name="outcome-goal-detail"),
    path(
        "programs/<int:program_id>/outcome-uploads/",
        outcome_views.ProgramUploads.as_view(),
        name="outcome-upload-list",
    ),
    path("outcome-uploads/<int:upload_id>/", outcome_views.UploadDetail.as_view(), name="outcome-upload-detail"),
    path(
        "outcome-uploads/<int:upload_id>/commit/",
        outcome_views.UploadCommit.as_view(),
        name="outcome-upload-commit",
    ),
    path(
        "states/<int:state_id>/outcome-benchmarks/",
        outcome_views.StateBenchmarks.as_view(),
        name="outcome-benchmarks",
    ),
    path("states/<int:state_id>/outcomes/", outcome_views.StateOutcomes.as_view(), name="state-outcomes"),
    path("assignments/", program_views.AssignmentList.as_view(), name="assignment-list"),
    path("assignments/bulk/", program_views.AssignmentBulk.as_view(), name="assignment-bulk"),
    path("assignments/<int:assignment_id>/", program_views.AssignmentDetail.as_view(), name="assignment-detail"),
    path("outreach/", implementation_views.OutreachList.as_view(), name="outreach-list"),
    path(
        "material-distributions/",
        implementation_views.MaterialDistributionList.as_view(),
        name="material-distribution-list",
    ),
    path("resource-shares/", implementation_views.ResourceShareList.as_view(), name="resource-share-list"),
    path("data-requests/", implementation_views.DataRequestList.as_view(), name="data-request-list"),
    path(
        "data-requests/<int:request_id>/",
        implementation_views.DataRequestDetail.as_view(),
        name="data-request-detail",
    ),
    path(
        "data-request-answers/<int:answer_id>/file/",
        implementation_views.DataAnswerFile.as_view(),
        name="data-answer-file",
    ),
    # Implementation: every action of the web's implementation pages (api/roadmap_views.py; the deletes of
    # the tick-box records in api/implementation_views.py).
    path("outreach/<int:outreach_id>/", implementation_views.OutreachDetail.as_view(), name="outreach-detail"),
    path(
        "material-distributions/<int:distribution_id>/",
        implementation_views.MaterialDistributionDetail.as_view(),
        name="material-distribution-detail",
    ),
    path(
        "resource-shares/<int:share_id>/",
        implementation_views.ResourceShareDetail.as_view(),
        name="resource-share-detail",
    ),
    path(
        "data-request-answers/<int:answer_id>/",
        implementation_views.DataAnswerDetail.as_view(),
        name="data-answer-detail",
    ),
    path(
        "assignments/<int:assignment_id>/evidence/",
        roadmap_views.AssignmentEvidence.as_view(),
        name="assignment-evidence",
    ),
    path("evidence/<int:evidence_id>/file/", roadmap_views.EvidenceFile.as_view(), name="evidence-file"),
    path("programs/<int:program_id>/kickoff/", roadmap_views.ProgramKickoff.as_view(), name="program-kickoff"),
    path("programs/<int:program_id>/phase/", roadmap_views.ProgramPhaseOverride.as_view(), name="program-phase"),
    path("programs/<int:program_id>/strategies/", roadmap_views.StrategyList.as_view(), name="program-strategy-list"),
    path(
        "programs/<int:program_id>/strategies/<int:strategy_id>/",
        roadmap_views.StrategyDetail.as_view(),
        name="program-strategy-detail",
    ),
    path(
        "programs/<int:program_id>/strategies/<int:strategy_id>/evidence/",
        roadmap_views.StrategyEvidence.as_view(),
        name="program-strategy-evidence",
    ),
    path(
        "programs/<int:program_id>/partnership/",
        roadmap_views.PartnershipList.as_view(),
        name="program-partnership-list",
    ),
    path(
        "programs/<int:program_id>/partnership/<int:item_id>/",
        roadmap_views.PartnershipDetail.as_view(),
        name="program-partnership-detail",
    ),
    path(
        "programs/<int:program_id>/partnership/<int:item_id>/evidence/",
        roadmap_views.PartnershipEvidence.as_view(),
        name="program-partnership-evidence",
    ),
    path("programs/<int:program_id>/readiness/", roadmap_views.ReadinessList.as_view(), name="program-readiness-list"),
    path(
        "programs/<int:program_id>/readiness/<int:assessment_id>/",
        roadmap_views.ReadinessDetail.as_view(),
        name="program-readiness-detail",
    ),
    path(
        "programs/<int:program_id>/steering-committee/",
        roadmap_views.SteeringList.as_view(),
        name="program-steering-list",
    ),
    path(
        "programs/<int:program_id>/steering-committee/<int:member_id>/",
        roadmap_views.SteeringDetail.as_view(),
        name="program-steering-detail",
    ),
    path("resources/", roadmap_views.ResourceList.as_view(), name="resource-list"),
    path("resources/<int:resource_id>/", roadmap_views.ResourceDetail.as_view(), name="resource-detail"),
    path("resources/<int:resource_id>/file/", roadmap_views.ResourceFile.as_view(), name="resource-file"),
    path(
        "programs/<int:program_id>/resources/<int:resource_id>/file/",
        roadmap_views.ProgramResourceFile.as_view(),
        name="program-resource-file",
    ),
    path("fidelity-reviews/", fidelity_views.ReviewList.as_view(), name="review-list"),
    path("fidelity-reviews/<int:review_id>/", program_views.ReviewDetail.as_view(), name="review-detail"),
    path(
        "fidelity-reviews/<int:review_id>/invitees/",
        program_views.ReviewInvitees.as_view(),
        name="review-invitees",
    ),
    path(
        "fidelity-invitees/<int:invitee_id>/answer/",
        fidelity_views.InviteeAnswer.as_view(),
        name="invitee-answer",
    ),
    path("fidelity-invitees/<int:invitee_id>/", fidelity_views.InviteeDetail.as_view(), name="invitee-detail"),
    # The steps of a fidelity review, as on the web's fidelity pages (api/fidelity_views.py).
    path(
        "fidelity-reviews/<int:review_id>/reschedule/",
        fidelity_views.ReviewReschedule.as_view(),
        name="review-reschedule",
    ),
    path("fidelity-reviews/<int:review_id>/cancel/", fidelity_views.ReviewCancel.as_view(), name="review-cancel"),
    path("fidelity-reviews/<int:review_id>/team/", fidelity_views.ReviewTeam.as_view(), name="review-team"),
    path("fidelity-reviews/<int:review_id>/plan/", fidelity_views.ReviewPlan.as_view(), name="review-plan"),
    path("fidelity-reviews/<int:review_id>/agenda/", fidelity_views.AgendaSlots.as_view(), name="review-agenda"),
    path(
        "fidelity-reviews/<int:review_id>/agenda/standard/",
        fidelity_views.AgendaStandard.as_view(),
        name="review-agenda-standard",
    ),
    path("fidelity-reviews/<int:review_id>/scores/", fidelity_views.ReviewScores.as_view(), name="review-scores"),
    path(
        "fidelity-reviews/<int:review_id>/scores/submit/",
        fidelity_views.ScoresSubmit.as_view(),
        name="review-scores-submit",
    ),
    path(
        "fidelity-reviews/<int:review_id>/consensus/",
        fidelity_views.ReviewConsensus.as_view(),
        name="review-consensus",
    ),
    path(
        "fidelity-reviews/<int:review_id>/consensus/complete/",
        fidelity_views.ConsensusComplete.as_view(),
        name="review-consensus-complete",
    ),
    path("fidelity-reviews/<int:review_id>/report/", fidelity_views.ReviewReport.as_view(), name="review-report"),
    path(
        "fidelity-reviews/<int:review_id>/report/deliver/",
        fidelity_views.ReportDeliver.as_view(),
        name="review-report-deliver",
    ),
    path("fidelity-reviews/<int:review_id>/actions/", fidelity_views.ReviewActions.as_view(), name="review-actions"),
    path(
        "fidelity-reviews/<int:review_id>/actions/from-recommendations/",
        fidelity_views.ActionsFromRecommendations.as_view(),
        name="review-actions-from-recommendations",
    ),
    path("fidelity-actions/<int:action_id>/", fidelity_views.ActionDetail.as_view(), name="action-detail"),
    # Review preparation (issue #26): the timeline, the documents checklist, the chart-review worksheet.
    path(
        "fidelity-reviews/<int:review_id>/preparation/",
        fidelity_prep_views.ReviewPreparation.as_view(),
        name="review-preparation",
    ),
    path(
        "fidelity-document-requests/<int:document_request_id>/answer/",
        fidelity_prep_views.DocumentAnswer.as_view(),
        name="document-request-answer",
    ),
    path(
        "fidelity-document-uploads/<int:document_upload_id>/file/",
        fidelity_prep_views.DocumentFile.as_view(),
        name="document-upload-file",
    ),
    path(
        "fidelity-document-uploads/<int:document_upload_id>/",
        fidelity_prep_views.DocumentUploadDetail.as_view(),
        name="document-upload-detail",
    ),
    path("fidelity-prep-tasks/<int:task_id>/done/", fidelity_prep_views.PrepTaskDone.as_view(), name="prep-task-done"),
    path(
        "fidelity-reviews/<int:review_id>/chart-worksheet/",
        fidelity_prep_views.ChartWorksheet.as_view(),
        name="review-chart-worksheet",
    ),
    # #26 (branch fidfin): the reviewers choose the chart sample's size.
    path(
        "fidelity-reviews/<int:review_id>/chart-worksheet/sample-size/",
        fidelity_prep_views.ChartSampleSize.as_view(),
        name="review-chart-sample-size",
    ),
    path(
        "programs/<int:program_id>/fidelity-estimate/",
        fidelity_views.ProgramEstimate.as_view(),
        name="program-fidelity-estimate",
    ),
    # Issue 26: the specialists' time behind the estimate's items 1 and 2.
    path(
        "programs/<int:program_id>/specialist-times/",
        fidelity_views.SpecialistTimes.as_view(),
        name="program-specialist-times",
    ),
    # Self-assessment (issue #26, branch fidself).
    path(
        "programs/<int:program_id>/self-assessments/",
        fidelity_views.ProgramSelfAssessments.as_view(),
        name="program-self-assessments",
    ),
    path(
        "self-assessments/<int:self_assessment_id>/",
        fidelity_views.SelfAssessmentDetail.as_view(),
        name="self-assessment-detail",
    ),
    # #26: one item of a self-assessment saved as it is scored.
    path(
        "self-assessments/<int:self_assessment_id>/items/<int:item_number>/",
        fidelity_views.SelfAssessmentItem.as_view(),
        name="self-assessment-item",
    ),
    path(
        "programs/<int:program_id>/fidelity-comparison/",
        fidelity_views.ProgramFidelityComparison.as_view(),
        name="program-fidelity-comparison",
    ),
    path("meeting-series/", collaboration_views.SeriesList.as_view(), name="series-list"),
    path("meeting-series/<int:series_id>/", program_views.SeriesDetail.as_view(), name="series-detail"),
    path("meetings/", program_views.MeetingList.as_view(), name="meeting-list"),
    path("meetings/<int:meeting_id>/", collaboration_views.MeetingDetail.as_view(), name="meeting-detail"),
    path("training/courses/", program_views.CourseList.as_view(), name="training-course-list"),
    path("training/completions/", collaboration_views.CompletionList.as_view(), name="training-completion-list"),
    # Meetings, training, mentoring and technical assistance: the writes of the web's collaboration pages
    # (api/collaboration_views.py; the series and training lists above take their POSTs, a meeting its PATCH and
    # DELETE), and a person's own reminder settings.
    path(
        "meeting-series/<int:series_id>/meetings/",
        collaboration_views.SeriesMeetings.as_view(),
        name="series-meeting-create",
    ),
    path(
        "meetings/<int:meeting_id>/decisions/",
        collaboration_views.MeetingDecisions.as_view(),
        name="meeting-decision-add",
    ),
    path(
        "meetings/<int:meeting_id>/follow-ups/",
        collaboration_views.MeetingFollowUps.as_view(),
        name="meeting-follow-up-add",
    ),
    path(
        "follow-ups/<int:follow_up_id>/status/",
        collaboration_views.FollowUpStatusChange.as_view(),
        name="follow-up-status",
    ),
    path(
        "follow-ups/<int:follow_up_id>/convert/",
        collaboration_views.FollowUpConvert.as_view(),
        name="follow-up-convert",
    ),
    path(
        "training/completions/<int:completion_id>/",
        collaboration_views.CompletionDetail.as_view(),
        name="training-completion-detail",
    ),
    path(
        "programs/<int:program_id>/mentoring/",
        collaboration_views.ProgramMentoring.as_view(),
        name="program-mentoring",
    ),
    path(
        "programs/<int:program_id>/technical-assistance/",
        collaboration_views.ProgramTechnicalAssistance.as_view(),
        name="program-technical-assistance",
    ),
    path("me/reminders/", collaboration_views.MyReminders.as_view(), name="my-reminders"),
    path("me/reminders/calendar/", collaboration_views.MyCalendarFeed.as_view(), name="my-calendar-feed"),
    path("imports/clients/", area_views.ImportView.as_view(kind="clients"), name="import-clients"),
    path("imports/employer-contacts/", area_views.ImportView.as_view(kind="employer-contacts"), name="import-contacts"),
    path("imports/jobs/", area_views.ImportView.as_view(kind="jobs"), name="import-jobs"),
    path("exports/clients/", area_views.ExportView.as_view(kind="clients"), name="export-clients"),
    path("exports/employer-contacts/", area_views.ExportView.as_view(kind="employer-contacts"), name="export-contacts"),
    path("exports/jobs/", area_views.ExportView.as_view(kind="jobs"), name="export-jobs"),
    # --- Learning-community exchange (api/exchange_views.py) ---
    path(
        "states/<int:state_id>/outcome-aggregate-files/",
        exchange_views.StateAggregateFiles.as_view(),
        name="outcome-aggregate-file-list",
    ),
    path(
        "outcome-aggregate-files/<int:aggregate_upload_id>/",
        exchange_views.AggregateFileDetail.as_view(),
        name="outcome-aggregate-file-detail",
    ),
    path(
        "outcome-aggregate-files/<int:aggregate_upload_id>/import/",
        exchange_views.AggregateFileImport.as_view(),
        name="outcome-aggregate-file-import",
    ),
    path("states/<int:state_id>/outcomes-pooled/", exchange_views.StatePooled.as_view(), name="state-outcomes-pooled"),
    # Offline field work (issue #25): the pack a device keeps, and the sync of what was logged offline.
    path("offline/pack/", offline_views.OfflinePack.as_view(), name="offline-pack"),
    path("offline/sync/", offline_views.OfflineSync.as_view(), name="offline-sync"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
