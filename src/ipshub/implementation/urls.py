from django.urls import path

from ipshub.implementation import records_views, views

app_name = "implementation"
P = "implementation/programs/<int:program_id>/"
urlpatterns = [
    path("implementation/", views.board, name="board"),
    path("implementation/board.csv", views.board_csv, name="board_csv"),
    path("implementation/board.pdf", views.board_pdf, name="board_pdf"),
    path("implementation/mine/", views.my_responsibilities, name="mine"),
    path("implementation/mine.csv", views.my_responsibilities_csv, name="mine_csv"),
    path("implementation/mine.pdf", views.my_responsibilities_pdf, name="mine_pdf"),
    path("implementation/library/", views.library, name="library"),
    path("implementation/library/new/", views.resource_create, name="resource_create"),
    path("implementation/library/<int:resource_id>/file/", views.resource_file, name="resource_file"),
    path("implementation/library/<int:resource_id>/delete/", views.resource_delete, name="resource_delete"),
    path("implementation/assignments/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path(
        "implementation/assignments/<int:assignment_id>/evidence/",
        views.assignment_evidence_add,
        name="assignment_evidence",
    ),
    path("implementation/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path(P, views.program_overview, name="program"),
    path(P + "kickoff/", views.kickoff_set, name="kickoff"),
    path(P + "phase/", views.phase_override, name="phase_override"),
    path(P + "stages/<int:stage_number>/", views.stage_detail, name="stage"),
    path(P + "strategies/<int:strategy_id>/", views.strategy_edit, name="strategy"),
    path(P + "strategies/<int:strategy_id>/evidence/", views.strategy_evidence_add, name="strategy_evidence"),
    path(P + "responsibilities/", views.assignment_list, name="assignments"),
    path(P + "responsibilities/bulk/", views.assignment_bulk, name="assignments_bulk"),
    path(P + "responsibilities.csv", views.assignment_csv, name="assignments_csv"),
    path(P + "responsibilities.pdf", views.assignment_pdf, name="assignments_pdf"),
    path(P + "partnership/", views.partnership, name="partnership"),
    path(P + "partnership/<int:item_id>/", views.partnership_item, name="partnership_item"),
    path(P + "partnership/<int:item_id>/evidence/", views.partnership_evidence_add, name="partnership_evidence"),
    path(P + "readiness/", views.readiness_list, name="readiness_list"),
    path(P + "readiness/new/", views.readiness_create, name="readiness_create"),
    path(P + "readiness/<int:assessment_id>/", views.readiness_detail, name="readiness"),
    path(P + "readiness/<int:assessment_id>/pdf/", views.readiness_pdf, name="readiness_pdf"),
    path(P + "team/", views.team, name="team"),
    path(P + "team/<int:member_id>/remove/", views.team_member_remove, name="team_remove"),
    path(P + "timeline/", views.timeline, name="timeline"),
    path(P + "resources/<int:resource_id>/", views.program_resource_file, name="program_resource"),
]
urlpatterns += [
    path(P + "outreach/", records_views.outreach, name="outreach"),
    path(P + "outreach/<int:outreach_id>/delete/", records_views.outreach_delete, name="outreach_delete"),
    path(P + "materials/", records_views.materials, name="materials"),
    path(P + "materials/<int:distribution_id>/delete/", records_views.materials_delete, name="materials_delete"),
    path(P + "resources-sent/", records_views.shares, name="shares"),
    path(P + "resources-sent/<int:share_id>/delete/", records_views.shares_delete, name="shares_delete"),
    path(P + "data-requests/", records_views.data_requests, name="data_requests"),
    path(P + "data-requests/<int:request_id>/", records_views.data_request, name="data_request"),
    path(P + "data-requests/<int:request_id>/withdraw/", records_views.data_request_delete, name="data_request_delete"),
    path("implementation/data-files/<int:answer_id>/", records_views.data_answer_file, name="data_answer_file"),
    path(
        "implementation/data-files/<int:answer_id>/delete/", records_views.data_answer_delete, name="data_answer_delete"
    ),
]
