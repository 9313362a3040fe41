"""The Streamlit lab (app.py and dilemma/lab/pages/*.py) through ``streamlit.testing.v1.AppTest``.

What a student can do, without a browser: open every page, move every slider
to its ends, switch scenarios, open a shared link, upload a file. Each test
checks that no exception reaches the screen, that no NaN or infinity is shown,
and that the numbers on screen are the package's numbers.

Timing: one fresh ``AppTest`` run costs about 1 s (imports and the first
analysis), a rerun 0.1-0.5 s. The full slider sweep runs on page 1 only;
the other pages sweep the sliders in their own main area.

AppTest limitations worked around here (not lab bugs):

* AppTest does not play the browser's part of ``bind="query-params"``: after
  a widget changes, ``at.query_params`` is not updated (the frontend writes
  the URL). Links are therefore tested in the reading direction only.
* AppTest cannot click an expander: :func:`_open_sections` sets the state a
  click on a sidebar section's expander sets (its ``key``), as the browser would.
* AppTest calls a selectbox's ``format_func`` outside the script thread,
  where ``st.session_state`` is empty; the lab's scenario labels read the
  uploaded scenario from session state, so :func:`_fix_uploaded_label`
  patches the stored ``format_func`` after an upload.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

import pytest

from conftest import DEFAULT_PAGE, PAGES, page_file, bad_numbers_shown, charts_of, metrics_of
from conftest import tooltip_nans as tooltip_nans_of

import streamlit.testing.v1  # noqa: F401,E402  (a runtime dependency: import, never skip)

from dilemma.lab.state import PRESENTER_PARAMS, display_value, url_key  # noqa: E402
from dilemma.parameters import MARKET_PARAMS, SECTIONS  # noqa: E402
from dilemma.scenario import CONFIG_DIR, list_presets, load_scenario  # noqa: E402

EQUILIBRIA = "Nash equilibria"
PRESETS = list_presets()
GAMES = sorted(f"games/{p.stem}" for p in (CONFIG_DIR / "games").glob("*.toml"))
CLASSROOM = "classroom-two-player"
OTHER_PAGES = [p for p in PAGES if p != DEFAULT_PAGE]


def _load(name):
    return load_scenario(CONFIG_DIR / f"{name}.toml")


def _analysis(scenario):
    from dilemma.analysis import analyse

    return analyse(scenario.build_game(), scenario=scenario)


def game_type_shown(at) -> str:
    """The headline naming the game's type (page 1), as shown."""
    heads = [m.value for m in at.markdown if "The game:" in m.value]
    heads += [m.value for m in at.metric if m.label == "Type of game"]
    assert len(heads) == 1, f"expected one headline naming the game type, found {heads}"
    return heads[0]


def _type_text(analysis) -> str:
    """How page 1 names the type of a game the package analysed."""
    return analysis["game_type_label"] if analysis["game_type"] != "other" else "no classic type"


def _n_equilibria_text(analysis) -> str:
    n = len(analysis["equilibria"])
    return str(n) if analysis["exhaustive"] else f"{n} found"


def _ok(at, where=""):
    """No exception on screen and no NaN/inf shown."""
    assert not at.exception, f"{where}: exception on screen: {[e.value for e in at.exception]}"
    bad = bad_numbers_shown(at)
    assert not bad, f"{where}: NaN/inf on screen:\n" + "\n".join(bad)


def _open(app, page=DEFAULT_PAGE, query=None, present=False):
    at = app(query=query)
    at.run()
    if present:
        at.toggle(key="present").set_value(True).run()
    if page != DEFAULT_PAGE:
        at.switch_page(page).run()
    return at


#: Sidebar sections open on a fresh page (the others are closed and draw no slider).
FIRST_OPEN = ("market", "demand")


def _open_sections(at, *sections):
    """Open sidebar sections (all by default) as a click on their expanders does, and run."""
    for section in sections or SECTIONS:
        at.session_state[f"open_{section}"] = True
    return at.run()


def _fix_uploaded_label(at):
    """Let AppTest format the ``uploaded`` option outside the script thread (see module doc)."""
    from streamlit.runtime.state.common import TESTING_KEY

    box = at.selectbox(key="preset")
    store = at.session_state[TESTING_KEY]
    original = store[box.id]
    title = at.session_state["uploaded_scenario"].title

    def label(option, _original=original):
        return f"Uploaded: {title}" if option == "uploaded" else _original(option)

    store[box.id] = label


# ---- every page opens -----------------------------------------------------------


@pytest.mark.parametrize("page", list(PAGES))
def test_page_default_run(app, page):
    at = _open(app, page)
    _ok(at, page)
    assert at.title, f"{page} shows no title"
    assert at.selectbox(key="preset").value == "2025-baseline"
    assert {s.key for s in at.sidebar.slider} == {url_key(p) for p in MARKET_PARAMS if p.section in FIRST_OPEN}
    assert len(at.sidebar.expander) == len(SECTIONS), "a closed section still shows its title"
    _open_sections(at)
    _ok(at, f"{page}, every section open")
    assert len(at.sidebar.slider) == len(MARKET_PARAMS)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_presenter_mode(app, page):
    at = _open(app, page, present=True)
    _ok(at, f"{page} (presenter)")
    shown = {s.key for s in at.sidebar.slider}
    assert shown == {url_key(p) for p in MARKET_PARAMS if p.path in PRESENTER_PARAMS}


