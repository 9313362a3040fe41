"""In a real browser: a link into a closed sidebar section, then a slider moved with that section closed.

The sliders' part of the URL is written by the server (``dilemma.lab.state.slider_query``),
not by the browser as for a bound widget; ``tests/test_app_sections.py`` checks the
URL the script leaves, this checks the one the browser shows: the closed section's value
stays in the address bar while the student moves another slider, and the page shows the
link's value when the section is opened again.

Debian's Chromium through Playwright, as ``tests/test_browser.py`` (skipped without it,
failed under ``DILEMMA_REQUIRE_BROWSER=1``). Run it alone: ``pytest -m browser``.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PUNISHMENT = "Market punishment for cutting (% of market value per year)"
BASE_RATE = "Risk-free rate (% per year)"
FINANCE = "Finance: paying for capex"


def _idle(page) -> None:
    from screenshots import wait_until_idle

    wait_until_idle(page, timeout_ms=90_000)


def _query(page) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlparse

    return dict(parse_qsl(urlparse(page.url).query))


def test_a_closed_sections_value_stays_in_the_link_while_another_slider_moves(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/?preset=classroom-two-player&base_rate_pct=6", wait_until="domcontentloaded")
    _idle(page)

    # the link opened the finance section, with the link's value on its slider
    rate = page.get_by_role("slider", name=BASE_RATE)
    assert float(rate.get_attribute("value")) == pytest.approx(6.0)

    # close the section: its sliders are no longer drawn
    page.locator('[data-testid="stSidebar"] summary', has_text=FINANCE).click()
    rate.wait_for(state="detached", timeout=30_000)
    _idle(page)

    # move the punishment to 0 with the keyboard, as a student would
    slider = page.get_by_role("slider", name=PUNISHMENT)
    slider.focus()
    start, step = float(slider.get_attribute("value")), float(slider.get_attribute("step"))
    for _ in range(round(start / step)):
        page.keyboard.press("ArrowLeft")
    page.locator('[data-testid="stMarkdownContainer"]', has_text="Chicken").first.wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('punishment_pct=0')", timeout=10_000)
    _idle(page)
    query = _query(page)
    assert query.get("base_rate_pct") == "6", page.url
    assert query.get("punishment_pct") == "0" and query.get("preset") == "classroom-two-player", page.url

    # open the section again: the slider shows the value the link kept
    page.locator('[data-testid="stSidebar"] summary', has_text=FINANCE).click()
    page.get_by_role("slider", name=BASE_RATE).wait_for(timeout=30_000)
    assert float(page.get_by_role("slider", name=BASE_RATE).get_attribute("value")) == pytest.approx(6.0)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    page.close()
