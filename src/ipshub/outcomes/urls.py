from django.urls import path

from ipshub.outcomes import early_warning_views, exchange_views, peer_views, views

app_name = "outcomes"
urlpatterns = [
    path("outcomes/", views.dashboard, name="dashboard"),
    path("outcomes/export/", views.dashboard_export, name="dashboard_export"),
    path("outcomes/benchmarks/", views.benchmarks, name="benchmarks"),
    path("outcomes/upload-template.csv", views.upload_template, name="upload_template"),
    path("outcomes/programs/<int:program_id>/", views.program_outcomes, name="program"),
    path("outcomes/programs/<int:program_id>/export/", views.program_export, name="program_export"),
    path("outcomes/programs/<int:program_id>/reports/new/", views.report_create, name="report_create"),
    path("outcomes/programs/<int:program_id>/compute/", views.report_compute, name="report_compute"),
    path("outcomes/programs/<int:program_id>/goals/", views.goals, name="goals"),
    path("outcomes/programs/<int:program_id>/upload/", views.upload, name="upload"),
    path("outcomes/reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("outcomes/reports/<int:report_id>/edit/", views.report_edit, name="report_edit"),
    path("outcomes/reports/<int:report_id>/correct/", views.report_correct, name="report_correct"),
    path("outcomes/reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("outcomes/reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("outcomes/goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("outcomes/uploads/<int:upload_id>/", views.upload_detail, name="upload_detail"),
    # --- Exchange with the learning community (outcomes/exchange_views.py) ---
    path("outcomes/exchange/", exchange_views.exchange_page, name="exchange"),
    path("outcomes/exchange/export/", exchange_views.exchange_export, name="exchange_export"),
    path(
        "outcomes/programs/<int:program_id>/exchange/",
        exchange_views.program_exchange_export,
        name="program_exchange_export",
    ),
    path("outcomes/aggregates/export/", exchange_views.aggregate_export, name="aggregate_export"),
    path("outcomes/aggregates/upload/", exchange_views.aggregate_upload, name="aggregate_upload"),
    path(
        "outcomes/aggregates/uploads/<int:aggregate_upload_id>/",
        exchange_views.aggregate_upload_detail,
        name="aggregate_upload_detail",
    ),
    # --- Peer percentiles and the early warning (issue #23, peers) ---
    path("outcomes/programs/<int:program_id>/peers/", peer_views.program_peers, name="peers"),
    path("outcomes/early-warning/", early_warning_views.early_warning_page, name="early_warning"),
    # --- end peers ---
]
