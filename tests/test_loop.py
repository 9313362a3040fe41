"""The capital loop (dilemma.loop): file validation, the cascade on a hand-worked network, the fixed
point, the game after the shock, and the ``dilemma cascade`` command.

The hand-worked network (numbers in $B, worked out on paper below):

    I --investment 5/yr, 2 yrs, stake 8--> L (lab)
    L --purchase 10/yr, 3 yrs, margin 0.5--> C (cloud; debt 20, EBITDA 6: 20/6 = 3.33x, BBB)
    L --lease 1/yr, 4 yrs--> P (SPV)
    C --purchase 6/yr, 1 yr--> S (supplier; debt 0, EBITDA 10)
    C --lease 2/yr, 4 yrs--> P
    P --debt 1.5/yr, 20 yrs--> B (lender)

P's coverage from its own flows: income 1 + 2 = 3 over debt service 1.5 = 2.0x.

L fails. Round 1: L's payments stop. C loses 10/yr of revenue, 30 of backlog, 10 x 0.5 = 5 of
EBITDA: 20 / (6 - 5) = 20x, BB, forced to cut. P loses 1 of its 3 of income: coverage
2.0 x 2/3 = 1.33x, still >= 1. I writes off its stake of 8. Round 2: C buys 6 x (1 - 0.4) = 3.6
from S (S loses 2.4/yr, margin 1 without a revenue figure: EBITDA 10 -> 7.6, no debt, AA);
C's lease to P is contractual and still paid. Nobody new breaks: fixed point after round 2.

The lease C->P not renewed instead: P's income falls to 1 of 3, coverage 2.0 x 1/3 = 0.67x < 1:
P defaults in round 1, and in round 2 B loses 1.5/yr, 30 of backlog.
"""

from __future__ import annotations

import json
import math

import pytest

from dilemma.cli import main
from dilemma.errors import ParameterError, ScenarioError
from dilemma.loop.aftermath import compare_games, shocked_scenario
from dilemma.loop.cascade import STATES, cascade
from dilemma.loop.layout import layout
from dilemma.loop.network import list_loops, load_loop, loads_loop, loop_from_dict
from dilemma.scenario import load_preset

TOY = {
    "title": "toy",
    "nodes": [
        {"name": "I", "kind": "investor"},
        {"name": "L", "kind": "lab"},
        {"name": "C", "kind": "hyperscaler", "debt": 20, "ebitda": 6},
        {"name": "S", "kind": "supplier", "debt": 0, "ebitda": 10},
        {"name": "P", "kind": "spv"},
        {"name": "B", "kind": "lender"},
    ],
    "flows": [
        {"from": "I", "to": "L", "amount": 5, "tenor": 2, "kind": "investment", "stake": 8, "source": "toy"},
        {"from": "L", "to": "C", "amount": 10, "tenor": 3, "kind": "purchase", "margin": 0.5, "source": "toy"},
        {"from": "L", "to": "P", "amount": 1, "tenor": 4, "kind": "lease", "source": "toy"},
        {"from": "C", "to": "S", "amount": 6, "tenor": 1, "kind": "purchase", "source": "toy"},
        {"from": "C", "to": "P", "amount": 2, "tenor": 4, "kind": "lease", "source": "toy"},
        {"from": "P", "to": "B", "amount": 1.5, "tenor": 20, "kind": "debt", "source": "toy"},
    ],
}


@pytest.fixture(scope="module")
def toy():
    return loop_from_dict(TOY, source="toy.toml")


# ---- validation ------------------------------------------------------------------------


def _bad(mutate) -> str:
    data = json.loads(json.dumps(TOY))
    mutate(data)
    with pytest.raises(ScenarioError) as exc:
        loop_from_dict(data, source="bad.toml")
    return str(exc.value)


def test_unknown_node_key_gets_a_did_you_mean():
    msg = _bad(lambda d: d["nodes"][2].update(revenu=5))
    assert msg.startswith("bad.toml: nodes[2].revenu: unknown key (did you mean 'revenue'?)")


def test_unknown_top_level_key_gets_a_did_you_mean():
    assert _bad(lambda d: d.update(flow=[])).startswith("bad.toml: flow: unknown key (did you mean 'flows'?)")


