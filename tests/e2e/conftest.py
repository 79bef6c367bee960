"""Browser fixtures for the end-to-end tests: Debian's Chromium driven by Playwright, axe-core for accessibility."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; the test code still needs the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    # A missing browser fails the run loudly: the end-to-end tests are never skipped.
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"No browser at {CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium)", pytrace=False)
    if not AXE_PATH.exists():
        pytest.fail("axe-core is not installed: run npm ci", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_watched_page(browser, live_server, problems: list):
    """A page in a context of its own whose JavaScript errors, Content Security Policy violations
    and missing static files are added to `problems`."""
    # The site's Content Security Policy stays on, so a page that breaks it fails the test;
    # axe is evaluated through the DevTools protocol, which the policy does not govern.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error on {page.url}: {exc}"))
    page.on(
        "console",
        lambda msg: problems.append(f"Console error on {page.url}: {msg.text}")
        if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} for {r.url}") if "/static/" in r.url and r.status >= 400 else None,
    )
    return context, page


@pytest.fixture
def watched_page(browser, live_server):
    """Make more watched pages, each in a context of its own (for journeys with several people)."""
    return lambda problems: new_watched_page(browser, live_server, problems)


@pytest.fixture
def page(browser, live_server):
    problems = []
    context, page = new_watched_page(browser, live_server, problems)
    try:
        yield page
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"Accessibility violations on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def check_accessibility(page) -> list[dict]:
    """Run axe on the page as it stands; fail on serious or critical violations. Returns all violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations",
        AXE_TAGS,
    )
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, _format_violations(page.url, blocking)
    if violations:  # lesser ones are reported (pytest -rP shows them) but do not fail the test
        print(_format_violations(page.url, violations))
    return violations


@pytest.fixture
def axe():
    return check_accessibility


@pytest.fixture
def sign_in(page, axe):
    """Sign in through the real sign-in page (checked with axe on the way)."""
    from lantern.partnership.tests.factories import TEST_PASSWORD

    def _sign_in(user, password: str = TEST_PASSWORD):
        page.goto("/sign-in/")
        axe(page)
        page.fill("#id_username", user.email)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert "/sign-in/" not in page.url, page.content()
        return page

    return _sign_in


@pytest.fixture
def open_session(watched_page, axe):
    """Sign a user in, in a browser context of their own, through the real sign-in page. Every
    context is watched, as conftest's `page` is, for JavaScript errors, Content Security Policy
    violations and missing static files."""
    contexts, problems = [], []

    @contextmanager
    def _open(user):
        from lantern.partnership.tests.factories import TEST_PASSWORD

        context, page = watched_page(problems)
        contexts.append(context)
        page.goto("/sign-in/")
        axe(page)
        page.fill("#id_username", user.email)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert "/sign-in/" not in page.url, page.content()
        axe(page)  # the home page
        try:
            yield page
        finally:
            context.close()
            contexts.remove(context)

    try:
        yield _open
    finally:
        for context in contexts:
            context.close()
    assert not problems, "\n".join(problems)