def test_presenter_keeps_hidden_values(app):
    """A value moved before presenter mode hides its slider still counts."""
    at = _open_sections(_open(app, query={"preset": CLASSROOM}), "finance")
    at.slider(key="base_rate_pct").set_value(6.0).run()
    before = at.session_state["lab"].scenario.values["finance.base_rate"]
    at.toggle(key="present").set_value(True).run()
    _ok(at)
    assert "base_rate" not in {s.key for s in at.sidebar.slider}
    assert at.session_state["lab"].scenario.values["finance.base_rate"] == pytest.approx(before) == 0.06


# ---- every slider at its ends ---------------------------------------------------------


def _sweep(at, sliders, where, headline=False):
    """Move each slider to its minimum, then its maximum, then back; collect what breaks."""
    failures = []
    for key in sliders:
        s = at.slider(key=key)
        default, low, high = s.value, s.min, s.max
        for value in (low, high):
            at.slider(key=key).set_value(value).run()
            try:
                assert at.slider(key=key).value == pytest.approx(value)
                _ok(at, f"{where}: {key}={value}")
                if headline:
                    assert game_type_shown(at).strip(), f"{where}: {key}={value}: empty game type"
            except AssertionError as exc:
                failures.append(str(exc))
        at.slider(key=key).set_value(default).run()
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("preset", ["2025-baseline", CLASSROOM])
def test_one_shot_every_slider_at_min_and_max(app, preset):
    at = _open_sections(_open(app, query={"preset": preset}))
    assert at.selectbox(key="preset").value == preset
    assert len(at.sidebar.slider) == len(MARKET_PARAMS)
    _sweep(at, [s.key for s in at.sidebar.slider], f"page 1, {preset}", headline=True)


#: Pages that draw no slider of their own (checked both ways: a page that gains one is swept).
NO_OWN_SLIDERS = {"scenario_page.py", "tour.py", "glossary.py", "classroom.py"}


@pytest.mark.parametrize("page", OTHER_PAGES)
def test_page_sliders_at_min_and_max(app, page):
    """The sliders a page draws in its own area (the sidebar is swept on page 1)."""
    at = _open(app, page)
    keys = [s.key for s in at.main.slider]
    name = page.rsplit("/", 1)[-1]
    if name in NO_OWN_SLIDERS:
        assert not keys, f"{page} now has sliders {keys}: take it out of NO_OWN_SLIDERS"
        return
    assert keys, f"{page} draws no slider of its own: add it to NO_OWN_SLIDERS"
    _sweep(at, keys, page)


@pytest.mark.parametrize("page", OTHER_PAGES)
def test_page_survives_extreme_sidebar(app, page):
    """The settings most likely to break a page: no profit pool, deepest cut, biggest punishment."""
    at = _open(app, page, query={"preset": CLASSROOM, "profit_pool": "0", "cut_depth_pct": "100",
                                 "punishment_pct": "3", "price_war": "3", "delay": "6"})
    assert at.slider(key="profit_pool").value == 0
    _ok(at, page)


# ---- scenarios ------------------------------------------------------------------------------


def test_every_scenario_is_offered(app):
    at = _open(app)
    assert at.selectbox(key="preset").options[: len(PRESETS) + len(GAMES)] == [
        ("Textbook: " if n.startswith("games/") else "") + _load(n).title for n in PRESETS + GAMES]


@pytest.mark.parametrize("name", PRESETS + GAMES)
def test_switch_scenario(app, name):
    start = CLASSROOM if name != CLASSROOM else "2025-baseline"
    at = _open_sections(_open(app, query={"preset": start, "punishment": "0"}))  # a change the switch must undo
    assert at.slider(key="punishment_pct").value == 0
    at.selectbox(key="preset").set_value(name).run()
    _ok(at, name)
    assert at.selectbox(key="preset").value == name
    scenario = _load(name)
    lab = at.session_state["lab"]
    assert lab.preset == name and lab.scenario == scenario, "the switch kept an old slider value"
    expected = _analysis(scenario)
    assert _type_text(expected) in game_type_shown(at)
    assert metrics_of(at)[EQUILIBRIA] == _n_equilibria_text(expected)
    if scenario.kind == "model":
        for p in MARKET_PARAMS:
            assert at.slider(key=url_key(p)).value == pytest.approx(display_value(p, scenario.values[p.path]))
    else:
        assert not at.sidebar.slider, "an explicit game has no model sliders"
        assert any("explicit game" in i.value for i in at.sidebar.info)


@pytest.mark.parametrize("name, label", [
    ("games/prisoners-dilemma", "Prisoner's dilemma"),
    ("games/chicken", "Chicken (stable mix)"),
    ("games/stag-hunt", "Stag hunt (tipping point)"),
    ("games/volunteers-dilemma-4", "Chicken (stable mix)"),
])
def test_textbook_games_have_their_textbook_type(app, name, label):
    at = _open(app)
    at.selectbox(key="preset").set_value(name).run()
    assert label in game_type_shown(at)