def test_flow_to_an_unknown_node_names_the_field_and_the_nearest_name():
    msg = _bad(lambda d: d["flows"][1].update(to="CC"))
    assert msg.startswith("bad.toml: flows[1].to: unknown node 'CC' (did you mean 'C'?)")


def test_amount_out_of_range_names_the_field_and_the_range():
    msg = _bad(lambda d: d["flows"][0].update(amount=-1))
    assert msg == "bad.toml: flows[0].amount: must be a number between 0 and 2000 ($B per year), got -1"


def test_every_flow_needs_a_source():
    msg = _bad(lambda d: d["flows"][3].pop("source"))
    assert msg == "bad.toml: flows[3]: missing required key 'source' (every flow needs a source)"


def test_kind_must_be_known():
    msg = _bad(lambda d: d["nodes"][4].update(kind="spy"))
    assert msg.startswith("bad.toml: nodes.P.kind: must be one of hyperscaler, supplier, lab, spv, lender, "
                          "investor, got 'spy' (did you mean 'spv'?)")


def test_duplicate_nodes_self_flows_and_stakes_on_purchases_are_refused():
    assert "duplicate node name 'C'" in _bad(lambda d: d["nodes"].append({"name": "C", "kind": "lab"}))
    assert "a flow needs two different nodes" in _bad(lambda d: d["flows"][0].update(to="I"))
    assert "only an investment flow has a stake" in _bad(lambda d: d["flows"][1].update(stake=1))


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title = "x"\n[[nodes]]\nname = "A"\nkind = "lab"\n[[flows]]\nfrom = "A"\nto = "B"\n'
                    'amount = 1\ntenor = 1\nkind = "loan"\nsource = "s"\n')
    with pytest.raises(ScenarioError, match=r"mine\.toml: flows\[0\]\.to: unknown node 'B'"):
        load_loop(path)
    with pytest.raises(ScenarioError, match="not valid TOML"):
        loads_loop("[[nodes]\n", source="broken.toml")
    with pytest.raises(ScenarioError, match=r"no such loop file \(did you mean 'openai-2025'\?\)"):
        load_loop("openai-2052")


def test_shipped_loops_load_and_every_flow_has_a_source():
    assert list_loops() == ["openai-2025"]
    loop = load_loop("openai-2025")
    assert all(f.source.strip() for f in loop.flows)
    assert {n.kind for n in loop.nodes} == {"hyperscaler", "supplier", "lab", "spv", "lender", "investor"}


# ---- the cascade on the hand-worked network --------------------------------------------


def test_cascade_rounds_and_losses_match_the_hand_worked_example(toy):
    res = cascade(toy, fail="L", cut_depth=0.4)
    assert [r.number for r in res.rounds] == [1, 2]
    assert [(b.name, b.state) for b in res.rounds[0].broken] == [("C", "cut")]
    assert res.rounds[1].broken == ()
    assert set(res.rounds[0].changed) == {"L->C", "L->P"}
    assert res.rounds[1].changed == ("C->S",)
    assert res.fixed_point
    c, s, p, b, i = (res.node(n) for n in "CSPBI")
    assert (c.state, c.round, c.revenue_lost, c.backlog_lost, c.ebitda_lost) == ("cut", 1, 10.0, 30.0, 5.0)
    assert c.leverage_before == pytest.approx(20 / 6) and c.leverage_after == pytest.approx(20.0)
    assert (c.rating_before, c.rating_after) == ("BBB", "BB")
    assert s.state == "ok" and s.revenue_lost == pytest.approx(2.4) and s.ebitda_lost == pytest.approx(2.4)
    assert (p.state, p.test) == ("ok", "coverage")
    assert p.coverage_before == pytest.approx(2.0) and p.coverage_after == pytest.approx(4 / 3)
    assert b.revenue_lost == 0.0
    assert i.stake_lost == 8.0 and i.state == "ok" and i.test == "none"
    paid = {f.key: f.paid for f in res.flows}
    assert paid == pytest.approx({"I->L": 5.0, "L->C": 0.0, "L->P": 0.0, "C->S": 3.6, "C->P": 2.0, "P->B": 1.5})


def test_a_lease_not_renewed_defaults_the_spv_and_reaches_its_lenders(toy):
    res = cascade(toy, fail="C->P")
    assert [[(b.name, b.state) for b in r.broken] for r in res.rounds] == [[("P", "failed")], []]
    p, b = res.node("P"), res.node("B")
    assert p.coverage_after == pytest.approx(2.0 / 3.0)
    assert b.revenue_lost == 1.5 and b.backlog_lost == 30.0
    assert res.flow("P->B").round == 2
    assert res.node("C").state == "ok"          # the payer only stopped one lease


