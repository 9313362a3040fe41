"""End to end, once, in a real browser: a student moves the punishment slider with the keyboard.

The test starts ``streamlit run app.py`` itself on a free loopback port, waits
for ``/_stcore/health``, drives Debian's Chromium through Playwright (never a
downloaded browser: ``bash scripts/install-browser.sh``), and stops the server
at the end.

Without ``/usr/bin/chromium`` (or ``$DILEMMA_CHROMIUM``; or the ``playwright`` package) the test is
skipped with the reason; with ``DILEMMA_REQUIRE_BROWSER=1`` it fails instead,
so CI cannot pass by skipping.

Run it alone: ``pytest -m browser``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DILEMMA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PUNISHMENT = "Market punishment for cutting (% of market value per year)"


def _unavailable(reason: str):
    if os.environ.get("DILEMMA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DILEMMA_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``streamlit run app.py`` on a free port (the screenshot script's server helper); yields the URL."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import lab_server

    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    try:
        with lab_server(log_path=log) as url:
            yield url
    except RuntimeError as exc:  # the server did not come up: say why
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is not installed (bash scripts/install-browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _chart_text(page) -> str:
    """The text drawn in the payoff matrix (Vega renders SVG: the payoffs and the equilibrium tags)."""
    return page.locator('[data-testid="stVegaLiteChart"]').first.evaluate(
        "e => Array.from(e.querySelectorAll('svg text')).map(t => t.textContent).join('|')")


def test_punishment_slider_turns_the_dilemma_into_chicken(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/?preset=classroom-two-player", wait_until="domcontentloaded")

    headline = page.locator('[data-testid="stMarkdownContainer"]', has_text="The game:").first
    headline.wait_for(timeout=60_000)
    assert "Prisoner's dilemma" in headline.inner_text()
    page.locator('[data-testid="stVegaLiteChart"] svg text', has_text="Nash equilibrium").first.wait_for()
    before = _chart_text(page)
    assert before.count("Nash equilibrium") == 1, before

    slider = page.get_by_role("slider", name=PUNISHMENT)
    slider.focus()
    start = float(slider.get_attribute("value"))
    step = float(slider.get_attribute("step"))
    assert start > 0
    for _ in range(round(start / step)):
        page.keyboard.press("ArrowLeft")
    assert float(slider.get_attribute("value")) == pytest.approx(0.0, abs=1e-9)

    # the rerun: the headline names the new type, the matrix shows two pure equilibria
    page.locator('[data-testid="stMarkdownContainer"]', has_text="Chicken").first.wait_for(timeout=30_000)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')[0]
                 .querySelectorAll('svg text')).filter(t => t.textContent === 'Nash equilibrium').length === 2""",
        timeout=30_000)
    after = _chart_text(page)
    assert after != before
    assert after.count("Nash equilibrium") == 2, after
    headline = page.locator('[data-testid="stMarkdownContainer"]', has_text="The game:").first
    assert "Chicken" in headline.inner_text() and "Prisoner" not in headline.inner_text()

    # the link now carries the setting, and nothing broke on the way
    page.wait_for_function("() => location.search.includes('punishment=0')", timeout=10_000)
    assert "preset=classroom-two-player" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    page.close()
