"""Development and demo: SQLite, debug pages, emails printed to the console."""

from .base import *  # noqa: F401,F403
from .base import env, env_bool

LANTERN_ENVIRONMENT = "demo"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "lantern-demo-only-not-secret-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Serve static files straight from the app folders and node_modules; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
