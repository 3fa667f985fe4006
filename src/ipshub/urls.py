from django.conf import settings
from django.urls import include, path

from ipshub.accounts import urls as account_urls
from ipshub.accounts import views as account_views
from ipshub.tenancy import urls as tenancy_urls
from ipshub.web import program_chain, program_hub_views
from ipshub.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("home/more/", web_views.home_more, name="home_more"),
    path("search/", web_views.search, name="search"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("ipshub.accounts.urls")),
    path("health/", web_views.health, name="health"),
    path("ping/", web_views.ping, name="ping"),
    # Field work offline (issue #25): the shell and its service worker, scoped to /field/.
    path("field/", include("ipshub.web.field")),
    path("catalog/", include("ipshub.catalog.urls")),
    path("audit/", include("ipshub.oversight.urls")),
    path("api/v1/", include("ipshub.api.urls")),
    path("account/", include("ipshub.api.account_urls")),
    # The directory, with the one page of it that accounts owns (a person's two-factor enrolment code), and the
    # program's hub, which the web layer assembles from the areas (tenancy may not import them).
    path(
        "",
        include(
            (
                tenancy_urls.urlpatterns + account_urls.directory_urlpatterns + program_hub_views.urlpatterns,
                tenancy_urls.app_name,
            )
        ),
    ),
    *(path("", include(f"{app}.urls")) for app in settings.AREA_APPS),
    # --- From fidelity finding to result (issue #23; web/program_chain.py) ---
    path("programs/<int:program_id>/fidelity-chain/", program_chain.fidelity_chain, name="program_fidelity_chain"),
]

handler500 = "ipshub.web.views.server_error"
