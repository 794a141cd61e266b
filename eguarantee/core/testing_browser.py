"""Browser-test fixtures (a pytest plugin, see the root conftest.py, so that every app's tests may
use them): Playwright (sync API) against pytest-django's live_server: one chromium per session, a
fresh browser context per test. Every page a test opens is checked for console errors,
failed requests and CSP violations, and for Bootstrap's stylesheet being applied."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the tests to
# seed data and read the SMS log) would otherwise refuse to run next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    # Fail, never skip: `make test` installs chromium (Makefile: sysdeps).
    from playwright import sync_api

    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems(list):
    def watch(self, page):
        page.on("console", lambda msg: msg.type == "error" and self.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self.append(f"failed: {req.url} {req.failure}"))
        page.on("response", lambda res: res.status >= 400 and self.append(f"{res.status}: {res.url}"))

    def real(self):
        """Requests the page itself abandoned (a download, or a favicon still loading when
        the test moved on) end as "aborted"; they are not failures. Blocked, refused and
        erroneous requests are."""
        return [p for p in self if not (p.startswith("failed: ") and p.endswith(" net::ERR_ABORTED"))]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page)
    page.problems = problems
    yield page
    context.close()
    assert not problems.real(), "\n".join(problems.real())


@pytest.fixture
def assert_styled():
    return _assert_styled


def _assert_styled(page):
    """Bootstrap's CSS arrived and applies (CSP and whitenoise let it through)."""
    page.wait_for_load_state("load")  # a click's navigation may still be under way
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any(href.endswith("/static/vendor/bootstrap/css/bootstrap.min.css") for href in sheets), sheets
    primary = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bs-primary')")
    assert primary.strip() == "#0d6efd", primary
    margin = page.evaluate("getComputedStyle(document.body).margin")
    assert margin == "0px", margin  # Bootstrap's reboot, not the browser default of 8px


def login(page, username, password):
    """Sign in through the login page, as a user would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
