"""Production settings pass Django's deployment checks; the demo generator refuses them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, settings="lantern.settings.production", extra_env=None):
    # The browser tests allow async-unsafe calls in their own process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": settings,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "lantern.example.org",
        "DATABASE_URL": "postgres://lantern@127.0.0.1:5432/lantern_never_created",
        **(extra_env or {}),
    }
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", extra_env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_sqlite(tmp_path):
    result = _manage("check", extra_env={"DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}"})
    assert result.returncode != 0
    assert "Production runs on PostgreSQL" in result.stderr


def test_demo_generator_refuses_a_production_configuration():
    result = _manage("seed_demo", "--children", "1")
    assert result.returncode != 0
    assert "does not run against a production configuration" in result.stderr


def test_screening_settings_come_from_the_environment():
    result = _manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.LANTERN_SCREENING_THRESHOLDS, s.LANTERN_LEVEL_REVIEW_MONTHS, s.LANTERN_RETURN_INTERVIEW_HOURS)",
        extra_env={"LANTERN_SCREENING_THRESHOLDS": "5,10,15", "LANTERN_LEVEL_REVIEW_MONTHS": "2", "LANTERN_RETURN_INTERVIEW_HOURS": "48"},
    )
    assert result.returncode == 0, result.stderr
    assert "{'low': 5, 'medium': 10, 'high': 15} 2 48" in result.stdout
    for bad_value in ("5,10", "10,5,15", "a,b,c"):
        bad = _manage("check", extra_env={"LANTERN_SCREENING_THRESHOLDS": bad_value})
        assert bad.returncode != 0 and "takes three whole numbers that rise" in bad.stderr, bad_value
