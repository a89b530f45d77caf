"""Settings for the processes of the integration tests (Celery workers and the harness):
the test settings with a real broker, a database every process can reach, a cache they
share (the sweep lock) and a mailbox on disk so sends can be counted across processes.

Everything comes from CW_IT_* variables set by tests/integration/conftest.py.
"""

import os

import environ

from config.settings_test import *  # noqa: F403

_env = environ.Env()
_dir = os.environ["CW_IT_DIR"]

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = os.environ["CW_IT_BROKER_URL"]
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": os.path.join(_dir, "queue"),
        "data_folder_out": os.path.join(_dir, "queue"),
        "processed_folder": os.path.join(_dir, "processed"),
        "control_folder": os.path.join(_dir, "control"),
    }
CELERY_TASK_DEFAULT_QUEUE = os.environ["CW_IT_QUEUE"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A beat that cannot reach the broker fails fast instead of retrying for minutes.
CELERY_TASK_PUBLISH_RETRY = False

DATABASES = {"default": _env.db_url_config(os.environ["CW_IT_DATABASE_URL"])}
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("CW_IT_APP_NAME"):
    # Names this process's connections, so a test can drop exactly them.
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = os.environ[
        "CW_IT_APP_NAME"
    ]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes write one file: wait for the lock rather than fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(_dir, "cache"),
    }
}
EMAIL_BACKEND = "tests.integration.mailbox.FileMailbox"
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("CW_IT_BATCH_SIZE", "5"))
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = int(os.environ.get("CW_IT_REQUEUE_AFTER", "3"))
NOTIFICATIONS_RETRY_SECONDS = 1
NOTIFICATIONS_RETRY_MAX_SECONDS = int(os.environ.get("CW_IT_RETRY_MAX", "2"))
# A row left "sending" by a killed worker goes again after this long (in production: longer
# than a task may run).
NOTIFICATIONS_SENDING_STALE_SECONDS = int(os.environ.get("CW_IT_SENDING_STALE", "3"))

# A real SMTP server started by the test (tests/integration/smtp_server.py), when given.
if os.environ.get("CW_IT_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["CW_IT_SMTP_PORT"])
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_TIMEOUT = int(os.environ.get("CW_IT_EMAIL_TIMEOUT", "5"))
