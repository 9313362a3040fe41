"""The sidebar's sections and the firm table draw only while open; their values and links stay.

A closed sidebar section (finance, risk, years ahead: closed on a fresh page)
draws no slider, and the firm table draws no data editor while its expander
is closed: a rerun then costs less server CPU (``docs/benchmarks-app.md``).
What must not change for a student:

* a link with a value in a closed section opens with that value, and with the
  section open so the value is in view;
* a value set in a section, or by a link, still counts when the section is
  closed, in presenter mode and on other pages, and stays in the link when
  another slider moves (Streamlit 1.67 removes a bound widget's parameter
  from the URL when the widget is not drawn; the lab keeps the sliders' part
  of the link by hand, which AppTest sees: ``at.query_params`` is the URL the
  script left);
* firm-table edits survive closing the table and switching pages.

Expected values are the link's own numbers (``base_rate_pct=6`` is a 6 % risk-free
rate, 0.06 in the model's units) and the preset files.
"""

from __future__ import annotations

import json

import pytest

from conftest import page_file

from dilemma.lab.state import url_key
from dilemma.parameters import MARKET_PARAMS
from dilemma.scenario import CONFIG_DIR, load_scenario

CLASSROOM = "classroom-two-player"
BASE = load_scenario(CONFIG_DIR / f"{CLASSROOM}.toml")
ALPHA = BASE.player_names[0]


def _keys(section):
    return {url_key(p) for p in MARKET_PARAMS if p.section == section}


def _shown(at):
    return {s.key for s in at.sidebar.slider}


def _open(app, query):
    at = app(query={"preset": CLASSROOM, **query})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _set_section(at, section, is_open):
    """What a click on the section's expander does (AppTest cannot click an expander)."""
    at.session_state[f"open_{section}"] = is_open
    return at.run()


def test_a_fresh_page_draws_only_the_open_sections(app):
    """The preset's values hold for every parameter, drawn or not."""
    at = _open(app, {})
    assert _shown(at) == _keys("market") | _keys("demand")
    assert at.session_state["lab"].scenario == BASE
    assert at.query_params == {"preset": CLASSROOM}


def test_a_link_with_a_closed_sections_value_opens_it_with_that_value(app):
    at = _open(app, {"base_rate_pct": "6", "burst_base_pct": "20"})
    assert not at.warning, [w.value for w in at.warning]
    assert _keys("finance") | _keys("risk") <= _shown(at)
    assert not _keys("dynamics") & _shown(at), "a section the link does not touch stays closed"
    assert at.slider(key="base_rate_pct").value == pytest.approx(6.0)
    assert at.slider(key="burst_base_pct").value == pytest.approx(20.0)
    values = at.session_state["lab"].scenario.values
    assert values["finance.base_rate"] == pytest.approx(0.06) and values["risk.burst_base"] == pytest.approx(0.20)
    assert at.query_params == {"preset": CLASSROOM, "base_rate_pct": "6", "burst_base_pct": "20"}


def test_a_bare_key_of_a_closed_section_is_read_in_model_units(app):
    at = _open(app, {"base_rate": "0.06"})
    assert at.slider(key="base_rate_pct").value == pytest.approx(6.0)
    assert at.session_state["lab"].scenario.values["finance.base_rate"] == pytest.approx(0.06)
    assert at.query_params == {"preset": CLASSROOM, "base_rate_pct": "6"}


def test_moving_a_visible_slider_keeps_the_hidden_values_in_the_link(app):
    at = _set_section(_open(app, {"base_rate_pct": "6"}), "finance", False)
    assert not _keys("finance") & _shown(at)
    at.slider(key="punishment_pct").set_value(0.0).run()
    assert at.query_params == {"preset": CLASSROOM, "base_rate_pct": "6", "punishment_pct": "0"}
    now = at.session_state["lab"].scenario
    assert now.values["finance.base_rate"] == pytest.approx(0.06) and now.values["market.punishment"] == 0
    # the link as it now stands opens the same scenario in a new session
    again = _open(app, at.query_params)
    assert again.session_state["lab"].scenario == now


