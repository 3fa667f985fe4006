from django.urls import path

from ipshub.oversight import views

# The URL names stay in the "audit" namespace (templates and links say audit:...); the pages moved
# here from the audit app, whose core (the trail itself) sits below every other app.
app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("reports/", views.report_index, name="report_index"),
    path("reports/clients/<int:enrollment_id>/", views.client_report, name="client_report"),
    path("reports/people/<int:person_id>/", views.person_report, name="person_report"),
    path("break-glass/", views.breakglass_list, name="breakglass_list"),
    path("break-glass/new/", views.breakglass_request, name="breakglass_request"),
]
