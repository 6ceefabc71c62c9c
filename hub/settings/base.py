"""Settings shared by every environment; each environment module starts from these."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "hub",
    "policies",
    "panels",
    "improvement",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "hub.apps.HubUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "django.forms",
    "modelcluster",
    "taggit",
    "simple_history",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "hub.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hub.middleware.SecurityHeadersMiddleware",
    "hub.page_cache.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hub.middleware.PrivateResponseMiddleware",
    "hub.middleware.AdminAddressGuard",
    "hub.middleware.BadInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hub.middleware.IdleSessionMiddleware",
    "hub.middleware.TwoFactorForAdminMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hub.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hub.context_processors.display",
            ],
        },
    },
]

WSGI_APPLICATION = "hub.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'hub.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The visibility filters' estimated cost crosses PostgreSQL's JIT threshold, and
    # compiling took 110 ms of a 138 ms explorer listing that runs in 24 ms without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never wait for a writer, and a second writer (an autosave beside a
    # submit) waits its turn instead of answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "hub.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hub"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Pages anonymous readers may share are kept only in a cache every process reads
# (Redis): a purge has to reach every process (``hub.page_cache``).
HUB_PAGE_CACHE = "default" if REDIS_URL else ""
HUB_PAGE_CACHE_SECONDS = int(os.environ.get("HUB_PAGE_CACHE_SECONDS", "300"))
# Each process also keeps copies of the pages it serves, up to this many bytes.
HUB_PAGE_CACHE_PROCESS_BYTES = int(os.environ.get("HUB_PAGE_CACHE_PROCESS_BYTES", str(32 << 20)))
# A proxy in front of the site (Varnish, nginx) that takes HTTP PURGE requests is
# told which pages a change names; it keeps any page at most this long.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
HUB_FRONT_CACHE_SECONDS = int(os.environ.get("HUB_FRONT_CACHE_SECONDS", "60"))

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Search engines by name; SEARCH_ENGINE picks one: the database's own full-text search
# unless an Elasticsearch server is named. Another engine (OpenSearch, say) is one more
# entry: a class with the engine's methods (``search.engines.base``) and its options.
SEARCH_ENGINES = {
    "database": {"CLASS": "search.engines.database.DatabaseEngine"},
    "elasticsearch": {
        "CLASS": "search.engines.elasticsearch.ElasticsearchEngine",
        "OPTIONS": {"url": ELASTICSEARCH_URL},
    },
}
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE") or (
    "elasticsearch" if ELASTICSEARCH_URL else "database"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Signing in -------------------------------------------------------------------------------
# django-allauth signs people in: it throttles failed attempts, asks for a second factor,
# and rate-limits password resets. See the README's "Signing in".
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "hub.accounts.HubAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Signed in without access to where they were going, a person sees the sign-in page
# saying so, instead of being sent back there in a loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# After this many failed sign-ins an account is locked for this many minutes (an
# Administrator can unlock it sooner); an address making many attempts is slowed too.
HUB_SIGN_IN_ATTEMPTS = int(os.environ.get("HUB_SIGN_IN_ATTEMPTS", "5"))
HUB_SIGN_IN_LOCK_MINUTES = int(os.environ.get("HUB_SIGN_IN_LOCK_MINUTES", "15"))
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{HUB_SIGN_IN_ATTEMPTS}/{HUB_SIGN_IN_LOCK_MINUTES}m/key",
    "reset_password": "10/m/ip,3/h/key",
    "reset_password_from_key": "10/m/ip",
}
# Behind a proxy, the client's address is read from the header the proxy sets.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Safeguarding Hub"
# A phone's clock a little out accepts the code of the step before or after.
MFA_TOTP_TOLERANCE = 1
# Idle sessions end: admin users' after 30 minutes, readers' after a working day.
HUB_ADMIN_IDLE_MINUTES = int(os.environ.get("HUB_ADMIN_IDLE_MINUTES", "30"))
HUB_READER_IDLE_MINUTES = int(os.environ.get("HUB_READER_IDLE_MINUTES", str(8 * 60)))
SESSION_COOKIE_AGE = 60 * 60 * 12

# Email ------------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Safeguarding Hub <hub@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A mail server that stops answering fails the send instead of holding up the request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Both folders may be elsewhere on a server: uploads on a volume that is backed up.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")

# Every response may carry personal or restricted material, so nothing is framed
# by another site; Wagtail's own preview views opt back in to same-origin framing.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

WAGTAIL_SITE_NAME = "Safeguarding Hub"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# Wagtail's own sign-in and password reset would skip the second factor and the throttle.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Shared passwords are stored in plain text and cannot be tied to a person:
# restricted pages and documents admit people by sign-in and group only.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Documents are always served through Django so that collection privacy is enforced.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Background work (telling Elasticsearch what changed, Wagtail's own) runs at once in
# development and tests; production queues it for a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "csv", "txt", "rtf"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"quiet_probes": {"()": "hub.health.QuietProbes"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every background task and page action is logged at INFO; the audit trail is in the database.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # The scheduler's own lines (each job added, each run begun) repeat ``hub.schedule``.
        "apscheduler": {"level": "WARNING"},
        # Each request has its own line from ``hub.request_log``; Django's own line for a
        # 403 or 404 would repeat it as a warning. Errors (5xx) still come through.
        "django.request": {"level": "ERROR", "filters": ["quiet_probes"]},
    },
}

# The scheduler (``manage.py run_schedule``, one process for the whole site) runs these
# management commands: every so many seconds, or at the times of a crontab line (site time).
# How many days before its due date an action's owner is first reminded.
HUB_ACTION_REMINDER_DAYS = int(os.environ.get("HUB_ACTION_REMINDER_DAYS", "7"))

HUB_SCHEDULE = {
    "Publish scheduled pages": {
        "command": "publish_scheduled",
        "every_seconds": int(os.environ.get("HUB_PUBLISH_EVERY_SECONDS", "60")),
    },
    "Prune finished background tasks": {
        "command": "prune_db_task_results --min-age-days 7",
        "cron": "30 2 * * *",
    },
    "Clear expired sessions": {"command": "clearsessions", "cron": "0 3 * * *"},
    "Send reminders and digests": {"command": "send_notifications", "cron": "0 7 * * *"},
    "Retry emails that failed": {
        "command": "send_notifications --retries-only",
        "cron": "*/10 * * * *",
    },
    "Refresh the query planner's statistics": {
        "command": "refresh_statistics",
        "cron": "30 3 * * *",
    },
}

# What reading one attached file's text may ask of the worker (``hub.text_extraction``):
# a file over a limit is kept as "text not available", with why.
HUB_EXTRACT_MAX_BYTES = int(os.environ.get("HUB_EXTRACT_MAX_BYTES", str(50 << 20)))
HUB_EXTRACT_MAX_PAGES = int(os.environ.get("HUB_EXTRACT_MAX_PAGES", "500"))
HUB_EXTRACT_SECONDS = int(os.environ.get("HUB_EXTRACT_SECONDS", "30"))
HUB_EXTRACT_MEMORY_MB = int(os.environ.get("HUB_EXTRACT_MEMORY_MB", "512"))
HUB_EXTRACT_MAX_CHARS = int(os.environ.get("HUB_EXTRACT_MAX_CHARS", "2000000"))
HUB_EXTRACT_MAX_UNZIPPED_BYTES = int(
    os.environ.get("HUB_EXTRACT_MAX_UNZIPPED_BYTES", str(200 << 20))
)

# The council's case and file reference formats, for the privacy check (``hub.privacy``):
# regular expressions, one a line, e.g. "\bCS-\d{6}\b".
HUB_CASE_REFERENCE_PATTERNS = [
    pattern.strip()
    for pattern in os.environ.get("HUB_CASE_REFERENCE_PATTERNS", "").splitlines()
    if pattern.strip()
]

# Demo content creates accounts with a publicly known password.
HUB_DEMO_CONTENT_ALLOWED = False
