from django.urls import path

from ipshub.tenancy import views, wage_views

app_name = "tenancy"
urlpatterns = [
    path("directory/organizations/", views.organization_list, name="organization_list"),
    path("directory/organizations/new/", views.organization_create, name="organization_create"),
    path(
        "directory/organizations/<int:organization_id>/",
        views.organization_detail,
        name="organization_detail",
    ),
    path(
        "directory/organizations/<int:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path("directory/people/", views.person_list, name="person_list"),
    path("directory/people/new/", views.person_create, name="person_create"),
    path("directory/people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("directory/people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("directory/people/<int:person_id>/memberships/", views.membership_add, name="membership_add"),
    path(
        "directory/people/<int:person_id>/memberships/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("directory/minimum-wages/", wage_views.minimum_wage_list, name="minimum_wage_list"),
    path("directory/minimum-wages/new/", wage_views.minimum_wage_add, name="minimum_wage_add"),
    path(
        "directory/minimum-wages/<int:minimum_wage_id>/edit/",
        wage_views.minimum_wage_edit,
        name="minimum_wage_edit",
    ),
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    # programs/<int:program_id>/ (name "program_detail") is the program's hub, assembled from every area by the
    # web layer (web/program_hub.py) and routed beside these patterns in ipshub/urls.py.
    path("programs/<int:program_id>/edit/", views.program_edit, name="program_edit"),
]
