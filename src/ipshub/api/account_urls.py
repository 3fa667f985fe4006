from django.urls import path

from ipshub.api import account_views

app_name = "tokens"
urlpatterns = [
    path("tokens/", account_views.token_list, name="list"),
    path("tokens/<int:token_id>/revoke/", account_views.token_revoke, name="revoke"),
    path("imports/", account_views.import_page, name="imports"),
    path("imports/<int:import_id>/", account_views.import_job, name="import-job"),
    path("imports/<int:import_id>/step/", account_views.import_job_step, name="import-job-step"),
    path("imports/<int:import_id>/commit/", account_views.import_job_commit, name="import-job-commit"),
    path("imports/<int:program_id>/export/", account_views.import_export, name="import-export"),
]
