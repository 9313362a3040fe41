"""The "Follow the money" page (dilemma/lab/pages/follow_the_money.py) through Streamlit's AppTest.

What a student does: open the page, step the cascade from the shock to the
fixed point, pick another shock. Each check compares what is on screen with
the package's own cascade and game (computed here independently of the page).
"""

from __future__ import annotations

import pytest

from conftest import bad_numbers_shown, charts_of, metrics_of, page_file

import streamlit.testing.v1  # noqa: F401,E402  (a runtime dependency: import, never skip)

from dilemma.loop.aftermath import compare_games  # noqa: E402
from dilemma.loop.cascade import cascade  # noqa: E402
from dilemma.loop.network import load_loop  # noqa: E402
from dilemma.scenario import load_preset  # noqa: E402

PAGE = page_file("follow_the_money.py")


def _open(app, query=None):
    at = app(query=query)
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
    at.radio(key="_w_shock").set_value("flow").run()
    at.selectbox(key="_w_who").set_value("Meta->Beignet").run()
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


def _warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


def test_the_choices_are_in_the_link(app):
    at = _open(app)
    assert not {"loop", "shock", "who", "round"} & set(at.query_params)   # defaults are left out
    at.radio(key="_w_shock").set_value("cut").run()
    at.selectbox(key="_w_who").set_value("Oracle").run()
    assert "round" not in at.query_params          # the last round is the default view
    at.slider[0].set_value(0).run()
    assert not at.exception, [e.value for e in at.exception]
    q = {k: at.query_params[k] for k in ("shock", "who", "round") if k in at.query_params}
    assert q == {"shock": "cut", "who": "Oracle", "round": "0"}
    # another kind of shock: the old player leaves the link without a notice
    at.radio(key="_w_shock").set_value("flow").run()
    assert "who" not in at.query_params and not _warnings(at)


def test_a_link_opens_the_same_view(app):
    # a lease not renewed, at the shock: as test_a_lease_not_renewed_breaks_the_spv but from the link
    at = _open(app, query={"shock": "flow", "who": "Meta->Beignet", "round": "0"})
    assert not at.exception, [e.value for e in at.exception]
    assert not _warnings(at)
    assert at.radio(key="_w_shock").value == "flow" and at.selectbox(key="_w_who").value == "Meta->Beignet"
    assert at.slider[0].value == 0
    nodes, flows = _network_data(at)
    assert nodes["revenue_lost"].sum() == 0.0              # round 0: only the lease itself has stopped
    assert flows.loc[flows["paid"] != flows["amount"], "key"].tolist() == ["Meta->Beignet"]
    res = cascade(load_loop("openai-2025"), fail="Meta->Beignet", cut_depth=0.4)
    assert at.slider[0].max == len(res.rounds)


@pytest.mark.parametrize("query, needle", [
    ({"who": "Nobody"}, "who='Nobody' is not one of the choices"),
    ({"shock": "boom"}, "shock='boom' is not one of the choices"),
    ({"round": "40"}, "round=40, but this cascade stops after round"),
    ({"round": "abc"}, "round: must be a number, got 'abc'"),
])
def test_a_bad_link_value_gets_one_notice(app, query, needle):
    # the lab reads the link on its first run (page 1 here; a link to this page reads it here), the page
    # reads what only it can check: one notice in all
    at = app(query=query)
    at.run()
    first = _warnings(at)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = first + "\n" + _warnings(at)
    assert shown.count(needle) == 1, shown
    res = cascade(load_loop("openai-2025"), fail="OpenAI", cut_depth=0.4)
    assert at.slider[0].value == len(res.rounds)            # the default view: OpenAI fails, the last round
