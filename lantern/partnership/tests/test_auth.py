import re

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from lantern.partnership.tests.factories import TEST_PASSWORD


def test_sign_in_with_email_and_password(client, partnership):
    response = client.post(reverse("login"), {"username": "SALLY@lantern.test", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert int(client.session[SESSION_KEY]) == partnership.social_worker.pk


def test_wrong_password_gives_a_clear_error(client, partnership):
    response = client.post(reverse("login"), {"username": "sally@lantern.test", "password": "not-the-password"})
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter a correct email address and password" in body
    assert SESSION_KEY not in client.session


def test_account_locks_after_five_failures(client, partnership):
    for _ in range(5):
        client.post(reverse("login"), {"username": "sally@lantern.test", "password": "wrong-password-here"})
    response = client.post(reverse("login"), {"username": "sally@lantern.test", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_session_ends_after_the_idle_timeout(client, partnership, settings):
    client.force_login(partnership.social_worker)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    assert client.session.get_expire_at_browser_close()
    # The session store forgets a session idle for longer than the timeout.
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sign_out_needs_a_post_and_ends_the_session(client, partnership):
    client.force_login(partnership.social_worker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_pages_for_signed_in_users_are_never_cached(client, partnership):
    client.force_login(partnership.social_worker)
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_password_reset_by_email_over_real_smtp(client, partnership, smtp_inbox):
    response = client.post(reverse("password_reset"), {"email": "sally@lantern.test"})
    assert response.status_code == 302
    bodies = smtp_inbox.bodies_to("sally@lantern.test")
    assert len(bodies) == 1
    assert smtp_inbox.messages[0]["message"]["Subject"] == "Reset your Lantern password"
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", bodies[0]).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "a-much-longer-passphrase-42", "new_password2": "a-much-longer-passphrase-42"})
    assert done.status_code == 302
    partnership.social_worker.refresh_from_db()
    assert partnership.social_worker.check_password("a-much-longer-passphrase-42")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, partnership, smtp_inbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@lantern.test"})
    assert response.status_code == 302
    assert smtp_inbox.messages == []


def test_a_timed_out_session_is_explained_on_the_sign_in_page(client, partnership):
    client.force_login(partnership.social_worker)
    client.get(reverse("home"))
    assert client.cookies["lantern_signed_in"].value == "1"
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get("/children/", follow=True)
    assert "You were signed out because you had not done anything for 30 minutes" in response.content.decode()


def test_signing_out_is_not_called_a_timeout(client, partnership):
    client.force_login(partnership.social_worker)
    client.get(reverse("home"))
    client.post(reverse("logout"))
    response = client.get(reverse("home"), follow=True)
    assert "You were signed out because" not in response.content.decode()


def test_a_new_person_sets_their_first_password_by_email(client, partnership, smtp_inbox):
    from lantern.partnership import services
    from lantern.partnership.models import Role

    person = services.create_user(by=partnership.administrator, email="newbie@lantern.test", full_name="New Bie")
    services.add_membership(by=partnership.administrator, user=person, agency=partnership.school, role=Role.PRACTITIONER)
    assert not person.has_usable_password()
    client.post(reverse("password_reset"), {"email": "newbie@lantern.test"})
    bodies = smtp_inbox.bodies_to("newbie@lantern.test")
    assert len(bodies) == 1
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", bodies[0]).group(1)
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": "first-ever-passphrase-77", "new_password2": "first-ever-passphrase-77"})
    person.refresh_from_db()
    assert person.check_password("first-ever-passphrase-77")
