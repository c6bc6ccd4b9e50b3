"""Fixtures and helpers of the staff pages' browser tests: Debian's chromium, staff accounts, log-in."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from lifebot.settings import ROOT
from tests.conftest import LIFEBOT, TEST_SETTINGS, _env_without_lifebot_overrides

PASSWORD = "Jiangyin-2026-secret"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1360, "height": 860}
STAFF = (("wang", "operator"), ("zhao", "operator"), ("li", "maintainer"))


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: `apt-get install chromium` (.ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def accounts(stack) -> str:
    """Staff accounts made the way a site makes them (`lifebot users add ... --password-stdin`), once
    per test database; returns the API's base URL."""
    for username, role in STAFF:
        done = subprocess.run([str(LIFEBOT), "--settings", str(TEST_SETTINGS), "users", "add", username,
                               "--role", role, "--password-stdin"], input=PASSWORD + "\n", text=True, cwd=ROOT,
                              env=_env_without_lifebot_overrides(), capture_output=True)
        assert done.returncode == 0 or "已存在" in done.stderr, done.stderr
    return stack.settings.api_base_url


def log_in(chromium, base: str, path: str, username: str):
    page = chromium.new_context(viewport=VIEWPORT).new_page()
    page.goto(base + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").wait_for(timeout=10_000)
    return page


def screenshot(page, tmp_path, name: str) -> None:
    """Into the test's tmp dir, and into docs/img/ when LIFEBOT_SCREENSHOTS=1 (for the README)."""
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    if os.environ.get("LIFEBOT_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / "img" / f"{name}.png"))