def test_a_cut_scales_back_purchases_but_not_leases(toy):
    res = cascade(toy, cut=["C"], cut_depth=0.5)
    paid = {f.key: f.paid for f in res.flows}
    assert paid["C->S"] == 3.0 and paid["C->P"] == 2.0
    assert len(res.rounds) == 1 and res.fixed_point


def test_unknown_shock_names_are_refused_with_the_nearest_name(toy):
    with pytest.raises(ParameterError, match=r"fail: must be a node or a flow \(A->B\) of the loop \(did you mean 'L->C'\?\)"):
        cascade(toy, fail="L->CC")
    with pytest.raises(ParameterError, match="cut_depth"):
        cascade(toy, fail="L", cut_depth=0)
    with pytest.raises(ParameterError, match="at least one"):
        cascade(toy, fail=[])


@pytest.mark.parametrize("name", load_loop("openai-2025").names)
def test_every_failure_in_the_shipped_loop_reaches_a_fixed_point(name):
    loop = load_loop("openai-2025")
    res = cascade(loop, fail=name)
    assert res.fixed_point and len(res.rounds) <= 3 * len(loop.nodes) + 2
    assert res.rounds[-1].broken == ()
    # states only worsen and losses only grow, round after round
    for prev, nxt in zip(res.rounds, res.rounds[1:]):
        assert all(STATES.index(a) <= STATES.index(b) for a, b in zip(prev.states, nxt.states))
        assert all(a <= b + 1e-9 for a, b in zip(prev.revenue_lost, nxt.revenue_lost))
    # at the fixed point, what each flow pays follows from the final states
    final = dict(zip(loop.names, res.rounds[-1].states))
    for f in res.flows:
        if final[f.payer] == "failed":
            assert f.paid == 0.0
        elif final[f.payer] == "cut" and f.kind in ("purchase", "investment"):
            assert f.paid == pytest.approx(0.6 * f.amount)


def test_openai_failing_hurts_nvidia_and_oracle_who_survive():
    res = cascade(load_loop("openai-2025"), fail="OpenAI", cut_depth=0.4)
    # Oracle: 60/yr at a 14 % margin = 8.4 of EBITDA; (105 - 11) / (24 - 8.4) = 6.03x: BB, forced to cut
    oracle = res.node("Oracle")
    assert oracle.state == "cut" and oracle.ebitda_lost == pytest.approx(8.4)
    assert oracle.leverage_after == pytest.approx(94 / 15.6)
    # NVIDIA: OpenAI's 20/yr of chips, then 40 % of Oracle's 20 and of CoreWeave's 12: 20 + 8 + 4.8
    nvidia = res.node("NVIDIA")
    assert nvidia.revenue_lost == pytest.approx(32.8) and nvidia.state == "ok"
    # the SPVs keep being paid: Oracle's rent to Jacquard is contractual
    assert res.node("Jacquard").state == "ok" and res.flow("Oracle->Jacquard").paid == 2.7


# ---- the game after the shock ----------------------------------------------------------


def test_shocked_scenario_mapping_by_hand():
    base = load_preset("2025-baseline")
    res = cascade(load_loop("openai-2025"), fail="OpenAI", cut_depth=base.value("market.cut_depth"))
    shocked, changes = shocked_scenario(base, res)
    assert shocked.value("players.Oracle.edge") == pytest.approx(1 - 300 / 455)
    assert shocked.value("players.Microsoft.edge") == pytest.approx(1 - 42 * 6 / 625)
    ebitda_lost = 60 * 0.14 + 42 * (160 / 281.7) + 5.4 * 0.35
    assert shocked.value("demand.profit_pool") == pytest.approx(210 - ebitda_lost)
    assert shocked.value("players.Oracle.ocf") == pytest.approx(21 - 8.4)
    # outside builders: OpenAI's chips from NVIDIA (20) and AMD (15), 40 % of CoreWeave's 12
    assert shocked.value("demand.outside_capex") == pytest.approx(50 - 20 - 15 - 4.8)
    assert shocked.value("market.punishment") == base.value("market.punishment")
    assert {c["path"] for c in changes} >= {"players.Oracle.edge", "demand.profit_pool"}


