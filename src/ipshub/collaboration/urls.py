from django.urls import path

from ipshub.collaboration import statewide_views, views

app_name = "collaboration"
urlpatterns = [
    path("collaboration/", views.index, name="index"),
    path("collaboration/programs/<int:program_id>/", views.program, name="program"),
    path("collaboration/programs/<int:program_id>/series/new/", views.series_create, name="series_create"),
    path("collaboration/programs/<int:program_id>/mentoring/", views.mentoring, name="mentoring"),
    path(
        "collaboration/programs/<int:program_id>/technical-assistance/",
        views.technical_assistance,
        name="technical_assistance",
    ),
    path("collaboration/programs/<int:program_id>/training/", views.program_training, name="program_training"),
    path("collaboration/statewide/new/", views.statewide_series_create, name="statewide_series_create"),
    path("collaboration/series/<int:series_id>/", views.series_detail, name="series_detail"),
    path("collaboration/series/<int:series_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("collaboration/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("collaboration/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("collaboration/meetings/<int:meeting_id>/delete/", views.meeting_delete, name="meeting_delete"),
    path("collaboration/meetings/<int:meeting_id>/decisions/", views.decision_add, name="decision_add"),
    path("collaboration/meetings/<int:meeting_id>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("collaboration/follow-ups/<int:follow_up_id>/status/", views.follow_up_status, name="follow_up_status"),
    path(
        "collaboration/follow-ups/<int:follow_up_id>/convert/",
        views.follow_up_convert,
        name="follow_up_convert",
    ),
    path("collaboration/training/", views.training_index, name="training"),
    path("collaboration/training/new/", views.training_create, name="training_create"),
    path(
        "collaboration/training/<int:completion_id>/delete/",
        views.training_delete,
        name="training_delete",
    ),
    path("collaboration/reminders/", views.reminders, name="reminders"),
    path("collaboration/reminders/calendar/", views.calendar_reset, name="calendar_reset"),
    path("collaboration/calendar.ics", views.calendar_feed, name="calendar_feed"),
    # Issue 23: the statewide views for the state team and trainers (statewide_views.py).
    path("statewide/", statewide_views.index, name="statewide"),
    path(
        "statewide/technical-assistance/",
        statewide_views.technical_assistance,
        name="statewide_ta",
    ),
    path(
        "statewide/technical-assistance.csv",
        statewide_views.technical_assistance_csv,
        name="statewide_ta_csv",
    ),
    path("statewide/training-gaps/", statewide_views.training_gaps, name="statewide_training"),
    path("statewide/training-gaps.csv", statewide_views.training_gaps_csv, name="statewide_training_csv"),
]
