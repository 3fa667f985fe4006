from django.urls import path

from ipshub.fidelity import preparation_views, views

app_name = "fidelity"
urlpatterns = [
    path("fidelity/", views.review_list, name="review_list"),
    path("fidelity/schedule/", views.review_schedule, name="review_schedule"),
    # Issue 23: the fidelity schedule across the state's programs, for the state team and trainers.
    path("statewide/fidelity-schedule/", views.statewide_schedule, name="statewide_schedule"),
    path("statewide/fidelity-schedule.csv", views.statewide_schedule_csv, name="statewide_schedule_csv"),
    path("fidelity/reviews/<int:review_id>/", views.review_detail, name="review_detail"),
    path("fidelity/reviews/<int:review_id>/reschedule/", views.review_reschedule, name="review_reschedule"),
    path("fidelity/reviews/<int:review_id>/cancel/", views.review_cancel, name="review_cancel"),
    path("fidelity/reviews/<int:review_id>/team/", views.review_team, name="review_team"),
    path("fidelity/reviews/<int:review_id>/plan/", views.review_plan, name="review_plan"),
    path("fidelity/reviews/<int:review_id>/agenda/standard/", views.agenda_standard, name="agenda_standard"),
    path("fidelity/reviews/<int:review_id>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("fidelity/reviews/<int:review_id>/score/", views.review_score, name="review_score"),
    path("fidelity/reviews/<int:review_id>/score/submit/", views.scores_submit, name="scores_submit"),
    # #26 scoring that cannot lose work: one item saved as it is scored (the score page's script).
    path(
        "fidelity/reviews/<int:review_id>/score/items/<int:item_number>/",
        views.score_item_save,
        name="score_item_save",
    ),
    path("fidelity/reviews/<int:review_id>/consensus/", views.review_consensus, name="review_consensus"),
    path(
        "fidelity/reviews/<int:review_id>/consensus/complete/",
        views.consensus_complete,
        name="consensus_complete",
    ),
    path("fidelity/reviews/<int:review_id>/report/", views.review_report, name="review_report"),
    path("fidelity/reviews/<int:review_id>/report/overall/", views.report_overall, name="report_overall"),
    path("fidelity/reviews/<int:review_id>/report/deliver/", views.report_deliver, name="report_deliver"),
    path("fidelity/reviews/<int:review_id>/report.pdf", views.review_report_pdf, name="review_report_pdf"),
    path("fidelity/reviews/<int:review_id>/actions/", views.review_actions, name="review_actions"),
    path(
        "fidelity/reviews/<int:review_id>/actions/from-recommendations/",
        views.actions_from_recommendations,
        name="actions_from_recommendations",
    ),
    path("fidelity/programs/<int:program_id>/estimate/", views.program_estimate, name="program_estimate"),
    # Issue 26: the specialists' time behind the estimate's items 1 and 2.
    path("fidelity/programs/<int:program_id>/specialist-time/", views.specialist_time, name="specialist_time"),
    path("fidelity/actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("fidelity/actions/<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path("fidelity/reviews/<int:review_id>/invitees/", views.invitee_add, name="invitee_add"),
    path("fidelity/invitees/<int:invitee_id>/answer/", views.invitee_answer, name="invitee_answer"),
    path("fidelity/invitees/<int:invitee_id>/delete/", views.invitee_delete, name="invitee_delete"),
    # Self-assessment (issue #26, branch fidself).
    path("fidelity/self-assessments/", views.self_assessment_index, name="self_assessment_index"),
    path(
        "fidelity/programs/<int:program_id>/self-assessments/",
        views.self_assessment_list,
        name="self_assessment_list",
    ),
    path(
        "fidelity/programs/<int:program_id>/self-assessments/new/",
        views.self_assessment_new,
        name="self_assessment_new",
    ),
    path(
        "fidelity/self-assessments/<int:self_assessment_id>/",
        views.self_assessment_detail,
        name="self_assessment_detail",
    ),
    # #26: the self-assessment saves each item as it is scored (fidelity/scoring.js, as the reviewer's page).
    path(
        "fidelity/self-assessments/<int:self_assessment_id>/items/<int:item_number>/",
        views.self_assessment_item_save,
        name="self_assessment_item_save",
    ),
    path(
        "fidelity/programs/<int:program_id>/self-assessments/new/items/<int:item_number>/",
        views.self_assessment_first_item,
        name="self_assessment_first_item",
    ),
    path(
        "fidelity/programs/<int:program_id>/comparison/",
        views.fidelity_comparison,
        name="fidelity_comparison",
    ),
    # Review preparation (issue #26): the checklist, the timeline's steps, the chart-review worksheet.
    path(
        "fidelity/reviews/<int:review_id>/preparation/",
        preparation_views.review_preparation,
        name="review_preparation",
    ),
    path(
        "fidelity/document-requests/<int:document_request_id>/answer/",
        preparation_views.document_answer,
        name="document_answer",
    ),
    path(
        "fidelity/document-uploads/<int:document_upload_id>/download/",
        preparation_views.document_download,
        name="document_download",
    ),
    path(
        "fidelity/document-uploads/<int:document_upload_id>/remove/",
        preparation_views.document_remove,
        name="document_remove",
    ),
    path("fidelity/prep-tasks/<int:task_id>/done/", preparation_views.prep_task_mark, name="prep_task_mark"),
    path(
        "fidelity/reviews/<int:review_id>/chart-worksheet/",
        preparation_views.chart_worksheet,
        name="chart_worksheet",
    ),
    path(
        "fidelity/reviews/<int:review_id>/chart-worksheet.csv",
        preparation_views.chart_worksheet_csv,
        name="chart_worksheet_csv",
    ),
    path(
        "fidelity/reviews/<int:review_id>/chart-worksheet.pdf",
        preparation_views.chart_worksheet_pdf,
        name="chart_worksheet_pdf",
    ),
]