def test_compare_games_reports_before_and_after():
    base = load_preset("2025-baseline")
    cmp = compare_games(base, cascade(load_loop("openai-2025"), fail="OpenAI"))
    assert cmp["before"]["game_type"] == "prisoners-dilemma" and cmp["before"]["equilibria"] == ["all spend"]
    assert cmp["forced_to_cut"] == ["Oracle"]
    # Oracle's all-spend payoff falls with its edge and EBITDA
    assert cmp["after"]["payoffs_all_spend"]["Oracle"] < cmp["before"]["payoffs_all_spend"]["Oracle"]


def test_layout_keeps_every_node_in_the_unit_square():
    for kind in ("layered", "circle"):
        pos = layout(load_loop("openai-2025"), kind=kind)
        assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())
        assert len(set(pos.values())) == len(pos)
    with pytest.raises(ParameterError):
        layout(load_loop("openai-2025"), kind="spiral")


# ---- the command line --------------------------------------------------------------------


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_json_shape(capsys):
    status, out, err = run(capsys, "cascade", "2025-baseline", "--fail", "OpenAI", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert {"nodes", "flows", "rounds", "game", "fixed_point"} <= set(data)
    assert data["fixed_point"] is True
    node = next(n for n in data["nodes"] if n["name"] == "Oracle")
    assert {"state", "revenue_lost", "backlog_lost", "ebitda_lost", "rating_before", "rating_after"} <= set(node)
    flow = next(f for f in data["flows"] if f["key"] == "OpenAI->Oracle")
    assert (flow["lost"], flow["backlog_lost"], flow["round"]) == (60.0, 300.0, 1)
    assert [r["round"] for r in data["rounds"]] == [1, 2]
    assert data["rounds"][0]["broken"][0]["name"] == "Oracle"
    for when in ("before", "after"):
        assert {"game_type", "game_type_label", "equilibria"} <= set(data["game"][when])
    assert data["game"]["before"]["game_type"] == "prisoners-dilemma"
    assert all(math.isfinite(n["revenue_lost"]) for n in data["nodes"])


def test_cli_text_report(capsys):
    status, out, _ = run(capsys, "cascade", "2025-baseline", "--fail", "Meta->Beignet")
    assert status == 0
    assert "Beignet: failed (coverage 1.17× → 0.00×" in out
    assert "Fixed point reached." in out


@pytest.mark.parametrize("argv, message", [
    (["--fail", "OpenAi"], "error: fail: must be a node or a flow (A->B) of the loop (did you mean 'OpenAI'?)"),
    ([], "error: cascade: give at least one --fail NAME or --cut NAME"),
    (["--fail", "OpenAI", "--loop", "nope"], "error: nope: no such loop file"),
    (["--fail", "OpenAI", "--set", "market.punishment=9"], "error: 2025-baseline: market.punishment: must be a number between"),
])
def test_cli_user_errors_exit_2_with_one_line(capsys, argv, message):
    status, out, err = run(capsys, "cascade", "2025-baseline", *argv)
    assert status == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_cli_refuses_an_explicit_game(capsys):
    status, _, err = run(capsys, "cascade", "games/chicken", "--fail", "OpenAI")
    assert status == 2 and "needs a model scenario" in err


def test_cli_a_hyperscaler_cuts(capsys):
    # Microsoft buys 40 % less of CoreWeave's capacity: 3 x 0.4 = 1.2/yr at CoreWeave's margin 3.2/5.1,
    # 0.75 of EBITDA: (14 - 2) / (3.2 - 0.75) = 4.9x, BB: CoreWeave cuts, and buys 12 x 0.6 = 7.2 of chips
    status, out, err = run(capsys, "cascade", "2025-baseline", "--cut", "Microsoft", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["shock"] == ["cut:Microsoft"]
    core = next(n for n in data["nodes"] if n["name"] == "CoreWeave")
    assert core["state"] == "cut" and core["leverage_after"] == pytest.approx(12 / (3.2 - 1.2 * 3.2 / 5.1))
    flows = {f["key"]: f["paid"] for f in data["flows"]}
    assert flows["Microsoft->CoreWeave"] == pytest.approx(1.8) and flows["CoreWeave->NVIDIA"] == pytest.approx(7.2)
    assert flows["Meta->Beignet"] == 2.1
