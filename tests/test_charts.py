"""dilemma.charts: pure Altair builders; the specs carry the numbers the package computed.

Every chart is checked through ``chart.to_dict()`` (which validates the spec
against Vega-Lite) and by reading its data back.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import altair as alt

from dilemma import build_game, charts, load_preset
from dilemma.analysis import analyse
from dilemma.payoffs import TERMS
from dilemma.scenario import CONFIG_DIR, load_scenario, loads_scenario

from handworked import ROUND, ROUND_PAYOFFS, ROUND_TERMS  # tests/ helper module


@pytest.fixture(scope="module")
def classroom():
    return build_game(load_preset("classroom-two-player"))


@pytest.fixture(scope="module")
def classroom_chicken():
    return build_game(load_preset("classroom-two-player").with_values({"market.punishment": 0.0}))


@pytest.fixture(scope="module")
def baseline():
    return build_game(load_preset("2025-baseline"))


def _game(name):
    return load_scenario(CONFIG_DIR / "games" / f"{name}.toml").build_game()


def _data(spec: dict) -> list[pd.DataFrame]:
    """Every dataset of a Vega-Lite dict (``to_dict()`` puts them under ``datasets``)."""
    return [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]


def _marks(spec: dict) -> list[str]:
    out = []

    def walk(node):
        if isinstance(node, dict):
            if "mark" in node:
                m = node["mark"]
                out.append(m["type"] if isinstance(m, dict) else m)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def _valid(chart) -> dict:
    spec = chart.to_dict()               # validates against the Vega-Lite schema
    json.dumps(spec, allow_nan=False)    # and is plain JSON (no NaN, no infinity)
    return spec


# ---- colours ---------------------------------------------------------------------------


def test_spend_and_cut_have_fixed_colours():
    scale = charts.action_scale(("Cut", "Spend")).to_dict()
    assert scale["domain"] == ["Cut", "Spend"]
    assert scale["range"] == [charts.ACTION_COLORS["Cut"], charts.ACTION_COLORS["Spend"]]
    three = charts.action_scale(("Rock", "Paper", "Scissors")).to_dict()
    assert len(set(three["range"])) == 3


# ---- the payoff matrix -------------------------------------------------------------------


def test_payoff_matrix_frame_is_the_game(classroom):
    f = charts.payoff_matrix_frame(classroom)
    assert len(f) == 4
    assert f["row_payoff"].tolist() == pytest.approx(classroom.payoffs[..., 0].ravel().tolist())
    assert f["col_payoff"].tolist() == pytest.approx(classroom.payoffs[..., 1].ravel().tolist())
    assert f["welfare"].tolist() == pytest.approx(classroom.payoffs.sum(axis=-1).ravel().tolist())
    # a prisoner's dilemma: spending is each firm's best response everywhere, one equilibrium
    assert f.loc[f["row_action"] == "Spend", "row_best"].all()
    assert f.loc[f["col_action"] == "Spend", "col_best"].all()
    assert f["equilibrium"].tolist() == [True, False, False, False]
    assert f["equilibrium"].tolist() == (f["row_best"] & f["col_best"]).tolist()
    assert f.loc[0, "cell"] == "Nash equilibrium"
    assert "★" in f.loc[0, "row_label"] and "Alpha" in f.loc[0, "row_label"]


def test_payoff_matrix_frame_chicken_has_two_pure_equilibria(classroom_chicken):
    f = charts.payoff_matrix_frame(classroom_chicken)
    assert f.loc[f["equilibrium"], ["row_action", "col_action"]].values.tolist() == [
        ["Spend", "Cut"], ["Cut", "Spend"]]


@pytest.mark.parametrize("name", ["prisoners-dilemma", "chicken", "stag-hunt", "battle-of-the-sexes",
                                  "matching-pennies", "rock-paper-scissors", "degenerate"])
def test_payoff_matrix_of_textbook_games(name):
    game = _game(name)
    f = charts.payoff_matrix_frame(game)
    assert len(f) == int(np.prod(game.shape))
    assert {tuple(r) for r in f.loc[f["equilibrium"], ["row_action", "col_action"]].values} == {
        (game.actions[0][i], game.actions[1][j]) for i, j in game.pure_equilibria()}
    spec = _valid(charts.payoff_matrix_chart(f))
    (data,) = _data(spec)
    assert data["row_payoff"].tolist() == pytest.approx(f["row_payoff"].tolist())


def test_payoff_matrix_chart_spec(classroom):
    f = charts.payoff_matrix_frame(classroom)
    spec = _valid(charts.payoff_matrix_chart(f))
    assert _marks(spec) == ["rect", "text", "text", "text", "rect"]
    (data,) = _data(spec)
    assert data["row_payoff"].tolist() == pytest.approx(f["row_payoff"].tolist())
    cells = spec["layer"][0]["encoding"]
    assert cells["x"]["title"] == "Beta plays" and cells["y"]["title"] == "Alpha plays"
    assert cells["x"]["sort"] == ["Spend", "Cut"] and cells["y"]["sort"] == ["Spend", "Cut"]
    # the colour scale is symmetric around zero, so green/red means gain/loss
    dom = cells["color"]["scale"]["domain"]
    assert dom[0] == -dom[1] == pytest.approx(-f["welfare"].abs().max())
    # the equilibrium frame is filtered on the equilibrium flag
    assert spec["layer"][4]["transform"][0]["filter"] == "datum.equilibrium"


def test_payoff_matrix_needs_two_players(baseline):
    with pytest.raises(ValueError, match="two players, this game has 5"):
        charts.payoff_matrix_frame(baseline)


# ---- the breakdown ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_numbers():
    return build_game(loads_scenario(ROUND))


@pytest.mark.parametrize("player, profile", [(0, (0, 0)), (1, (0, 1)), (0, (1, 1)), (1, (1, 0))])
def test_breakdown_frame_holds_the_hand_worked_terms(round_numbers, player, profile):
    """The chosen profile and the one where the firm switches, term by term, against tests/handworked.py."""
    f = charts.breakdown_frame(round_numbers, player, profile)
    switched = tuple(1 - a if i == player else a for i, a in enumerate(profile))
    names = ("revenue", "capital_charge", "financing", "burst_loss", "punishment")
    for chosen, prof in ((True, profile), (False, switched)):
        part = f[f["chosen"] == chosen].set_index("term")
        rev, cap, fin, burst, pun = ROUND_TERMS[prof][player]
        assert [part.loc[k, "value"] for k in names] == pytest.approx([rev, -cap, -fin, -burst, -pun], abs=1e-12)
        assert part.loc["unbacked", "value"] == 0
        assert part.loc["total", "value"] == pytest.approx(ROUND_PAYOFFS[prof][player], abs=1e-12)
        assert set(part["action"]) == {("Spend", "Cut")[prof[player]]}
    assert f["term"].tolist() == 2 * (list(TERMS) + ["total"])
    assert f["order"].tolist() == 2 * list(range(len(TERMS) + 1))


def test_breakdown_chart_spec(classroom):
    f = charts.breakdown_frame(classroom, 0, (0, 0))
    spec = _valid(charts.breakdown_chart(f, "Alpha"))
    assert _marks(spec) == ["bar", "text", "rule"]
    data = _data(spec)
    main = next(d for d in data if "value" in d)
    assert main["value"].tolist() == pytest.approx(f["value"].tolist())
    assert set(main["shown"]) == {"chosen profile", "if it switched"}
    assert spec["layer"][0]["encoding"]["color"]["title"] == "Alpha plays"      # the firm, named in the legend
    assert spec["layer"][0]["encoding"]["y"]["sort"][-1].startswith("= Payoff")


def test_breakdown_needs_a_model_game():
    with pytest.raises(ValueError, match="no payoff breakdown"):
        charts.breakdown_frame(_game("chicken"), 0, (0, 0))


def test_breakdown_in_a_five_firm_game(baseline):
    f = charts.breakdown_frame(baseline, 4, (0, 1, 0, 1, 0))
    total = f[(f["term"] == "total") & f["chosen"]]["value"].item()
    assert total == pytest.approx(float(baseline.payoffs[(0, 1, 0, 1, 0, 4)]))
    _valid(charts.breakdown_chart(f))


# ---- N players: Schelling and Δ --------------------------------------------------------------


def test_schelling_chart_carries_every_firm(baseline):
    sch = baseline.schelling()
    spec = _valid(charts.schelling_chart(sch))
    assert spec["facet"]["field"] == "player"
    assert spec["facet"]["sort"] == list(baseline.players)
    (data,) = _data(spec)
    assert set(data["player"]) == set(baseline.players)
    assert len(data) == 2 * len(sch)
    for action, col in (("Spend", "spend"), ("Cut", "cut")):
        got = data[data["action"] == action].sort_values(["player", "others_spending"])["payoff"].to_numpy()
        want = sch.sort_values(["player", "others_spending"])[col].to_numpy()
        assert got == pytest.approx(want)
    assert spec["resolve"]["scale"]["y"] == "independent"


def test_schelling_chart_of_one_firm(baseline):
    spec = _valid(charts.schelling_chart(baseline.schelling(), player="Meta"))
    assert spec["title"]["text"] == "Meta"
    assert "width" not in spec          # takes its column's width in the lab (a phone stacks the columns)
    (data,) = _data(spec)
    assert set(data["player"]) == {"Meta"}
    assert data["others_spending"].max() == 4


def test_delta_chart_is_spend_minus_cut(baseline):
    sch = baseline.schelling()
    spec = _valid(charts.delta_chart(sch))
    data = next(d for d in _data(spec) if "delta" in d)
    assert data["delta"].to_numpy() == pytest.approx((data["spend"] - data["cut"]).to_numpy())
    # a prisoner's dilemma: spending pays for every firm whatever the rivals do
    assert (data["delta"] > 0).all()


def test_volunteers_dilemma_delta_changes_sign():
    sch = _game("volunteers-dilemma-4").schelling()
    assert (sch["delta"] > 0).any() and (sch["delta"] < 0).any()
    _valid(charts.delta_chart(sch))
    _valid(charts.schelling_chart(sch))


def test_empty_frames_give_a_message_not_an_empty_chart():
    empty = pd.DataFrame(columns=["player", "others_spending", "spend", "cut", "delta"])
    for chart in (charts.schelling_chart(empty), charts.delta_chart(empty)):
        spec = _valid(chart)
        assert _marks(spec) == ["text"]
        (data,) = _data(spec)
        assert "not a Spend/Cut game" in data["message"].item()


# ---- all cut -------------------------------------------------------------------------------


def test_all_cut_chart_carries_the_analysis(baseline):
    a = analyse(baseline)["all_cut"]
    f = charts.all_cut_frame(a)
    assert len(f) == 2 * len(baseline.players)
    spec = _valid(charts.all_cut_chart(f))
    data = next(d for d in _data(spec) if "outcome" in d)
    for p in baseline.players:
        row = data[data["player"] == p].set_index("outcome")
        assert row.loc["All spend", "payoff"] == pytest.approx(a["all_spend"][p])
        assert row.loc["All cut", "payoff"] == pytest.approx(a["all_cut"][p])
        assert row.loc["All cut", "gain"] == pytest.approx(a["all_cut"][p] - a["all_spend"][p])
    assert spec["layer"][0]["encoding"]["x"]["sort"] == list(baseline.players)


# ---- messages and export -------------------------------------------------------------------


def test_message_chart():
    spec = _valid(charts.message_chart("Nothing to draw", height=80))
    assert spec["height"] == 80
    assert _data(spec)[0]["message"].item() == "Nothing to draw"


def test_payoff_labels_use_the_one_money_formatter():
    """dilemma.format.money without the unit: two decimals below 1, no minus zero (see tests/test_format.py)."""
    from dilemma import Game

    g = Game.from_arrays([[-0.04, 1234.56], [-0.001, -1234.56]], [[0.5, 0.0], [0.0, 2.0]],
                         players=["Alpha", "Beta"])
    f = charts.payoff_matrix_frame(g)
    assert f.row_label.tolist() == ["Alpha: −0.04", "Alpha: 1,234.6 ★", "Alpha: 0.00 ★", "Alpha: −1,234.6"]
    assert f.col_label.tolist() == ["Beta: 0.50 ★", "Beta: 0.00", "Beta: 0.00", "Beta: 2.0 ★"]


def test_export_png_and_svg(classroom):
    chart = charts.payoff_matrix_chart(charts.payoff_matrix_frame(classroom))
    png = charts.chart_to_png(chart, scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000
    svg = charts.chart_to_svg(chart)
    assert svg.lstrip().startswith("<svg") and "Nash equilibrium" in svg


def test_builders_never_import_streamlit():
    import subprocess
    import sys

    code = ("import sys, dilemma.charts, dilemma.charts.regime; "
            "sys.exit(1 if 'streamlit' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_every_builder_returns_an_altair_chart(classroom, baseline):
    built = [
        charts.payoff_matrix_chart(charts.payoff_matrix_frame(classroom)),
        charts.breakdown_chart(charts.breakdown_frame(classroom, 0, (0, 0))),
        charts.schelling_chart(baseline.schelling()),
        charts.delta_chart(baseline.schelling()),
        charts.all_cut_chart(charts.all_cut_frame(analyse(baseline)["all_cut"])),
        charts.message_chart("x"),
    ]
    for chart in built:
        assert isinstance(chart, alt.TopLevelMixin)


def test_scale_spec_enlarges_type_marks_and_fixed_sizes_only():
    spec = {"mark": {"type": "circle", "size": 70, "strokeWidth": 2},
            "encoding": {"x": {"field": "a", "axis": {"labelFontSize": 13}}, "size": {"field": "n"}},
            "height": 200, "width": "container", "datasets": {"d": [{"fontSize": 1}]}}
    out = charts.scale_spec(spec, 1.5)
    assert out["mark"] == {"type": "circle", "size": 157.5, "strokeWidth": 3.0}   # area x 1.5^2, stroke x 1.5
    assert out["encoding"]["x"]["axis"]["labelFontSize"] == 19.5
    assert out["encoding"]["size"] == {"field": "n"}                              # an encoding, not a size
    assert out["height"] == 300.0 and out["width"] == "container"
    assert out["datasets"] == spec["datasets"]                                      # data untouched
    assert out["config"]["axis"] == {"labelFontSize": 16.5, "titleFontSize": 16.5}  # Vega's 11 px x 1.5
    assert spec["height"] == 200                                                    # the input is not changed


def test_all_cut_bars_carry_their_values(baseline):
    from dilemma.analysis import analyse

    frame = charts.all_cut_frame(analyse(baseline)["all_cut"])
    spec = _valid(charts.all_cut_chart(frame))
    (data,) = _data(spec)
    # every bar is labelled, the near-zero all-spend payoffs too, one decimal and never "−0.0"
    for row in data.itertuples():
        r = round(row.payoff, 1)
        assert row.label == ("−" if r < 0 else "") + f"{abs(r):.1f}"
    assert "−0.0" not in set(data["label"])
    assert any(layer["mark"]["type"] == "text" for layer in spec["layer"])


def test_action_raster_marks_forced_cuts():
    """A Cut in a year that started with the firm rated BB is a forced cut: marked "BB" on its square."""
    from dilemma.charts import repeated as rc

    rows = [(1, "A", "Spend", "BBB"), (2, "A", "Spend", "BB"), (3, "A", "Cut", "BB"), (4, "A", "Cut", "BBB"),
            (1, "B", "Cut", "A"), (2, "B", "Cut", "A"), (3, "B", "Cut", "A"), (4, "B", "Spend", "A")]
    frame = pd.DataFrame(rows, columns=["year", "player", "action", "rating"]).assign(
        role=lambda f: f["action"], strategy="Tit For Tat", payoff=0.0, cumulative=0.0)
    spec = _valid(rc.action_raster_chart(frame))
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert len(texts) == 1
    marked = spec["datasets"][texts[0]["data"]["name"]]
    # A cut in years 3 (rated BB at the end of 2) and 4 (rated BB at the end of 3); B never was BB
    assert [(r["player"], r["year"], r["mark"]) for r in marked] == [("A", 3, "BB"), ("A", 4, "BB")]
