"""The test suite: whatever DATABASE_URL names (SQLite by default), fast hashing, real SMTP in email tests."""

from .base import *  # noqa: F401,F403
from .base import env

LANTERN_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "lantern-tests-only-not-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app folders and node_modules; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
