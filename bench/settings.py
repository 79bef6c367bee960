"""Settings for `python -m bench`: the test settings, pointed at a throw-away SQLite file in bench/.

DATABASE_URL is ignored on purpose: the bench always builds its own file, so it can never touch
the developer's lantern.sqlite3 or a shared database. The SQLite options (WAL, IMMEDIATE
transactions, busy timeout) are the ones every SQLite install of Lantern runs with.
BENCH_DATABASE_URL names a PostgreSQL database of the bench's own instead, for the standards
scan's measures (see bench/__main__.py).
"""

import os
from pathlib import Path

import dj_database_url

from lantern.settings.test import *  # noqa: F401,F403
from lantern.settings.test import ALLOWED_HOSTS, BASE_DIR

BENCH_DIR = Path(__file__).resolve().parent
BENCH_DATABASE = BENCH_DIR / "bench.sqlite3"  # git-ignored: bench/*.sqlite3*

if BENCH_DATABASE.resolve() == (BASE_DIR / "lantern.sqlite3").resolve():  # pragma: no cover - a guard, never true
    raise RuntimeError("The bench must not use the development database")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BENCH_DATABASE),
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
    }
}

# BENCH_DATABASE_URL (not DATABASE_URL) asks for PostgreSQL instead: the bench drops and creates
# that database, so its name must say it is the bench's own.
_POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "").strip()
if _POSTGRES_URL:
    _postgres = dj_database_url.parse(_POSTGRES_URL, conn_max_age=0, conn_health_checks=True)
    if _postgres["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("BENCH_DATABASE_URL must be a postgres:// address")
    if not str(_postgres.get("NAME", "")).startswith("lantern_bench"):
        raise RuntimeError("The BENCH_DATABASE_URL database's name must begin with lantern_bench: the bench drops it")
    DATABASES = {"default": _postgres}

# django.test.Client sends Host: testserver. We do not call setup_test_environment(), which would
# add it, because that also instruments template rendering and would slow every page down.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
LANTERN_ENVIRONMENT = "bench"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
