"""IPS Hub settings, read from environment variables (see docs/operators.md for the full list).

IPSHUB_MODE chooses the defaults: `production` (the default: a secret key is required),
`demo` (SQLite, console e-mail, a fixed demo key) or `test` (set by settings_test).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from ipshub.lib.env import Env

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout root holds node_modules/ (front-end assets from the npm lock file) and var/ (demo data).
PROJECT_DIR = PACKAGE_DIR.parent.parent

MODE = env.choice("IPSHUB_MODE", "production", ("production", "demo", "test"))
DEBUG = env.flag("IPSHUB_DEBUG", False)
DATA_DIR = Path(env.text("IPSHUB_DATA_DIR", str(PROJECT_DIR / "var")))

if MODE == "production":
    SECRET_KEY = env.text("IPSHUB_SECRET_KEY", "")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "IPSHUB_SECRET_KEY must be set to a random string of at least 32 characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))'). "
            "For the demo run `ipshub demo`; tests set IPSHUB_MODE=test themselves."
        )
else:
    SECRET_KEY = env.text("IPSHUB_SECRET_KEY", f"ipshub-{MODE}-only-key-never-use-in-production-0123456789")

ALLOWED_HOSTS = env.csv("IPSHUB_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.csv("IPSHUB_CSRF_TRUSTED_ORIGINS", [])

# The areas (see ipshub/lib/contributions.py), in the order they are installed and contribute to each other.
AREA_APPS = [
    "ipshub.implementation",
    "ipshub.clients",
    "ipshub.fidelity",
    "ipshub.outcomes",
    "ipshub.collaboration",
    "ipshub.dvr",
]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "ipshub.tenancy",
    "ipshub.accounts",
    "ipshub.catalog",
    "ipshub.audit",
    "ipshub.web",
    "ipshub.demo",
    "ipshub.api",
    "ipshub.oversight",
    *AREA_APPS,
]
# What each area contributes to the others (areakit/hooks.py): the HOOKS of its hooks module, in this order.
# Named here, at the top, because the code that asks (tenancy, areakit) sits below the areas and can't import them.
AREA_HOOKS: list[object] = [f"{app}.hooks" for app in AREA_APPS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ipshub.api.middleware.ApiErrorShapeMiddleware",  # outermost but one: it sees every /api/ answer
    "ipshub.accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the browser's language; the person's overrides it below
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ipshub.accounts.middleware.SessionPersonAuthenticationMiddleware",
    "ipshub.accounts.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ipshub.accounts.middleware.SessionLimitsMiddleware",
    "ipshub.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ipshub.audit.middleware.RequestContextMiddleware",
    "ipshub.audit.disclosure.DisclosureMiddleware",
]

ROOT_URLCONF = "ipshub.urls"
WSGI_APPLICATION = "ipshub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipshub.web.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "ipshub.web.forms.UswdsFormRenderer"

DATABASES = {
    "default": env.database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ipshub.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite keeps no persistent connections; WAL lets the demo read while it writes. One writer at a time
    # is SQLite's rule, so concurrent writes must wait their turn rather than fail "database is locked":
    # a busy timeout (seconds a connection waits for the lock), and write transactions that take the lock
    # when they begin (IMMEDIATE) — a transaction that read first and asked for the lock later could not
    # wait for it (SQLite refuses at once, to avoid a deadlock) and failed with a 503.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Django's, with a flush that keeps the audit table's append-only triggers (see there).
    DATABASES["default"]["ENGINE"] = "ipshub.audit.sqlite_backend"
# A streaming replica for read-only heavy work (lib/replica.py says which reads go there; all else stays here).
if env.text("IPSHUB_REPLICA_DATABASE_URL", ""):
    DATABASES["replica"] = env.database("IPSHUB_REPLICA_DATABASE_URL", "")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured("IPSHUB_REPLICA_DATABASE_URL must name a PostgreSQL streaming replica.")
    # A replica that does not answer within two seconds is taken as down: reads go to the primary.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ipshub.lib.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker and app server: a table in the main database (no extra service),
# created by `ipshub migrate` (ipshub/web/cache.py). It holds rendered pages that are expensive to build
# (the outcomes state dashboard), each invalidated by a version bumped when its data changes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ipshub_cache",
        "TIMEOUT": env.whole("IPSHUB_CACHE_SECONDS", 24 * 3600, minimum=60),
        "OPTIONS": {"MAX_ENTRIES": env.whole("IPSHUB_CACHE_MAX_ENTRIES", 20_000, minimum=100)},
    }
}

AUTH_USER_MODEL = "tenancy.Person"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (TOTP + backup codes) for everyone. Production always requires it; the demo and
# the tests may switch it off (`ipshub check --deploy` refuses that in production).
IPSHUB_MFA_REQUIRED = MODE == "production" or env.flag("IPSHUB_MFA_REQUIRED", MODE == "production")
OTP_TOTP_ISSUER = "IPS Hub"
# Reverse proxies (load balancers) whose X-Forwarded-For is believed: addresses or networks, e.g.
# "10.0.0.0/8,127.0.0.1". Empty: the connecting address is the client's (lib/client_address.py).
IPSHUB_TRUSTED_PROXIES = env.networks("IPSHUB_TRUSTED_PROXIES")
# Sign-in throttling, counted from the audit trail's failed sign-ins (accounts/throttle.py says why so).
IPSHUB_LOGIN_WINDOW_SECONDS = env.whole("IPSHUB_LOGIN_WINDOW_SECONDS", 15 * 60, minimum=60)
IPSHUB_LOGIN_MAX_PER_USERNAME = env.whole("IPSHUB_LOGIN_MAX_PER_USERNAME", 5, minimum=1)  # from one address
IPSHUB_LOGIN_MAX_PER_ADDRESS = env.whole("IPSHUB_LOGIN_MAX_PER_ADDRESS", 30, minimum=1)
IPSHUB_LOGIN_MAX_PER_USERNAME_TOTAL = env.whole("IPSHUB_LOGIN_MAX_PER_USERNAME_TOTAL", 20, minimum=1)
IPSHUB_SESSION_MAX_SECONDS = env.whole("IPSHUB_SESSION_MAX_SECONDS", 12 * 3600, minimum=300)

SESSION_ENGINE = "ipshub.accounts.sessions"  # database sessions that load their person in the same query
SESSION_COOKIE_AGE = env.whole("IPSHUB_SESSION_IDLE_SECONDS", 15 * 60, minimum=60)
# The cookie age is the idle timeout. It is renewed by SessionLimitsMiddleware at most once a minute,
# not on every request (one database commit per page).
SESSION_SAVE_EVERY_REQUEST = False
IPSHUB_SESSION_RENEW_SECONDS = env.whole("IPSHUB_SESSION_RENEW_SECONDS", 60, minimum=1)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE = MODE == "production" and env.flag("IPSHUB_HTTPS", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env.flag("IPSHUB_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The interface in English or Spanish (docs/translations.md): the signed-in person's saved language, else the
# browser's (accounts/middleware.PersonLanguageMiddleware after Django's LocaleMiddleware), else English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
USE_I18N = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.text("IPSHUB_TIME_ZONE", "America/Chicago")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = Path(env.text("IPSHUB_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
WORKBOX_MODULES = ("workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching")
STATICFILES_DIRS = [
    ("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    # Offline field work (/field/, docs/field-work.md): the service worker imports Workbox's prod builds and the
    # page imports idb-keyval's ES module, all from this origin.
    ("idb-keyval", NODE_MODULES / "idb-keyval" / "dist"),
    *((f"{name}", NODE_MODULES / name / "build") for name in WORKBOX_MODULES),
]
# Serve straight from the finders unless collectstatic has been run (production does; so does `ipshub bench-field`,
# to measure the compressed files production serves).
WHITENOISE_USE_FINDERS = env.flag("IPSHUB_STATIC_FROM_FINDERS", MODE != "production")
# collectstatic writes a gzip and a brotli copy of each file beside it; whitenoise serves the one the browser takes.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if MODE != "production":
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even when serving from finders
MEDIA_ROOT = Path(env.text("IPSHUB_MEDIA_DIR", str(DATA_DIR / "media")))
UPLOAD_MAX_BYTES = env.whole("IPSHUB_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# How long the author of a progress note may correct it in place; after that, an addendum (docs/clients.md).
NOTE_CORRECTION_HOURS = env.whole("IPSHUB_NOTE_CORRECTION_HOURS", 24, minimum=1)
# The change feed lists an event once it is this old, so that a write whose transaction took its event's
# number before another's but committed after it is listed before a cursor passes it (docs/api.md).
# Tests read the feed straight after writing.
IPSHUB_CHANGES_SETTLE_SECONDS = env.whole("IPSHUB_CHANGES_SETTLE_SECONDS", 0 if MODE == "test" else 5, minimum=0)

EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if MODE == "demo"
    else env.text("IPSHUB_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
)
EMAIL_HOST = env.text("IPSHUB_EMAIL_HOST", "localhost")
EMAIL_PORT = env.whole("IPSHUB_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env.text("IPSHUB_FROM_EMAIL", "IPS Hub <ipshub@localhost>")

# Logs go to standard error (systemd's journal or the container's log). IPSHUB_LOG_FORMAT=json writes one JSON
# object per line (time, level, logger, message and the record's extra fields, such as a request's status code)
# for a log collector; `text` (the default) is for people reading a terminal.
LOG_FORMAT = env.choice("IPSHUB_LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.text("IPSHUB_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The REST API (ipshub/api, docs/api.md): personal tokens only, JSON only, one error shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ipshub.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["ipshub.api.parsers.LimitedJSONParser"],  # a nesting-depth limit
    "DEFAULT_PAGINATION_CLASS": "ipshub.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "ipshub.api.autoschema.AutoSchema",
    "EXCEPTION_HANDLER": "ipshub.api.errors.exception_handler",
    "PAGE_SIZE": 25,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IPS Hub API",
    "DESCRIPTION": "The IPS Hub REST API. Send a personal token as `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": ["ipshub.api.authentication.TokenAuthentication"],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Choice sets whose fields share a name ("kind", "status") get names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "ipshub.tenancy.roles.OrgKind",
        "OutreachKindEnum": "ipshub.implementation.models.OutreachKind",
        "ClientStatusEnum": "ipshub.clients.models.Status",
        "ConsentRevokedHowEnum": "ipshub.clients.models.Consent.RevokedHow",
        "ProgressNoteKindEnum": "ipshub.clients.models.NoteKind",
        "ClientDocumentKindEnum": "ipshub.clients.models.DocumentKind",
        "ClosureReasonEnum": "ipshub.clients.models.ClosureReason",
        "BenefitsPlanningReasonEnum": "ipshub.clients.models.BenefitsPlanning.Reason",
        "SupportContactKindEnum": "ipshub.clients.models.SupportContact.Kind",
        "MeetingKindEnum": "ipshub.collaboration.models.MeetingKind",
        "FollowUpStatusEnum": "ipshub.collaboration.models.FollowUpStatus",
        "MentoringActivityEnum": "ipshub.collaboration.models.MentoringActivity",
        "TechnicalAssistanceKindEnum": "ipshub.collaboration.models.TAKind",
        "DigestFrequencyEnum": "ipshub.collaboration.models.DigestFrequency",
        "ImplementationItemStatusEnum": "ipshub.implementation.models.ItemStatus",
        "PartnershipStatusEnum": "ipshub.implementation.models.PartnershipStatus",
        "SteeringRoleEnum": "ipshub.implementation.models.SteeringRole",
        "ResourceKindEnum": "ipshub.implementation.models.ResourceKind",
        "PhaseEnum": "ipshub.tenancy.models.Phase",
        "PersonRoleEnum": "ipshub.tenancy.roles.Role",
        "OutcomeGoalMetricEnum": "ipshub.outcomes.models.GoalMetric",
        "OutcomeUploadModeEnum": "ipshub.api.outcome_serializers.UPLOAD_MODES",
        "DvrAuthorizationStatusEnum": "ipshub.dvr.models.Authorization.Status",
        "DvrReportStatusEnum": "ipshub.dvr.models.DeliverableReport.Status",
        "DvrReportKindEnum": "ipshub.api.dvr_serializers.REPORT_KIND_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ipshub.api.schema.add_error_responses",
        "ipshub.api.schema.require_bodies_with_required_fields",
    ],
}

# --- Exchange (outcomes/aggregates.py) --------------------------------------------------------------
# This install's name in the aggregate files it publishes; an install refuses a file bearing its own name,
# so its figures are never pooled twice.
IPSHUB_INSTALL_NAME = env.text("IPSHUB_INSTALL_NAME", "ips-hub")
