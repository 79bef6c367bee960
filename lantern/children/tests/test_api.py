from lantern.children.models import AccessLogEntry, IdentifierKind
from lantern.children.tests.factories import register_child


def test_api_lists_only_visible_children(client, partnership):
    p = partnership
    mine = register_child(by=p.school_lead, first_name="Dara", last_name="Reedwater")
    register_child(by=p.police_officer, first_name="Dara", last_name="Thornbury")
    client.force_login(p.school_lead)
    data = client.get("/api/children/", {"q": "dara"}).json()
    assert data["count"] == 1
    assert data["results"][0]["id"] == mine.pk


def test_api_detail_is_logged_and_not_found_for_others(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "9434765919")])
    client.force_login(p.police_officer)
    assert client.get(f"/api/children/{child.pk}/").status_code == 404
    assert not AccessLogEntry.objects.exists()
    client.force_login(p.school_lead)
    data = client.get(f"/api/children/{child.pk}/").json()
    assert data["identifiers"][0]["value"] == "943 476 5919"
    assert data["involvements"][0]["agency"] == "Testford Academy"
    assert AccessLogEntry.objects.get().purpose == "api"


def test_openapi_schema_needs_sign_in(client, partnership):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(partnership.school_lead)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/children/{id}/" in response.content
