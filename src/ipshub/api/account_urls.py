from django.urls import path

from ipshub.api import account_views

app_name = "tokens"
urlpatterns = [
    path("tokens/", account_views.token_list, name="list"),
    path("tokens/<int:token_id>/revoke/", account_views.token_revoke, name="revoke"),
    path("imports/", account_views.import_page, name="imports"),
    path("imports/<int:program_id>/export/", account_views.import_export, name="import-export"),
]
