"""The hub's page for exchanging missing data (decision 0013): upload, downloads, problems shown
in the page, and "not found" for everyone else."""

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantern.children.models import AccessLogEntry, IdentifierKind, LegalStatus
from lantern.children.tests.factories import register_child
from lantern.missing.models import MissingEpisode
from lantern.missing.tests.factories import at, record_episode

SAMPLE = Path(__file__).parent / "data" / "ssda903_missing_sample.csv"
URLS = ("missing:exchange", "missing:import_ssda903", "missing:export_ssda903", "missing:export_annex_a")


def _children(p):
    for la_id, dob in (("BF204711", dt.date(2011, 2, 14)), ("BF318052", dt.date(2009, 11, 30)), ("BF500123", dt.date(2013, 7, 7))):
        register_child(by=p.hub, date_of_birth=dob, legal_status=LegalStatus.LOOKED_AFTER, identifiers=[(IdentifierKind.LA_CHILD_ID, la_id)])


def _upload(client, content: bytes, name: str = "missing.csv"):
    return client.post(reverse("missing:import_ssda903"), {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_the_hub_imports_a_file_and_sees_how_many_episodes_were_imported_and_skipped(client, partnership):
    p = partnership
    _children(p)
    client.force_login(p.hub)
    listing = client.get(reverse("missing:list")).content.decode()
    assert reverse("missing:exchange") in listing
    page = client.get(reverse("missing:exchange"))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    done = _upload(client, SAMPLE.read_bytes())
    assert done.status_code == 302 and done["Location"] == reverse("missing:exchange")
    assert "9 episodes imported." in client.get(reverse("missing:exchange")).content.decode()
    assert MissingEpisode.objects.count() == 9
    _upload(client, SAMPLE.read_bytes())
    assert "0 episodes imported. 9 rows were already recorded and were skipped." in client.get(reverse("missing:exchange")).content.decode()
    assert MissingEpisode.objects.count() == 9


def test_a_file_with_problems_imports_nothing_and_the_page_lists_each_one(client, partnership):
    p = partnership
    _children(p)
    client.force_login(p.hub)
    bad = SAMPLE.read_bytes().replace(b"20/09/2025,22/09/2025", b"20/09/2025,31/02/2025").replace(b"BF500123,07/07/2013,A", b"BF500123,07/07/2013,X")
    response = _upload(client, bad)
    content = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in content and "<title>Error:" in content
    assert "Nothing was imported: 2 problems were found. They are listed below" in content
    assert 'href="#id_file"' in content and 'id="import-problems"' in content
    table = content[content.index('id="import-problems"'):]
    assert "<td class=\"govuk-table__cell\">4</td>" in table and "MIS_END" in table and "31/02/2025 is not a real date" in table
    assert "<td class=\"govuk-table__cell\">10</td>" in table and "MISSING must be M (missing) or A" in table
    assert not MissingEpisode.objects.exists()


def test_files_that_cannot_be_read_say_why_on_the_upload_field(client, partnership):
    client.force_login(partnership.hub)
    for content, message in (
        (b"", "The selected file is empty"),
        (b"CHILD;DOB;MISSING;MIS_START;MIS_END\r\n", "CHILD;DOB;MISSING;MIS_START;MIS_END is not a column"),
        ("CHILD,DOB,MISSING,MIS_START,MIS_END\r\nBF1,01/01/2012,M,01/06/2025,É\r\n".encode("cp1252"), "The file is not UTF-8 text"),
    ):
        response = _upload(client, content)
        assert response.status_code == 200 and message in response.content.decode(), message
    missing = client.post(reverse("missing:import_ssda903"), {})
    assert "Select the SSDA903 Missing table to import" in missing.content.decode()
    assert client.get(reverse("missing:import_ssda903")).status_code == 405


def test_the_hub_downloads_the_missing_table_and_annex_a_list_8(client, partnership):
    p = partnership
    _children(p)
    client.force_login(p.hub)
    _upload(client, SAMPLE.read_bytes())
    download = client.get(reverse("missing:export_ssda903"), {"year": "2026"})
    assert download.status_code == 200 and download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="ssda903-missing-2026.csv"'
    assert "no-store" in download["Cache-Control"]  # as every page
    assert download.content == SAMPLE.read_bytes()
    assert AccessLogEntry.objects.filter(purpose="export", user=p.hub).count() == 3
    annex = client.get(reverse("missing:export_annex_a"), {"on_0": "31", "on_1": "3", "on_2": "2026"})
    assert annex.status_code == 200 and annex["Content-Disposition"] == 'attachment; filename="annex-a-list-8-2026-03-31.csv"'
    assert annex.content.decode().split("\r\n")[1] == "BF204711,b) Female,t) NOBT,14/02/2011,15,c) Unknown,3,1,b) No,b) No"
    assert client.get(reverse("missing:export_annex_a"), {"on_0": "31", "on_1": "2", "on_2": "2026"}).status_code == 200
    assert "must be a real date" in client.get(reverse("missing:export_annex_a"), {"on_0": "31", "on_1": "2", "on_2": "2026"}).content.decode()
    assert "Select one of the collection years listed" in client.get(reverse("missing:export_ssda903"), {"year": "1999"}).content.decode()


def test_an_export_that_would_break_the_rules_lists_the_records_to_correct(client, partnership):
    p = partnership
    child = register_child(by=p.hub, first_name="Noid", date_of_birth=dt.date(2011, 3, 1), legal_status=LegalStatus.LOOKED_AFTER)
    record_episode(by=p.hub, child=child, started_at=at(2025, 9, 1, 20), returned_at=at(2025, 9, 2, 9))
    client.force_login(p.hub)
    response = client.get(reverse("missing:export_ssda903"), {"year": "2026"})
    content = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in content and 'id="export-problems"' in content
    assert "The Missing table was not exported: 1 problem was found" in content
    assert f"{child.display_name}, born 01/03/2011, has no local authority child ID" in content


def test_every_exchange_page_is_not_found_for_everyone_but_the_hub(client, partnership):
    p = partnership
    for user in (p.social_worker, p.social_care_manager, p.chair, p.police_officer, p.auditor, p.board_member, p.administrator):
        client.force_login(user)
        for name in URLS:
            for method in ("get", "post"):
                assert getattr(client, method)(reverse(name)).status_code == 404, (user, name, method)
        if user.access.can_work_with_children:
            assert reverse("missing:exchange") not in client.get(reverse("missing:list")).content.decode()
    client.logout()
    for name in URLS:  # to sign in
        assert client.get(reverse(name)).status_code == 302 and client.post(reverse(name)).status_code == 302
