from django.urls import path

from ipshub.accounts import views
from ipshub.tenancy.access import non_tenant_view

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.mfa_verify, name="mfa_verify"),
    path("two-factor/setup/", views.mfa_setup, name="mfa_setup"),
    path("two-factor/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("two-factor/enrol/email/", views.mfa_enrol_email, name="mfa_enrol_email"),
    path("two-factor/backup-codes/", views.backup_codes_renew, name="backup_codes_renew"),
    path("password/", non_tenant_view(views.PasswordChangeView.as_view()), name="password_change"),
]

# Issued from a person's directory page, so it keeps the directory's address and URL name: ipshub/urls.py
# mounts these in the tenancy namespace (tenancy, below accounts, cannot import this view to list it).
directory_urlpatterns = [
    path(
        "directory/people/<int:person_id>/two-factor-code/",
        views.person_enrolment_code,
        name="person_enrolment_code",
    ),
]
