"""docs/explanation/fidelity.md against the shipped data, and the stylised facts it lists, one test each.

The tables on the fidelity page give every firm figure of the 2025 and 2026
presets, the derived values of ``openai-fails`` and every node figure and flow
of the capital loop, each with its public figure. The first tests check the
page against the files (values equal, nothing missing), so the two cannot
drift apart. The expected values of the stylised facts are worked by hand from
the figures on the page (backing = 0.8 x OCF + backlog / 5).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from dilemma.loop.aftermath import shocked_scenario
from dilemma.loop.cascade import cascade
from dilemma.loop.network import NODE_FIELDS, load_loop
from dilemma.payoffs import TERMS, build_game
from dilemma.scenario import list_presets, load_preset

PAGE = Path(__file__).resolve().parent.parent / "docs" / "explanation" / "fidelity.md"
TEXT = PAGE.read_text(encoding="utf-8")
FIRM_FIELDS_SHOWN = {"2025-baseline": ("capex", "ocf", "cash", "debt", "ebitda", "market_value"),
                     "2026-guidance": ("capex", "ocf", "cash", "debt", "ebitda", "market_value", "backlog")}


def _rows(prefix: str) -> list[list[str]]:
    out = []
    for line in TEXT.splitlines():
        if line.startswith(f"| {prefix} | `"):
            out.append([c.strip() for c in line.strip("|").split("|")])
    return out


def _equilibria(scenario) -> list[tuple[int, ...]]:
    return build_game(scenario).pure_equilibria()


def _cutters(scenario) -> list[set[str]]:
    names = scenario.player_names
    return [{names[i] for i, a in enumerate(eq) if a == 1} for eq in _equilibria(scenario)]


# ---- the page against the data -----------------------------------------------------------


@pytest.mark.parametrize("preset", sorted(FIRM_FIELDS_SHOWN))
def test_firm_figures_on_the_page_are_the_presets(preset):
    scenario = load_preset(preset)
    rows = _rows(preset)
    shown = {r[1].strip("`"): float(r[2]) for r in rows}
    expected = {f"players.{p.name}.{f}": getattr(p, f) for p in scenario.players for f in FIRM_FIELDS_SHOWN[preset]}
    assert shown == expected
    assert all(r[3] and r[4] for r in rows), "every figure needs its public source and kind"


def test_openai_fails_rows_are_the_preset_and_the_cascade():
    preset = load_preset("openai-fails")
    rows = _rows("openai-fails")
    assert len(rows) == 10
    base = load_preset("2025-baseline")
    derived, _ = shocked_scenario(base, cascade(load_loop("openai-2025"), fail="OpenAI",
                                                 cut_depth=base.value("market.cut_depth")))
    for _, path, value, _why in rows:
        path = path.strip("`")
        assert preset.value(path) == float(value), path
        # the preset holds the cascade's value, rounded as the page says
        assert derived.value(path) == pytest.approx(float(value), abs=0.5 if "outside" in path else 0.051), path


def test_every_loop_figure_and_flow_is_on_the_page():
    loop = load_loop("openai-2025")
    nodes = {r[1].strip("`"): float(r[2]) for r in _rows("openai-2025") if r[1].startswith("`nodes.")}
    expected = {f"nodes.{n.name}.{f.path}": getattr(n, f.path) for n in loop.nodes for f in NODE_FIELDS
                if getattr(n, f.path) not in (None,) and not (f.path == "cash" and n.cash == 0)}
    assert nodes == expected
    flows = {r[1].strip("`"): (float(r[2]), float(r[3]), r[4]) for r in _rows("openai-2025")
             if r[1].startswith("`flows.")}
    assert flows == {f"flows.{k}": (f.amount, f.tenor, f.source) for k, f in zip(loop.flow_keys(), loop.flows)}


def test_consistency_claims_of_the_page():
    loop = load_loop("openai-2025")
    suppliers = {n.name for n in loop.nodes if n.kind == "supplier"}
    outside = sum(f.amount for f in loop.flows if f.kind == "purchase" and f.payee in suppliers
                  and f.payer in ("OpenAI", "CoreWeave", "Colossus-2 SPV"))
    assert outside == 20 + 15 + 12 + 10 == 57
    res = cascade(loop, fail="OpenAI")
    assert sum(n.ebitda_lost for n in res.nodes if n.firm) == pytest.approx(34.1, abs=0.05)


# ---- stylised facts ------------------------------------------------------------------------


def test_2025_baseline_is_a_prisoners_dilemma():
    game = build_game(load_preset("2025-baseline"))
    assert game.game_type() == "prisoners-dilemma"
    assert game.pure_equilibria() == [(0, 0, 0, 0, 0)]
    assert float(game.payoffs[(0,) * 5].sum()) == pytest.approx(-1.0, abs=0.1)     # MODEL.md: about -1
    assert float(game.payoffs[(1,) * 5].sum()) == pytest.approx(70.0, abs=1.0)     # MODEL.md: about +70


@pytest.mark.parametrize("name", list_presets())
def test_unbacked_term_is_zero_by_default_and_the_breakdown_sums(name):
    scenario = load_preset(name)
    game = build_game(scenario)
    if scenario.value("market.unbacked_markdown") == 0:
        assert not np.any(game.breakdown["unbacked"])
    np.testing.assert_allclose(sum(game.breakdown[t] for t in TERMS), game.payoffs, atol=1e-9)


def test_unbacked_term_by_hand_in_the_2025_baseline():
    game = build_game(load_preset("2025-baseline").with_values({"market.unbacked_markdown": 1.0}))
    unb = game.breakdown["unbacked"]
    # all spend: capex - 0.8 x OCF when positive (no backlog in 2025)
    np.testing.assert_allclose(-unb[(0,) * 5], [110 - 108.8, 0, 125 - 104.8, 0, 35 - 16.8])
    # all cut (60 % of the plan): only Oracle is still beyond its cash flow, 21 - 16.8
    np.testing.assert_allclose(-unb[(1,) * 5], [0, 0, 0, 0, 21 - 16.8], atol=1e-12)


def test_raised_far_enough_weakly_backed_firms_cut():
    base = load_preset("2025-baseline")
    assert _cutters(base.with_values({"market.unbacked_markdown": 0.1})) == [set()]
    assert _cutters(base.with_values({"market.unbacked_markdown": 1.0})) == [{"Amazon", "Oracle"}]


def test_2026_amazon_is_punished_more_than_meta():
    s = load_preset("2026-guidance")
    assert s.value("market.unbacked_markdown") == 1.0
    game = build_game(s)
    i = {n: k for k, n in enumerate(s.player_names)}
    unb = -game.breakdown["unbacked"][(0,) * 5]
    assert unb[i["Amazon"]] == pytest.approx(200 - 0.8 * 139.5 - 244 / 5)      # 39.6
    assert unb[i["Meta"]] == pytest.approx(125 - 0.8 * 115.8)                    # 32.36
    assert unb[i["Amazon"]] > unb[i["Meta"]] and unb[i["Amazon"]] == unb.max()
    assert _cutters(s) == [{"Amazon", "Meta"}]
    assert _cutters(s.with_values({"market.unbacked_markdown": 0.0})) == [set()]   # the 2025 reading: all spend


def test_2026_meta_and_microsoft_are_not_reproduced():
    """The page says so: Meta rose and Microsoft fell, the model punishes Meta and spares Microsoft."""
    s = load_preset("2026-guidance")
    game = build_game(s)
    i = {n: k for k, n in enumerate(s.player_names)}
    unb = -game.breakdown["unbacked"][(0,) * 5]
    assert unb[i["Meta"]] > 0 and unb[i["Microsoft"]] == 0
    assert 150 < 0.8 * 136 + 625 / 5                      # Microsoft's backing: 233.8
    # relative to market value Meta's markdown is not smaller than Amazon's
    assert unb[i["Meta"]] / 1800 > unb[i["Amazon"]] / 2250


def test_2026_alphabet_is_backed():
    s = load_preset("2026-guidance")
    unb = -build_game(s).breakdown["unbacked"][(0,) * 5][s.player_names.index("Alphabet")]
    assert unb == pytest.approx(180 - 0.8 * 164.7 - 240 / 5)                    # 0.24
    assert unb < 0.5


def test_openai_failing_hurts_but_does_not_fell_nvidia_and_oracle():
    res = cascade(load_loop("openai-2025"), fail="OpenAI", cut_depth=0.4)
    assert res.node("Oracle").state == "cut"            # hurt: BB, cuts capex; does not fail
    assert res.node("NVIDIA").state == "ok" and res.node("NVIDIA").rating_after == "AA"
    assert res.node("NVIDIA").revenue_lost == pytest.approx(32.8)
    assert not [n.name for n in res.nodes if n.state == "failed" and n.name != "OpenAI"]
    assert res.node("Jacquard").state == res.node("Beignet").state == "ok"


def test_openai_fails_preset_is_the_cascade_plus_stated_judgement():
    base = load_preset("2025-baseline")
    shocked, _ = shocked_scenario(base, cascade(load_loop("openai-2025"), fail="OpenAI"))
    assert _cutters(shocked) == [set()]                                        # flows alone: all spend
    no_pun = shocked.with_values({"market.punishment": 0.0})
    assert _cutters(no_pun) == [{"Microsoft", "Amazon", "Oracle"}]             # Alphabet, Meta spend
    judged = no_pun.with_values({"demand.profit_pool": 80.0, "demand.price_war": 1.5})
    assert build_game(judged).game_type() == "harmony"
    preset = build_game(load_preset("openai-fails"))
    assert preset.game_type() == "harmony" and preset.pure_equilibria() == [(1,) * 5]


def test_a_lease_not_renewed_strands_the_bonds():
    res = cascade(load_loop("openai-2025"), fail="Meta->Beignet")
    assert res.node("Beignet").state == "failed"
    assert res.node("Beignet").coverage_before == pytest.approx(2.1 / 1.8)
    holders = res.node("Hyperion bondholders")
    assert holders.revenue_lost == pytest.approx(1.8) and holders.backlog_lost == pytest.approx(1.8 * 24)
