"""Cohortwise settings.

Everything that differs between a laptop and a server comes from the environment
(django-environ). With nothing set you get the embedded defaults: SQLite, a Celery broker
on the local file system, a file cache and email printed to the console. Set
DJANGO_ENV=production to get the hardened settings that `check --deploy` expects.
"""

from importlib import metadata
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Local state: beat's schedule file, and with the embedded defaults the broker's folders and
# the file cache. git ignores it, so it is made here: beat must start on a fresh clone with
# REDIS_URL set too.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
# In production the key must come from the environment: no default, so a missing key fails loudly.
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY")
    if PRODUCTION
    else env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "template_partials",
    "csp",
    "accounts",
    "audit",
    "cohorts",
    "curriculum",
    "coaching",
    "action_plans",
    "networks",
    "notifications",
    "reports",
    "feedback360",
    "outcomes",
    "feedback",
    "announcements",
    "admissions",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    # First: /health/ answers over plain HTTP on any host name (load-balancer and container
    # probes), before the HTTPS redirect and the allowed-hosts check (accounts/middleware.py).
    "accounts.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: asks the navigation's roles and the page's program words before
    # anything else reads them (one query the page makes anyway, which spares the view's
    # access checks some of theirs), signs out idle and too-old sessions
    # (accounts/sessions.py), then sends people who must use two-factor authentication to
    # set it up (accounts/mfa.py), and marks personal pages not to be stored by browsers or
    # proxies.
    "accounts.middleware.ViewerRolesMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    "accounts.mfa.MfaRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.viewer",
                "cohorts.terms.terms_context",
            ],
            "builtins": ["cohorts.templatetags.terms", "accounts.templatetags.links"],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections when a database server is configured: opening a PostgreSQL
# connection (TCP, authentication, backend start) cost 9 of the 12 ms of a one-query page
# (docs/benchmarks.md). Each worker process keeps its connection for up to a minute and checks
# it before reusing it, so a restarted or failed-over server costs one error-free reconnect.
# A pooler (PgBouncer) in front of a large fleet of workers can set DATABASE_CONN_MAX_AGE=0.
_SERVER_DATABASE = bool(env.str("DATABASE_URL", default=""))
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DATABASE_CONN_MAX_AGE", default=60 if _SERVER_DATABASE else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
    "DATABASE_CONN_HEALTH_CHECKS", default=_SERVER_DATABASE
)
# The queries every page asks (the navigation's, a page's figures: accounts/compiled.py) are
# prepared once per connection on PostgreSQL, sparing the server their planning on every
# request. Only with connections kept between requests (a statement prepared on a connection
# closed after one request would cost a round trip more than it saves), and off behind a
# pooler in transaction mode, which moves statements between clients.
DATABASE_PREPARED_STATEMENTS = env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=DATABASES["default"]["CONN_MAX_AGE"] != 0
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # A file cache is shared by the web server and the Celery worker, unlike locmem.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Accounts and authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Five failed logins for one account in five minutes lock it out for the rest of the window.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/5m/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cohortwise] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Cohortwise"
# Passkeys: sign in with one alone (it is two factors in one: the device and its unlock).
MFA_PASSKEY_LOGIN_ENABLED = True
# WebAuthn needs https, except on a developer's own machine.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# Who must use a second factor is in accounts/mfa.py; until they have set one up they reach
# only these paths (enrolment, signing out, static files, the health check).
MFA_ENROLMENT_ALLOWED_PATHS = [
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/me/security/",
    "/me/session/",
    "/static/",
    "/health/",
]
# Sensitive account changes (email addresses, password, removing a second factor, a new
# calendar feed link) ask for the password or a second factor again, unless the person
# signed in or confirmed it within ACCOUNT_REAUTHENTICATION_TIMEOUT seconds.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Someone locked out by the failed-login limit still gets in with a code sent to their
# email (allauth's login by code), which has limits of its own.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600

# Sessions end after SESSION_IDLE_SECONDS without a request (program staff and the site
# admin: SESSION_STAFF_IDLE_SECONDS) and, whatever happens, SESSION_MAX_AGE_SECONDS after
# signing in (accounts/sessions.py). A page warns SESSION_WARNING_SECONDS before the end.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_STAFF_IDLE_SECONDS = env.int("SESSION_STAFF_IDLE_SECONDS", default=30 * 60)
SESSION_MAX_AGE_SECONDS = env.int("SESSION_MAX_AGE_SECONDS", default=12 * 60 * 60)
SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
# Sessions are read from the cache and written through to the database: every signed-in page
# saves the query that read its session (the database keeps them across a cache restart).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Internationalisation: stored in UTC, shown in the viewer's own zone -----------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_USER_TIME_ZONE = "America/New_York"

