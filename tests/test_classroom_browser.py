"""Classroom mode end to end in Chromium: a projector and three students' phones, separate browser contexts.

The lecturer creates a room on the projector page (1920 px wide); three
students (390 px, a phone) open the join link, take a seat, predict, choose;
the projector's live counts follow without a reload; the lecturer closes and
reveals; the students see their payoff. One student reopens the plain join
link (no seat in it) and gets the same seat back from the cookie.

Screenshots of both sizes go to ``$DILEMMA_SCREENSHOTS`` (default: the test's
temporary folder). Skipped without Chromium or Playwright, unless
``DILEMMA_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from dilemma.classroom.store import Classroom

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
KEY = "browser-key"
PHONE = {"width": 390, "height": 844}



@pytest.fixture(scope="module")
def dbfile(tmp_path_factory):
    return str(tmp_path_factory.mktemp("classdb") / "class.sqlite")


@pytest.fixture(scope="module")
def server(tmp_path_factory, dbfile):
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshots import lab_server

    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DILEMMA_DB", dbfile)
        mp.delenv("DILEMMA_LECTURER_KEY", raising=False)
        mp.delenv("DILEMMA_BASE_URL", raising=False)
        try:
            with lab_server(log_path=log) as url:
                yield url
        except RuntimeError as exc:
            pytest.fail(str(exc))




def _shots(tmp_path) -> Path:
    d = Path(os.environ.get("DILEMMA_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _text(page, text, timeout=30_000):
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def _wait_metric(page, label, value, timeout=30_000):
    """Wait until the metric ``label`` shows ``value`` (the live fragment polls the database)."""
    page.wait_for_function(
        """([label, value]) => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).some(m =>
               m.querySelector('[data-testid="stMetricLabel"]').innerText.trim() === label &&
               m.querySelector('[data-testid="stMetricValue"]').innerText.trim() === value)""",
        arg=[label, value], timeout=timeout)


def test_projector_and_three_phones(browser, server, dbfile, tmp_path):
    shots = _shots(tmp_path)
    errors = []
    proj_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    proj = proj_ctx.new_page()
    proj.on("pageerror", lambda e: errors.append(str(e)))
    proj.goto(f"{server}/classroom?preset=classroom-two-player", wait_until="domcontentloaded")
    proj.get_by_role("textbox", name="Lecturer key").fill(KEY)
    proj.get_by_role("button", name="Create the room").click()
    proj.wait_for_url(re.compile(r"room=[A-Z0-9]{5}"), timeout=60_000)
    code = re.search(r"room=([A-Z0-9]{5})", proj.url).group(1)
    _text(proj, f"/join?room={code}")
    proj.locator('[data-testid="stImage"] img').first.wait_for(timeout=30_000)      # the QR code

    phones = []
    for i, label in enumerate(["Ada", "Bo", "Cy"]):
        ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server}/join?room={code}", wait_until="domcontentloaded")
        page.get_by_role("button", name="Take a seat").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stSidebar"]:visible').count() == 0, "no sidebar on a phone"
        if i == 0:
            page.screenshot(path=str(shots / "classroom-student-join.png"), full_page=True)
        page.get_by_role("textbox", name=re.compile("Your name")).fill(label)
        page.get_by_role("button", name="Take a seat").click()
        _text(page, "Wait for the lecturer to start round 1")
        page.wait_for_url(re.compile(r"seat="), timeout=30_000)
        phones.append((ctx, page))
    assert Classroom(dbfile).status(code)["seated"] == 3

    # the plain join link again, on the same phone: the cookie brings the same seat back
    ctx0, p0 = phones[0]
    p0.wait_for_function(f"() => document.cookie.includes('dilemma_seat_{code}=')", timeout=30_000)
    p0.goto(f"{server}/join?room={code}", wait_until="domcontentloaded")
    _text(p0, "P001 · Ada")
    assert Classroom(dbfile).status(code)["seated"] == 3

    # the projector's live counts follow without a reload
    _wait_metric(proj, "Seated", "3")
    proj.get_by_role("button", name="Start round 1").click()
    for i, (ctx, page) in enumerate(phones):
        _text(page, "Round 1 of 3")
        page.get_by_role("button", name="Spend", exact=True).wait_for(timeout=30_000)
        page.locator('[data-testid="stTable"]').first.wait_for(timeout=30_000)
        if i == 0:
            page.wait_for_timeout(500)
            page.screenshot(path=str(shots / "classroom-student-choose.png"), full_page=True)
        page.locator('[data-testid="stButtonGroup"] button', has_text=str(1 - i % 2)).first.click()
        page.get_by_role("button", name="Spend" if i < 2 else "Cut", exact=True).click()
        _text(page, "Your choice")
    phones[0][1].screenshot(path=str(shots / "classroom-student-waiting.png"), full_page=True)
    _wait_metric(proj, "Decided", "3 of 3")
    proj.screenshot(path=str(shots / "classroom-projector-round.png"), full_page=True)
    proj.get_by_role("button", name="Close round 1").click()
    proj.get_by_role("button", name="Reveal round 1").click()
    _text(proj, "the class spent 67 % of the time", timeout=90_000)
    proj.locator('[data-testid="stVegaLiteChart"]').nth(3).wait_for(timeout=60_000)
    proj.wait_for_timeout(1500)
    proj.screenshot(path=str(shots / "classroom-projector-reveal.png"), full_page=True)
    for i, (ctx, page) in enumerate(phones):
        _text(page, "Your payoff this round", timeout=30_000)
    phones[0][1].screenshot(path=str(shots / "classroom-student-result.png"), full_page=True)
    rows = Classroom(dbfile).results(code)
    assert sorted(r["label"] for r in rows if r["decided_by"] == "student") == ["Ada", "Bo", "Cy"]
    assert proj.locator('[data-testid="stException"]').count() == 0
    for _, page in phones:
        assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    for ctx, _ in phones:
        ctx.close()
    proj_ctx.close()