@pytest.mark.parametrize("page", OTHER_PAGES)
def test_other_pages_with_an_explicit_game(app, page):
    """Pages must cope with scenarios without model parameters (3-action and 4-player games)."""
    at = _open(app, page)
    failures = []
    for name in ("games/rock-paper-scissors", "games/volunteers-dilemma-4", "games/degenerate",
                 CLASSROOM):
        at.selectbox(key="preset").set_value(name).run()
        try:
            _ok(at, f"{page}, {name}")
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n\n".join(failures)


def test_reset_button_restores_the_preset(app):
    at = _open(app, query={"preset": CLASSROOM})
    at.slider(key="punishment_pct").set_value(0.0).run()
    at.slider(key="cut_depth_pct").set_value(90.0).run()
    assert "Prisoner's dilemma" not in game_type_shown(at)
    at.button[0].click().run()
    _ok(at)
    assert at.slider(key="punishment_pct").value == pytest.approx(display_value(
        MARKET_PARAMS[1], _load(CLASSROOM).values["market.punishment"]))
    assert at.session_state["lab"].scenario == _load(CLASSROOM)
    assert "Prisoner's dilemma" in game_type_shown(at)


# ---- links --------------------------------------------------------------------------------------


def test_url_restores_slider_and_game_type(app):
    """?preset=…&punishment=0: the classroom game without market punishment is chicken."""
    at = _open(app, query={"preset": CLASSROOM, "punishment": "0"})
    _ok(at)
    assert at.selectbox(key="preset").value == CLASSROOM
    assert at.slider(key="punishment_pct").value == 0
    assert at.session_state["lab"].scenario.values["market.punishment"] == 0
    assert "Chicken (stable mix)" in game_type_shown(at)
    assert metrics_of(at)[EQUILIBRIA] == "3"
    # and without the parameter the same preset is a prisoner's dilemma
    plain = _open(app, query={"preset": CLASSROOM})
    assert "Prisoner's dilemma" in game_type_shown(plain)


def test_url_slider_alone_restores(app):
    at = _open(app, query={"punishment": "0", "profit_pool": "300"})
    _ok(at)
    assert at.slider(key="punishment_pct").value == 0
    assert at.slider(key="profit_pool").value == 300
    values = at.session_state["lab"].scenario.values
    assert values["market.punishment"] == 0 and values["demand.profit_pool"] == 300


@pytest.mark.parametrize("name", ["games/chicken", "openai-fails"])
def test_url_preset_by_name(app, name):
    at = _open(app, query={"preset": name})
    _ok(at)
    assert at.selectbox(key="preset").value == name
    assert not at.warning


def test_url_unknown_preset_is_named(app):
    at = _open(app, query={"preset": "no-such-preset", "punishment": "0"})
    _ok(at)
    assert at.selectbox(key="preset").value == "2025-baseline"
    assert any("no-such-preset" in w.value for w in at.warning)


def test_url_firm_value_restores(app):
    base = _load(CLASSROOM)
    alpha = base.player_names[0]
    at = _open(app, query={"preset": CLASSROOM, f"{alpha}.capex": "10"})
    _ok(at)
    assert not at.warning, [w.value for w in at.warning]
    scenario = at.session_state["lab"].scenario
    assert scenario.players[0].capex == 10
    assert not at.data_editor, "the firm table is drawn only while its expander is open"
    at.session_state["open_firms"] = True
    at.run()
    table = at.data_editor[0].value
    assert table.loc[table["firm"] == alpha, "capex"].item() == 10
    # the payoff matrix shows the changed game
    game = scenario.build_game()
    assert _bimatrix_cells(at) == _expected_cells(game)


def test_url_bad_values_are_ignored_and_named(app):
    base = _load(CLASSROOM)
    alpha = base.player_names[0]
    at = _open(app, query={"preset": CLASSROOM, "punishment_pct": "99", f"{alpha}.capex": "abc",
                           "Nobody.capex": "5"})
    _ok(at)
    assert at.slider(key="punishment_pct").value == pytest.approx(display_value(
        MARKET_PARAMS[1], base.values["market.punishment"]))
    assert at.session_state["lab"].scenario == base
    warnings = " ".join(w.value for w in at.warning)
    assert f"{alpha}.capex" in warnings and "abc" in warnings
    assert "Nobody" in warnings


# ---- charts carry the data ---------------------------------------------------------------------


def _chart_with(at, column):
    found = [(spec, df) for spec, data in charts_of(at) for df in data.values() if column in df.columns]
    assert found, f"no chart with a {column!r} column; charts: " + str(
        [list(df.columns) for _, d in charts_of(at) for df in d.values()])
    return found[0]


def _one_decimal(x: float) -> str:
    """A payoff as a textbook table prints it, written here independently of dilemma.tables."""
    r = round(float(x), 1)
    return ("−" if r < 0 else "") + f"{abs(r):,.1f}"


