from django.urls import URLPattern, path

from ipshub.dvr import views

app_name = "dvr"
urlpatterns: list[URLPattern] = [
    path("dvr/", views.authorization_list, name="authorization_list"),
    path("dvr/clients/", views.shared_clients, name="shared_clients"),
    path("dvr/clients/<int:enrollment_id>/authorize/", views.authorize, name="authorize"),
    path("dvr/clients/<int:enrollment_id>/billable/", views.billable_unit_create, name="billable_unit_create"),
    path("dvr/authorizations/<int:authorization_id>/", views.authorization_detail, name="authorization_detail"),
    path("dvr/authorizations/<int:authorization_id>/extend/", views.authorization_extend, name="extend"),
    path("dvr/authorizations/<int:authorization_id>/report/", views.report_edit, name="report"),
    path("dvr/authorizations/<int:authorization_id>/review/", views.report_review, name="review"),
    path("dvr/authorizations/<int:authorization_id>/paid/", views.milestone_paid, name="paid"),
    path("dvr/programs/<int:program_id>/billing/", views.billing, name="billing"),
    path("dvr/programs/<int:program_id>/money/", views.money_program, name="money_program"),
    path("dvr/states/<int:state_id>/money/", views.money_state, name="money_state"),
    path("dvr/states/<int:state_id>/catalog/", views.catalog, name="catalog"),
    path("dvr/states/<int:state_id>/catalog/edit/", views.catalog_edit, name="catalog_edit"),
]
