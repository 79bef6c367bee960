"""The exchange commands (decision 0013), with real files."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.children.models import IdentifierKind, LegalStatus
from lantern.children.tests.factories import register_child
from lantern.missing.models import MissingEpisode

SAMPLE = Path(__file__).parent / "data" / "ssda903_missing_sample.csv"


@pytest.fixture
def sample_children(partnership):
    for la_id, dob in (("BF204711", dt.date(2011, 2, 14)), ("BF318052", dt.date(2009, 11, 30)), ("BF500123", dt.date(2013, 7, 7))):
        register_child(by=partnership.hub, date_of_birth=dob, legal_status=LegalStatus.LOOKED_AFTER,
                       identifiers=[(IdentifierKind.LA_CHILD_ID, la_id)])
    return partnership


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_then_export_through_the_commands_gives_the_same_file(sample_children, tmp_path):
    p = sample_children
    out, _ = _run("import_ssda903_missing", str(SAMPLE), "--by", p.hub.email.upper())
    assert out.startswith("Imported 9 episodes from") and "0 rows already recorded and skipped" in out
    out, _ = _run("import_ssda903_missing", str(SAMPLE), "--by", p.hub.email)
    assert "Imported 0 episodes" in out and "9 rows already recorded and skipped (rows 2, 3, 4, 5, 6, 7, 8, 9, 10)" in out
    target = tmp_path / "out.csv"
    _, err = _run("export_ssda903_missing", "--year", "2026", "--output", str(target))
    assert target.read_bytes() == SAMPLE.read_bytes() and "Wrote 9 rows to" in err
    out, _ = _run("export_ssda903_missing", "--year", "2026")
    assert out.encode("utf-8") == SAMPLE.read_bytes()
    annex = tmp_path / "annex.csv"
    _run("export_annex_a_list8", "--date", "2026-03-31", "--output", str(annex))
    assert annex.read_text(encoding="utf-8").splitlines()[1] == "BF204711,b) Female,t) NOBT,14/02/2011,15,c) Unknown,3,1,b) No,b) No"
    out, _ = _run("export_annex_a_list8")
    assert out.startswith("Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years)")


def test_a_bad_file_prints_every_problem_exits_with_an_error_and_imports_nothing(sample_children, tmp_path):
    p = sample_children
    bad = tmp_path / "bad.csv"
    bad.write_bytes(SAMPLE.read_bytes().replace(b"20/09/2025,22/09/2025", b"20/09/2025,31/02/2025").replace(b"BF500123", b"BF999999"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported from .*bad.csv: 3 problems"):
        call_command("import_ssda903_missing", str(bad), "--by", p.hub.email, stderr=err)
    assert err.getvalue().splitlines() == [
        "Row 4, MIS_END ('31/02/2025'): 31/02/2025 is not a real date",
        "Row 9, CHILD ('BF999999'): No child in Lantern has the local authority child ID BF999999. Check the ID, or record it on the "
        "child's page first",
        "Row 10, CHILD ('BF999999'): No child in Lantern has the local authority child ID BF999999. Check the ID, or record it on the "
        "child's page first",
    ]
    assert not MissingEpisode.objects.exists()


def test_the_commands_refuse_what_they_cannot_do(sample_children, tmp_path):
    p = sample_children
    with pytest.raises(CommandError, match="is not a member of the exploitation hub"):
        _run("import_ssda903_missing", str(SAMPLE), "--by", p.social_worker.email)
    with pytest.raises(CommandError, match="No active user has the email address nobody@lantern.test"):
        _run("import_ssda903_missing", str(SAMPLE), "--by", "nobody@lantern.test")
    with pytest.raises(CommandError, match="Cannot read"):
        _run("import_ssda903_missing", str(tmp_path / "missing.csv"), "--by", p.hub.email)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="1 problem"):
        _run("import_ssda903_missing", str(empty), "--by", p.hub.email)
    with pytest.raises(CommandError, match="--year must be a year such as 2026"):
        _run("export_ssda903_missing", "--year", "26")
    with pytest.raises(CommandError, match="The Missing table was not exported: 1 problem"):
        _run("export_ssda903_missing", "--year", "2099")
    with pytest.raises(CommandError, match="--date must be a real date written YYYY-MM-DD"):
        _run("export_annex_a_list8", "--date", "2026-02-31")
    assert not MissingEpisode.objects.exists()