def test_a_value_set_in_a_section_survives_closing_it_and_a_page_switch(app):
    at = _set_section(_open(app, {}), "finance", True)
    at.slider(key="base_rate_pct").set_value(6.0).run()
    assert at.query_params == {"preset": CLASSROOM, "base_rate_pct": "6"}
    _set_section(at, "finance", False)
    at.switch_page(page_file("regime_map.py")).run()
    assert not at.exception
    assert at.session_state["lab"].scenario.values["finance.base_rate"] == pytest.approx(0.06)
    assert at.query_params.get("base_rate_pct") == "6"
    at.switch_page(page_file("one_shot.py")).run()
    _set_section(at, "finance", True)
    assert at.slider(key="base_rate_pct").value == pytest.approx(6.0)


def test_presenter_mode_keeps_hidden_values_in_the_link(app):
    """Presenter mode draws six sliders; the link keeps the others' values."""
    at = _open(app, {"outside_capex": "100", "base_rate_pct": "6"})
    at.toggle(key="present").set_value(True).run()
    assert "outside_capex" not in _shown(at) and "base_rate_pct" not in _shown(at)
    at.slider(key="punishment_pct").set_value(0.0).run()
    # ("present" is a bound toggle: the browser, not the script, writes it into the URL; AppTest has no browser)
    assert at.query_params == {"preset": CLASSROOM, "outside_capex": "100", "base_rate_pct": "6",
                               "punishment_pct": "0"}
    values = at.session_state["lab"].scenario.values
    assert values["demand.outside_capex"] == 100 and values["finance.base_rate"] == pytest.approx(0.06)


def test_reset_clears_hidden_values_and_their_link(app):
    at = _set_section(_open(app, {"base_rate_pct": "6", "punishment_pct": "0"}), "finance", False)
    at.button[0].click().run()
    assert at.session_state["lab"].scenario == BASE
    assert at.query_params == {"preset": CLASSROOM}
    _set_section(at, "finance", True)
    assert at.slider(key="base_rate_pct").value == pytest.approx(100 * BASE.values["finance.base_rate"])


def test_switching_the_scenario_resets_hidden_values(app):
    at = _set_section(_open(app, {"base_rate_pct": "6"}), "finance", False)
    at.selectbox(key="preset").set_value("2025-baseline").run()
    baseline = load_scenario(CONFIG_DIR / "2025-baseline.toml")
    assert at.session_state["lab"].scenario == baseline
    assert at.query_params == {}


def test_an_explicit_game_drops_the_sliders_from_the_link(app):
    at = _open(app, {"punishment_pct": "0"})
    at.selectbox(key="preset").set_value("games/chicken").run()
    assert not at.sidebar.slider
    assert at.query_params == {"preset": "games/chicken"}


def _edit_firm_table(at, edits: dict) -> None:
    """Send an edit of the firm table as the browser does: the editor's state as JSON in the rerun.

    AppTest does not apply cell edits; this adds the data editor's widget state
    (``edited_rows`` by row position and column, as JSON text: the editor's ``string_value``)
    to the widget states of the next run.
    """
    editor = at.data_editor[0]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = editor.proto.id
    state.string_value = json.dumps({"edited_rows": edits, "added_rows": [], "deleted_rows": []})
    at._run(widget_state=states)


def test_firm_edits_survive_closing_the_table_and_switching_pages(app):
    at = _open(app, {})
    assert not at.data_editor, "a closed table draws no data editor"
    at.session_state["open_firms"] = True
    at.run()
    _edit_firm_table(at, {"0": {"capex": 10.0}})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lab"].scenario.players[0].capex == 10
    assert at.query_params == {"preset": CLASSROOM, f"{ALPHA}.capex": "10"}
    at.session_state["open_firms"] = False
    at.run()
    assert not at.data_editor
    assert at.session_state["lab"].scenario.players[0].capex == 10
    at.switch_page(page_file("regime_map.py")).run()
    assert at.session_state["lab"].scenario.players[0].capex == 10
    assert at.query_params.get(f"{ALPHA}.capex") == "10"
    at.switch_page(page_file("one_shot.py")).run()
    at.session_state["open_firms"] = True
    at.run()
    table = at.data_editor[0].value
    assert table.loc[table["firm"] == ALPHA, "capex"].item() == 10
