"""Settings shared by every environment. Values come from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (os.environ.get(name, default) or "").split(",") if item.strip()]


# "demo", "development", "test" or "production". The demo generator refuses to run in production.
LANTERN_ENVIRONMENT = "development"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "govuk_frontend_django",
    "lantern.core",
    "lantern.partnership",
    "lantern.children",
    "lantern.risk",
    "lantern.referrals",
    "lantern.missing",
    "lantern.education",
    "lantern.meetings",
    "lantern.plans",
    "lantern.contacts",
    "lantern.transitions",
    "lantern.network",
    "lantern.audits",
    "lantern.standards",
    "lantern.notifications",
    "lantern.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "lantern.core.middleware.NoStoreMiddleware",
    "lantern.core.middleware.IdleTimeoutNoticeMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lantern.core.context_processors.lantern",
            ],
            "builtins": ["lantern.core.templatetags.govuk"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'lantern.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent web requests and the task worker share one file: wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnership.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Shared council laptops: a session ends after this many minutes without a request,
# and when the browser closes.
LANTERN_IDLE_TIMEOUT_MINUTES = env_int("LANTERN_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = LANTERN_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# The screening tool: the lowest score of the low, medium and high bands ("6,11,16" by default,
# like SERAF); a level's next review at most this many months ahead; an involved agency that has
# not screened a child for this many months is shown on the child's page.
_thresholds = env_list("LANTERN_SCREENING_THRESHOLDS", "6,11,16")
if len(_thresholds) != 3 or not all(t.isdigit() for t in _thresholds) or not 0 < int(_thresholds[0]) <= int(_thresholds[1]) <= int(_thresholds[2]):
    raise ImproperlyConfigured(
        "LANTERN_SCREENING_THRESHOLDS takes three whole numbers that rise, low,medium,high (for example 6,11,16)"
    )
LANTERN_SCREENING_THRESHOLDS = dict(zip(("low", "medium", "high"), map(int, _thresholds)))
LANTERN_LEVEL_REVIEW_MONTHS = env_int("LANTERN_LEVEL_REVIEW_MONTHS", 3)
LANTERN_SCREENING_RECENT_MONTHS = env_int("LANTERN_SCREENING_RECENT_MONTHS", 3)

# Missing episodes: this many episodes starting within this many days is "repeat missing"; a
# return interview is offered within this many elapsed hours of the return; an episode starting
# within this many days of a change of worker is flagged (F19).
LANTERN_REPEAT_MISSING_COUNT = env_int("LANTERN_REPEAT_MISSING_COUNT", 3)
LANTERN_REPEAT_MISSING_DAYS = env_int("LANTERN_REPEAT_MISSING_DAYS", 90)
LANTERN_RETURN_INTERVIEW_HOURS = env_int("LANTERN_RETURN_INTERVIEW_HOURS", 72)
LANTERN_AFTER_CHANGE_OF_WORKER_DAYS = env_int("LANTERN_AFTER_CHANGE_OF_WORKER_DAYS", 90)

# Meetings: a child at medium or high risk is due for review at a meeting after this many weeks;
# decisions and actions go out within this many hours of the meeting, full minutes within this
# many working days; an agency that has not acknowledged minutes after this many working days is chased.
LANTERN_MEETING_REVIEW_WEEKS = env_int("LANTERN_MEETING_REVIEW_WEEKS", 8)
LANTERN_DECISIONS_HOURS = env_int("LANTERN_DECISIONS_HOURS", 24)
LANTERN_MINUTES_WORKING_DAYS = env_int("LANTERN_MINUTES_WORKING_DAYS", 10)
LANTERN_MINUTES_ACKNOWLEDGE_WORKING_DAYS = env_int("LANTERN_MINUTES_ACKNOWLEDGE_WORKING_DAYS", 3)
LANTERN_NO_CONTACT_DAYS = env_int("LANTERN_NO_CONTACT_DAYS", 14)
LANTERN_MAX_PROFESSIONALS = env_int("LANTERN_MAX_PROFESSIONALS", 6)

# Plans: reviewed at least every this many months; a service the plan relies on that has not
# started this many weeks after the referral is alerted (F15, F21).
LANTERN_PLAN_REVIEW_MONTHS = env_int("LANTERN_PLAN_REVIEW_MONTHS", 3)
LANTERN_SERVICE_START_WEEKS = env_int("LANTERN_SERVICE_START_WEEKS", 6)

# Emergency ("break glass") access lasts this many hours.
LANTERN_BREAK_GLASS_HOURS = env_int("LANTERN_BREAK_GLASS_HOURS", 4)
# Where links in emails point.
LANTERN_BASE_URL = env("LANTERN_BASE_URL", "http://127.0.0.1:8000")
LANTERN_PAGE_SIZE = 25

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("govuk-frontend", BASE_DIR / "node_modules" / "govuk-frontend"),
    ("cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Lantern <no-reply@lantern.invalid>")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lantern API",
    "DESCRIPTION": "The partnership's shared record of children at risk of exploitation. "
    "Every endpoint is scoped to what the signed-in user may see.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
# Lock the account on one machine only: a council office shares one address, so locking by
# address alone would lock out everyone in it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