def _expected_cells(game):
    """(row payoff, column payoff, row best, column best, equilibrium) per cell, from the payoff arrays."""
    pay = game.payoffs
    out = []
    for i in range(pay.shape[0]):
        for j in range(pay.shape[1]):
            rb = pay[i, j, 0] == max(pay[k, j, 0] for k in range(pay.shape[0]))
            cb = pay[i, j, 1] == max(pay[i, k, 1] for k in range(pay.shape[1]))
            out.append((_one_decimal(pay[i, j, 0]), _one_decimal(pay[i, j, 1]), bool(rb), bool(cb), bool(rb and cb)))
    return out


def _bimatrix_cells(at):
    """The cells of the HTML bimatrix on screen: payoffs, underlined (best) marks, outlined (equilibrium)."""
    html = [m.value for m in at.markdown if "dl-table" in m.value and "plays</th>" in m.value]
    assert len(html) == 1, "expected one payoff matrix on the page"
    cells = re.findall(r'<td [^>]*data-eq="(\d)">(.*?)</td>', html[0])
    out = []
    for eq, inner in cells:
        nums = re.findall(r'data-best="(\d)">([^<]*)</span>', inner)
        assert len(nums) == 2, inner
        (rb, rv), (cb, cv) = nums
        out.append((rv, cv, rb == "1", cb == "1", eq == "1"))
    return out


