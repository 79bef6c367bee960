"""Fixtures shared by the whole suite. Data is built through the services, as users would."""

import socket

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpInbox:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages = []
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                inbox.messages.append(
                    {
                        "from": envelope.mail_from,
                        "to": list(envelope.rcpt_tos),
                        "message": message_from_bytes(envelope.content, policy=policy.default),
                    }
                )
                return "250 Message accepted for delivery"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def bodies_to(self, address: str) -> list[str]:
        return [m["message"].get_body(("plain",)).get_content() for m in self.messages if address in m["to"]]


@pytest.fixture
def smtp_inbox(settings):
    inbox = SmtpInbox()
    inbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        inbox.stop()


@pytest.fixture
def partnership(db):
    """A small partnership: social care (with hub), police, a school, health; a user in each role."""
    from lantern.partnership.tests.factories import build_partnership

    return build_partnership()


def pytest_collection_modifyitems(config, items):
    # The end-to-end tests need the browser; mark them so `-m "not e2e"` can leave them out.
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
