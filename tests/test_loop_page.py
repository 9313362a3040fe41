"""The "Follow the money" page (dilemma/lab/pages/follow_the_money.py) through Streamlit's AppTest.

What a student does: open the page, step the cascade from the shock to the
fixed point, pick another shock. Each check compares what is on screen with
the package's own cascade and game (computed here independently of the page).
"""

from __future__ import annotations

import pytest

from conftest import bad_numbers_shown, charts_of, metrics_of, page_file

pytest.importorskip("streamlit.testing.v1")

from dilemma.loop.aftermath import compare_games  # noqa: E402
from dilemma.loop.cascade import cascade  # noqa: E402
from dilemma.loop.network import load_loop  # noqa: E402
from dilemma.scenario import load_preset  # noqa: E402

PAGE = page_file("follow_the_money.py")


def _open(app):
    at = app()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _network_data(at):
    """(nodes, flows) tables of the network chart on screen."""
    for spec, data in charts_of(at):
        frames = list(data.values())
        cols = [set(f.columns) for f in frames]
        if any("exposure" in c for c in cols) and any("paid" in c for c in cols):
            nodes = next(f for f in frames if "exposure" in f.columns)
            flows = next(f for f in frames if "paid" in f.columns)
            return nodes, flows
    raise AssertionError("no network chart on screen")


def test_page_opens_on_openai_failing_at_the_fixed_point(app):
    at = _open(app)
    res = cascade(load_loop("openai-2025"), fail="OpenAI", cut_depth=0.4)
    slider = at.slider[0]
    assert slider.value == len(res.rounds) == slider.max
    nodes, flows = _network_data(at)
    states = dict(zip(nodes["name"], nodes["state"]))
    assert states["OpenAI"] == "failed" and states["Oracle"] == "cut" and states["Microsoft"] == "ok"
    paid = dict(zip(flows["key"], flows["paid"]))
    assert paid["OpenAI->Oracle"] == 0.0
    assert paid["Oracle->NVIDIA"] == pytest.approx(20.0 * 0.6)   # Oracle cut its chip purchases by 40 %
    assert len(at.dataframe) == 2          # who lost what; what the cascade changed in the scenario
    assert not bad_numbers_shown(at)


def test_game_before_and_after_are_the_packages(app):
    at = _open(app)
    cmp = compare_games(load_preset("2025-baseline"), cascade(load_loop("openai-2025"), fail="OpenAI"))
    shown = metrics_of(at)
    assert shown["Before the shock"] == cmp["before"]["game_type_label"] == "Prisoner's dilemma"
    # "other" (no textbook type) is shown in words a student reads
    assert cmp["after"]["game_type"] == "other" and shown["After the cascade"] == "No classic type"


def test_stepping_back_to_the_shock_shows_no_losses_yet(app):
    at = _open(app)
    at.slider[0].set_value(0).run()
    assert not at.exception
    nodes, flows = _network_data(at)
    assert nodes["revenue_lost"].sum() == 0.0
    assert dict(zip(nodes["name"], nodes["state"]))["OpenAI"] == "failed"
    assert (flows["paid"] == flows["amount"]).all()       # round 1 has not happened yet
    assert any("The shock" in m.value for m in at.markdown)
    at.slider[0].set_value(1).run()
    nodes, flows = _network_data(at)
    assert dict(zip(flows["key"], flows["paid"]))["Oracle->NVIDIA"] == 20.0   # Oracle cuts only from round 2
    assert dict(zip(nodes["name"], nodes["state"]))["Oracle"] == "cut"


def test_a_lease_not_renewed_breaks_the_spv(app):
    at = _open(app)
    at.radio(key="ftm_kind").set_value("flow").run()
    at.selectbox(key="ftm_who_flow").set_value("Meta->Beignet").run()
    assert not at.exception, [e.value for e in at.exception]
    nodes, flows = _network_data(at)
    assert dict(zip(nodes["name"], nodes["state"]))["Beignet"] == "failed"
    assert dict(zip(flows["key"], flows["paid"]))["Beignet->Hyperion bondholders"] == 0.0
    # no hyperscaler lost anything: the game is the same before and after
    shown = metrics_of(at)
    assert shown["Before the shock"] == shown["After the cascade"]


def test_presenter_mode_hides_the_tables(app):
    at = app(query={"present": "true"})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe) == 0
    assert metrics_of(at)["Before the shock"] == "Prisoner's dilemma"