def test_equilibria_table_lists_every_equilibrium_with_its_payoffs(app):
    """Without punishment the classroom game is chicken: two pure equilibria and a
    mixed one; the table has a column per equilibrium and a row per firm, with
    what the firm plays there and its payoff."""
    at = _open(app, query={"preset": CLASSROOM, "punishment": "0"})
    _ok(at)
    a = _analysis(_load(CLASSROOM).with_values({"market.punishment": 0.0}))
    assert len(a["equilibria"]) == 3
    table = [m.value for m in at.markdown if m.value.startswith("### Equilibria")]
    assert len(table) == 1, "expected one equilibria table on page 1"

    def text(c):
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())

    rows = [[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", table[0])]
    names = [e["label"] + " pure" if e["kind"] == "pure" else "mixed" for e in a["equilibria"]]
    assert rows[0] == ["Firm", *names]

    def two_decimals(x):
        r = round(float(x), 2)
        return ("−" if r < 0 else "") + f"{abs(r):,.2f}"

    def play(probs, actions):
        used = [(n, q) for n, q in zip(actions, probs) if q > 1e-9]
        return used[0][0] if len(used) == 1 else " / ".join(f"{n} {q:.0%}" for n, q in used)

    assert rows[1:] == [[p] + [f"{play(e['strategy'][i], a['actions'][i])} {two_decimals(e['payoffs'][i])}"
                               for e in a["equilibria"]] for i, p in enumerate(a["players"])]
    # the mixed equilibrium of chicken: each firm mixes, so its cell names both actions
    assert all("%" in row[3] for row in rows[1:])


def test_payoff_matrix_is_a_textbook_bimatrix(app):
    at = _open(app, query={"preset": CLASSROOM})
    game = _load(CLASSROOM).build_game()
    cells = _bimatrix_cells(at)
    assert cells == _expected_cells(game)
    # the classroom game is a prisoner's dilemma: one outlined cell, both spend (row 0, column 0)
    assert [c[4] for c in cells] == [True, False, False, False]
    html = next(m.value for m in at.markdown if "dl-table" in m.value and "plays</th>" in m.value)
    assert "max-width:640px" in html          # at least 420 px wide wherever the column allows
    # moving a slider changes the table: no market punishment makes it chicken, two outlined cells
    at.slider(key="punishment_pct").set_value(0.0).run()
    moved = _bimatrix_cells(at)
    assert moved == _expected_cells(_load(CLASSROOM).with_values({"market.punishment": 0.0}).build_game())
    assert [c[4] for c in moved] == [False, True, True, False]


def test_presenter_mode_scales_the_matrix(app):
    at = _open(app, query={"preset": CLASSROOM, "present": "true"})
    _ok(at)
    html = next(m.value for m in at.markdown if "dl-table" in m.value and "plays</th>" in m.value)
    assert "max-width:928px" in html          # 640 px x 1.45
    assert any("min-width: 430px" in m.value for m in at.markdown)   # the sidebar grows too


def test_five_firms_get_the_rivals_table(app):
    at = _open(app)
    game = _load("2025-baseline").build_game()
    html = next(m.value for m in at.markdown if "How many rivals spend" in m.value and "dl-table" in m.value)
    sch = game.schelling()
    for firm in game.players:
        part = sch[sch["player"] == firm].sort_values("others_spending")
        for v in list(part["spend"]) + list(part["cut"]):
            assert f">{_one_decimal(v)}</span>" in html, (firm, v)
    # all spend is the one equilibrium: each firm's Spend cell at 4 rivals spending is outlined
    assert html.count('data-eq="1"') == game.n_players


def test_schelling_and_all_cut_charts_carry_the_game(app):
    at = _open(app)
    scenario = _load("2025-baseline")
    game = scenario.build_game()
    panels = [df for _, data in charts_of(at) for df in data.values()
              if "others_spending" in df.columns and "action" in df.columns]
    assert len(panels) == len(scenario.player_names)         # one panel per firm, no empty sixth panel
    assert [df["player"].unique().tolist() for df in panels] == [[p] for p in scenario.player_names]
    sch = pd.concat(panels)
    assert sch["others_spending"].max() == len(scenario.player_names) - 1
    _, allcut = _chart_with(at, "outcome")
    a = _analysis(scenario)["all_cut"]
    for p in scenario.player_names:
        row = allcut[(allcut["player"] == p) & (allcut["outcome"] == "All cut")]
        assert row["payoff"].item() == pytest.approx(a["all_cut"][p])
    expected = game.schelling()
    long = expected.melt(id_vars=["player", "others_spending"], value_vars=["spend", "cut"])
    assert sorted(sch["payoff"].round(6)) == pytest.approx(sorted(long["value"].round(6)))


def test_breakdown_chart_follows_the_firm_and_profile(app):
    at = _open(app, query={"preset": CLASSROOM})
    game = _load(CLASSROOM).build_game()
    _, bd = _chart_with(at, "term")
    chosen = bd[bd["chosen"] & (bd["term"] == "total")]["value"].item()
    assert chosen == pytest.approx(float(game.payoffs[0, 0, 0]))   # first firm at all spend
    second = game.players[1]
    at.selectbox(key="firm").set_value(second).run()
    at.selectbox(key="profile").set_value("CS").run()
    _ok(at)
    _, bd = _chart_with(at, "term")
    chosen = bd[bd["chosen"] & (bd["term"] == "total")]["value"].item()
    assert chosen == pytest.approx(float(game.payoffs[1, 0, 1]))
    assert metrics_of(at)[f"{second}'s payoff"].startswith(("$", "−$"))


# ---- the Scenario page: uploads and downloads --------------------------------------------------


def _scenario_page(app, query=None):
    return _open(app, page_file("scenario_page.py"), query=query)


_ONE_FIRM = (re.sub(r"(?s)judgement = \[.*?\]\n", "", (CONFIG_DIR / "classroom-two-player.toml").read_text()
                   .split("[[players]]")[0])
             + "[[players]]\nname='Solo'\ncapex=10\nocf=20\ncash=5\ndebt=1\nebitda=20\nmarket_value=100\n"
             ).encode()
BAD_UPLOADS = [
    ("empty.toml", b"", "empty"),
    ("title-only.toml", b"title = 'x'", "expected [[players]]"),
    ("broken.toml", b"[[players]\nname = 'A'", "broken.toml"),
    ("latin1.toml", "title = 'caf\u00e9'".encode("latin-1"), "latin1.toml"),
    ("one-firm.toml", _ONE_FIRM, "between 2"),
]


@pytest.mark.parametrize("name, data, needle", BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload_names_the_problem_and_keeps_the_state(app, name, data, needle):
    at = _scenario_page(app, query={"preset": CLASSROOM, "punishment": "0"})
    before = at.session_state["lab"].scenario
    at.file_uploader(key="upload").set_value((name, data, "application/toml")).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "not a valid scenario" in errors[0], errors
    assert needle in errors[0], errors[0]
    assert at.selectbox(key="preset").value == CLASSROOM
    assert at.slider(key="punishment_pct").value == 0
    assert at.session_state["lab"].scenario == before
    assert "uploaded" not in [o for o in at.selectbox(key="preset").options if o.startswith("Uploaded")]
    at.switch_page(page_file("one_shot.py")).run()
    assert "Chicken (stable mix)" in game_type_shown(at)


def test_upload_with_an_out_of_range_value_names_the_field(app):
    text = (CONFIG_DIR / "classroom-two-player.toml").read_text()
    bad = re.sub(r"(?m)^punishment\s*=.*$", "punishment = 0.5", text)
    assert bad != text, "the classroom preset no longer sets market.punishment"
    at = _scenario_page(app)
    at.file_uploader(key="upload").set_value(("wild.toml", bad.encode(), "application/toml")).run()
    errors = [e.value for e in at.error]
    assert errors and "punishment" in errors[0], errors
    assert at.selectbox(key="preset").value == "2025-baseline"


def test_good_upload_becomes_the_scenario_then_a_bad_one_keeps_it(app):
    at = _scenario_page(app)
    good = (CONFIG_DIR / "games" / "stag-hunt.toml").read_bytes()
    at.file_uploader(key="upload").set_value(("mine.toml", good, "application/toml")).run()
    _ok(at)
    assert not at.error
    assert at.selectbox(key="preset").value == "uploaded"
    assert at.success and "now the scenario" in at.success[0].value
    uploaded = at.session_state["lab"].scenario
    _fix_uploaded_label(at)
    at.file_uploader(key="upload").set_value(("bad.toml", b"nonsense = [", "application/toml")).run()
    assert not at.exception
    assert at.error and "bad.toml" in at.error[0].value
    assert at.selectbox(key="preset").value == "uploaded"
    assert at.session_state["lab"].scenario == uploaded
    _fix_uploaded_label(at)
    at.switch_page(page_file("one_shot.py")).run()
    _ok(at)
    assert "Stag hunt (tipping point)" in game_type_shown(at)


def test_scenario_download_carries_the_slider_settings(app):
    at = _scenario_page(app, query={"preset": CLASSROOM, "punishment": "0"})
    _ok(at)
    labels = [b.label for b in at.get("download_button")]
    assert any(".toml" in lbl for lbl in labels) and any(".csv" in lbl for lbl in labels)
    from dilemma.scenario import loads_scenario

    toml = at.code[0].value
    back = loads_scenario(toml.encode(), source="download")
    assert back.values["market.punishment"] == 0
    now = at.session_state["lab"].scenario
    assert back.values == now.values and back.players == now.players
    # the preset called it a prisoner's dilemma; without punishment it is chicken, and the file says so
    base = _load(CLASSROOM)
    assert back.title == f"{base.title} (changed in the lab: Chicken (stable mix))"
    assert back.description == (f"Changed in the dilemma lab from “{base.title}”: Market punishment for cutting: "
                                "1 → 0 % of market value per year. With these values the one-year game is: "
                                "Chicken (stable mix).")
    table = at.dataframe[0].value
    game = back.build_game()
    assert len(table) == math.prod(game.shape) * game.n_players


# ---- links written by dilemma.lab.state open the same state in the app ---------------------------


def test_link_from_encode_query_opens_the_same_scenario(app):
    from dilemma.lab.state import encode_query

    base = _load(CLASSROOM)
    alpha = base.player_names[0]
    now = base.with_values({"market.punishment": 0.0, "demand.profit_pool": 300.0,
                            f"players.{alpha}.capex": 120.0})
    query = encode_query(CLASSROOM, base, now)
    at = _open(app, query=query)
    _ok(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.session_state["lab"].scenario == now


def test_link_from_encode_query_keeps_presenter_mode(app):
    from dilemma.lab.state import encode_query

    base = _load(CLASSROOM)
    at = _open(app, query=encode_query(CLASSROOM, base, base, {"present": True}))
    assert at.toggle(key="present").value is True


def test_presenter_mode_from_the_link(app):
    at = _open(app, query={"preset": CLASSROOM, "present": "true"})
    _ok(at)
    assert at.toggle(key="present").value is True
    assert {s.key for s in at.sidebar.slider} == {url_key(p) for p in MARKET_PARAMS if p.path in PRESENTER_PARAMS}


# ---- pages 2-4: their own controls ---------------------------------------------------------------


EXTREME = {"preset": CLASSROOM, "profit_pool": "0", "cut_depth_pct": "100", "punishment_pct": "3"}


@pytest.mark.parametrize("page, query", [
    (page_file("regime_map.py"), None), (page_file("regime_map.py"), EXTREME),
    (page_file("repeated.py"), None), (page_file("repeated.py"), EXTREME),
    (page_file("tournament.py"), None), (page_file("tournament.py"), EXTREME)])
def test_tooltips_never_read_nan(app, page, query):
    """A NaN in a column that only feeds a tooltip shows as 'NaN' when a student hovers."""
    at = _open(app, page, query=query)
    _ok(at, page)
    assert not tooltip_nans_of(at), f"{page}: tooltip columns with NaN: {tooltip_nans_of(at)}"


def test_regime_map_controls(app):
    at = _open(app, page_file("regime_map.py"), query={"preset": CLASSROOM})
    assert at.selectbox(key="_w_x").value == "market.punishment"
    for x in ("players.Alpha.capex", "demand.absorbed_capex"):
        at.selectbox(key="_w_x").set_value(x).run()
        _ok(at, f"regime map x={x}")
        assert at.selectbox(key="_w_x").value == x
        assert any("x" in df.columns for _, data in charts_of(at) for df in data.values())
    at.selectbox(key="_w_color").set_value("equilibria").run()
    _ok(at, "regime map coloured by equilibria")


def test_repeated_every_strategy_and_engine(app):
    at = _open(app, page_file("repeated.py"), query={"preset": CLASSROOM})
    key = next(s.key for s in at.main.selectbox if s.key.startswith("strat_0"))
    strategies = list(at.selectbox(key=key).options)
    assert len(strategies) >= 5
    failures = []
    from streamlit.runtime.state.common import TESTING_KEY

    for engine in ("state", "stage"):
        # back to a strategy both engines offer before switching (AppTest cannot send a value that
        # left the options, which a browser would send and the server would reset)
        at.selectbox(key=key).set_value("tit-for-tat").run()
        at.radio(key="_w_engine").set_value(engine).run()
        box = at.selectbox(key=key)
        fmt = at.session_state[TESTING_KEY][box.id]
        values = [v for v in _strategy_names() if fmt(v) in box.options]
        assert len(values) == len(box.options), "could not map the strategy labels back to names"
        for v in values:
            at.selectbox(key=key).set_value(v).run()
            try:
                _ok(at, f"repeated, engine {engine}, first firm plays {v}")
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n\n".join(failures)


def _strategy_names():
    from dilemma.repeated.strategies import STRATEGIES

    return list(STRATEGIES)


@pytest.mark.parametrize("pool", [[], ["always-spend"], ["always-spend", "always-cut"]],
                         ids=["empty", "one", "two"])
def test_tournament_small_pools(app, pool):
    """Deselecting strategies must end in a sentence, not a traceback."""
    at = _open(app, page_file("tournament.py"))
    at.multiselect(key="_w_pool").set_value(pool).run()
    _ok(at, f"tournament with pool {pool}")


# ---- issue 13: notices for every ignored link value, units, teaching pages ---------------------------


def _all_notices(at) -> str:
    return "\n".join(w.value for w in at.warning) + "\n" + "\n".join(i.value for i in at.info)


@pytest.mark.parametrize("query, needle", [
    ({"present": "yes"}, "present: must be true or false, got 'yes'; using the default."),
    ({"punishment_pct": "abc"}, "Market punishment for cutting (punishment_pct): must be a number, got 'abc'; "
                                "kept 0.9 %."),
    ({"punishment_pct": "99"}, "Market punishment for cutting (punishment_pct): must be between -0.5 and 3 "
                               "(% of market value per year), got 99; kept 0.9 %."),
    ({"punishment": "0.9"}, "must be between -0.005 and 0.03 (a fraction: punishment=0.009 is 0.9 %), got 0.9"),
    ({"years": "1000"}, "years: must be between 2 and 60, got 1000; using the default."),
])
def test_every_ignored_link_value_gets_one_notice(app, query, needle):
    at = _open(app, query=query)
    _ok(at)
    text = _all_notices(at)
    assert text.count(needle) == 1, text
    assert at.session_state["lab"].scenario == _load("2025-baseline")
    assert at.session_state["lab"].presenter is False


def test_a_bare_percent_key_is_a_fraction_as_in_toml(app):
    """?punishment=0.009 is 0.9 % (the TOML/CLI unit), not 0.009 %: the game stays a prisoner's dilemma."""
    at = _open(app, query={"preset": CLASSROOM, "punishment": "0.009"})
    _ok(at)
    assert at.slider(key="punishment_pct").value == pytest.approx(0.9)
    assert at.session_state["lab"].scenario.values["market.punishment"] == pytest.approx(0.009)
    assert "Prisoner's dilemma" in game_type_shown(at)
    assert "punishment=0.009 is a fraction" in _all_notices(at)


def test_page_one_prints_the_horizon_and_says_where_the_sliders_are(app):
    at = _open(app)
    scenario = _load("2025-baseline")
    cdf = scenario.build_game().critical_discount_factor()
    # delta* = exp(-(r + 1/H))  =>  H = 1 / (-ln delta* - r), worked here from the package's delta* and r
    r = scenario.values["demand.discount_rate"]
    h = 1.0 / (-math.log(float(cdf.binding)) - r)
    assert metrics_of(at)["Restraint (all cut) can last if"] == f"δ ≥ {float(cdf.binding):.2f}"
    assert any(f"**{h:.1f} years**" in c.value for c in at.caption), [c.value for c in at.caption]
    text = " ".join(m.value for m in at.markdown)
    assert "left" not in text.split("Move the sliders")[1][:40]
    assert "in the sidebar (on a phone, open it with the » at the top left)" in text
    assert "glossary#nash-equilibrium" in text


def test_gain_if_all_cut_adds_up_as_shown(app):
    at = _open(app)
    a = _analysis(_load("2025-baseline"))["all_cut"]
    spend, cut = sum(a["all_spend"].values()), sum(a["all_cut"].values())
    shown = metrics_of(at)["Gain if all cut instead of all spend"]
    value = float(shown.replace("$", "").replace("B/yr", "").replace("−", "-"))
    decimals = len(shown.split(".")[1].split("B")[0])
    # the shown gain equals the difference of the shown totals, at the decimals shown
    assert value == pytest.approx(round(cut, decimals) - round(spend, decimals), abs=1e-9)


def test_repeated_play_verdict_sits_next_to_the_simulation(app):
    at = _open(app, page_file("repeated.py"))
    _ok(at)
    scenario = _load("2025-baseline")
    game = scenario.build_game()
    cdf = game.critical_discount_factor()
    delta = math.exp(-(scenario.values["demand.discount_rate"] + 1 / 10))   # H = 10 years by default
    verdicts = [b.value for b in list(at.success) + list(at.warning) + list(at.error) if "In theory" in b.value]
    assert len(verdicts) == 1
    assert verdicts[0].startswith("**In theory restraint can hold at this horizon.**" if delta >= cdf.binding
                                  else "**In theory restraint cannot hold at this horizon.**")
    assert f"{game.players[int(cdf.binding_player)]} needs the most patience" in verdicts[0]
    assert any(m.value.startswith("**But in the simulation above?** In the run shown above, every firm cut in")
               for m in at.markdown)
    # the demand growth behind the climbing value is said, with the scenario's own rate
    growth = scenario.values["dynamics.demand_growth"]
    assert any(f"grows {growth:.0%} a year" in c.value for c in at.caption)


def test_tournament_says_which_game_it_plays(app):
    """On the five-firm baseline the matches are its first two firms, and the page says so."""
    at = _open(app, page_file("tournament.py"))
    _ok(at)
    base = _load("2025-baseline")
    first, second = base.player_names[:2]
    rest = ", ".join(base.player_names[2:-1]) + " and " + base.player_names[-1]
    note = [i.value for i in at.main.info if "A match is two firms" in i.value]
    assert len(note) == 1
    assert f"**{first} against {second}**" in note[0] and f"**{rest} cut every year**" in note[0]
    assert "the sidebar's sliders change the matches" in note[0]
    assert not at.main.warning and not at.sidebar.warning        # nothing left to warn about
    assert any("The two-firm game of the matches: **Prisoner's dilemma**" in c.value for c in at.main.caption)


def test_glossary_page_has_every_word_with_its_anchor(app):
    from dilemma.teaching import GLOSSARY

    at = _open(app, page_file("glossary.py"))
    _ok(at)
    assert [h.value for h in at.subheader] == [t.word for t in GLOSSARY.values()]
    for word in ("δ (discount factor)", "Grim trigger", "Stag hunt", "Chicken", "Harmony",
                 "QRE (quantal response equilibrium)", "Replicator dynamics", "Moran process",
                 "Schelling diagram"):
        assert word in [t.word for t in GLOSSARY.values()]


def test_tour_step_link_prediction_and_score(app):
    """?step=4 opens step 4; a guess is scored against the gain computed here from the payoff arrays."""
    at = _open(app, page_file("tour.py"), query={"step": "4"})
    _ok(at)
    assert at.header[0].value == "4. All cut"
    reveal = next(b for b in at.button if b.key == "tour_reveal_4")
    assert reveal.disabled                                       # no answer before a prediction
    game = _load("2025-baseline").build_game()
    n = game.n_players
    gain = float(game.payoffs[(1,) * n].sum() - game.payoffs[(0,) * n].sum())   # all cut minus all spend
    at.number_input(key="tour_guess_4").set_value(60.0).run()
    at.button(key="tour_reveal_4").click().run()
    _ok(at)
    answer = round(gain, 1)
    off = round(abs(60.0 - answer), 2)
    verdict = "Close" if abs(60 - answer) / abs(answer) <= 0.30 else "Same ballpark"
    texts = [b.value for b in list(at.success) + list(at.warning)]
    assert f"**{verdict}: you said 60 $B, the answer is {answer:g} $B (off by {off:g} $B).**" in texts, texts


def test_tour_bad_step_is_named(app):
    at = _open(app, page_file("tour.py"), query={"step": "99"})
    _ok(at)
    assert at.header[0].value.startswith("1. ")
    assert any("step='99' is not a step of the tour (1 to 7)" in w.value for w in at.warning)


def test_legends_without_a_place_go_under_the_plot():
    """Beside the plot (Vega-Lite's default) a legend left a phone's plot a few pixels
    wide; the lab puts every legend that does not say where it goes under it."""
    from dilemma.lab.common import _legends_below

    spec = {"layer": [
        {"mark": "line", "encoding": {"color": {"field": "firm", "type": "nominal"}}},
        {"mark": "rect", "encoding": {"color": {"field": "v", "type": "quantitative", "legend": {"title": "v"}}}},
        {"mark": "point", "encoding": {"shape": {"field": "k", "type": "nominal", "legend": {"orient": "top"}},
                                       "fill": {"field": "k", "type": "nominal", "legend": None}}},
    ], "datasets": {"d": [{"color": {"field": "x"}}]}}
    out = _legends_below(spec)
    line, rect, point = (layer["encoding"] for layer in out["layer"])
    assert line["color"]["legend"] == {"orient": "bottom", "columns": 2}
    # a gradient: no columns, and no longer than a phone's plot is wide
    assert rect["color"]["legend"] == {"title": "v", "orient": "bottom", "gradientLength": 150}
    assert point["shape"]["legend"] == {"orient": "top"}                      # its own place is kept
    assert point["fill"]["legend"] is None                                    # no legend stays none
    assert out["datasets"] == spec["datasets"]                                # the data is not touched
    assert "legend" not in spec["layer"][0]["encoding"]["color"]              # the input is not changed


def test_tournament_slice_of_the_volunteers_dilemma_names_what_the_others_play(app):
    """The slice of a 4-firm game with actions Volunteer / Wait: the note says what
    the two other firms play by name, and Wait stays the selfish move (the 4-firm
    game's roles), whichever the others do."""
    at = _open(app, page_file("tournament.py"), query={"preset": "games/volunteers-dilemma-4"})
    _ok(at)
    for others, play in (("cut", "Volunteer"), ("spend", "Wait")):
        if others == "spend":
            (radio,) = [r for r in at.radio if r.label == "Meanwhile the other firms"]
            radio.set_value("spend").run()
            _ok(at)
        infos = [i.value for i in at.info]
        assert any(f"while **C and D {'cut' if others == 'cut' else 'spend'} every year (play “{play}”)**" in v
                   for v in infos), infos
        assert any("treat “Wait” as Spend (the selfish move) and “Volunteer” as Cut" in v for v in infos)


@pytest.mark.parametrize("page", ["repeated.py", "tournament.py"])
def test_games_with_other_action_names_say_which_is_spend(app, page):
    """Top / Bottom: the strategies read the first player's roles from the payoffs
    (Bottom the selfish move, Top the restrained one); both repeated-play pages say so
    with the one shared notice."""
    at = _open(app, page_file(page), query={"preset": "games/degenerate"})
    _ok(at)
    notes = [i.value for i in at.info if "the strategies treat" in i.value]
    assert notes == ["This game's actions are **Top** and **Bottom**: the strategies treat "
                     "“Bottom” as Spend (the selfish move) and “Top” as Cut (the restrained one)."]