# --- Static files and uploads ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap comes from its PyPI wheel, htmx from django-htmx: installed, never copied in.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", metadata.distribution("bootstrap-wrapper").locate_file("bootstrap")),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Django's form renderer with drop-down lists written in Python rather than a template per
# option (accounts/form_renderer.py): the same HTML in a fraction of the time.
FORM_RENDERER = "accounts.form_renderer.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email -------------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# CSV downloads start with a UTF-8 byte order mark, so that Excel on Windows shows accented
# names right (accounts/csv_export.py); turn off for tools that choke on it.
CSV_EXPORT_BOM = env.bool("CSV_EXPORT_BOM", default=True)

# Every step of an SMTP conversation gives up after this many seconds: a mail server that
# hangs is a temporary failure, not a worker blocked until the task's time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cohortwise <noreply@cohortwise.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------------------

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Progress bars and chart SVGs size themselves with style attributes.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Celery ------------------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # A broker on the local disk: a newcomer needs no server to run the worker and beat.
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery-queue"
    for _folder in (_queue_dir, VAR_DIR / "celery-processed", VAR_DIR / "celery-control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, str | int] = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        # Without this kombu writes its broadcast files to ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery-control"),
    }
if REDIS_URL:
    # Reminders are never scheduled with an ETA (the ledger is the record), so an hour is
    # ample: a task not acknowledged within it is redelivered, not lost.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    # Every minute: tells the health page that beat and a worker are alive.
    "worker-heartbeat": {
        "task": "accounts.tasks.record_heartbeat",
        "schedule": crontab(minute="*"),
    },
    # Every two minutes: the notification sweep (notifications/sweep.py) writes what is due
    # to the ledger (session reminders, milestone nudges, digests...) and sends it in batches.
    # Nothing is ever scheduled ahead with an ETA; a missed run is caught up by the next one.
    "notifications-sweep": {
        "task": "notifications.tasks.sweep",
        "schedule": crontab(minute="*/2"),
    },
    # Daily at 03:30 UTC: audit entries older than AUDIT_RETENTION_DAYS are deleted (the only
    # deletion the audit log ever sees; audit/services.py).
    "audit-purge-expired": {
        "task": "audit.tasks.purge_expired_entries",
        "schedule": crontab(hour=3, minute=30),
    },
    # Daily at 06:15 UTC: approved plans of cohorts that have ended are marked completed.
    "complete-plans-of-ended-cohorts": {
        "task": "action_plans.tasks.complete_plans_of_ended_cohorts",
        "schedule": crontab(hour=6, minute=15),
    },
}
# Notification fan-out: ids per send task. A queued row not claimed after this long is queued
# again by the next sweep (a batch lost with a worker or a Redis restart): under two sweep
# intervals, so the catch-up comes within two sweeps; a row queued twice is still claimed once.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=100)
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", default=200)
# A row claimed for sending longer ago than a task may run (CELERY_TASK_TIME_LIMIT) belongs
# to a dead worker: the sweep makes it pending again.
NOTIFICATIONS_SENDING_STALE_SECONDS = env.int(
    "NOTIFICATIONS_SENDING_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 20
)
# The sweep lock expires by itself after its timeout if the beat that held it died.
NOTIFICATIONS_SWEEP_LOCK_SECONDS = 240
# A send that failed for now (the mail server down, hanging or answering 4xx) is tried again
# after NOTIFICATIONS_RETRY_SECONDS, doubling up to NOTIFICATIONS_RETRY_MAX_SECONDS, until the
# notification would be stale (a session reminder once the session started; anything else
# after NOTIFICATIONS_RETRY_FOR_SECONDS), then marked failed. A 5xx rejection of the message
# or its recipient is failed at once. The probes of a mail server that is down use the same
# backoff.
NOTIFICATIONS_RETRY_SECONDS = env.int("NOTIFICATIONS_RETRY_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=600)
NOTIFICATIONS_RETRY_FOR_SECONDS = env.int("NOTIFICATIONS_RETRY_FOR_SECONDS", default=24 * 3600)

# The audit log keeps its entries this many days (two years by default); 0 keeps them forever.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
