r"""The game after the shock: what the cascade left, read into a scenario, solved.

The hyperscalers' one-year Spend/Cut game (:mod:`dilemma.payoffs`) is built
from a model scenario. :func:`shocked_scenario` changes the scenario by what
the cascade (:mod:`dilemma.loop.cascade`) took from the loop's nodes that are
firms of the scenario (a node's ``firm``), and nothing else:

============================ =============================================================
scenario field               after the shock
============================ =============================================================
``players.F.edge``           :math:`w_F \cdot \max(0, 1 - \text{backlog lost}_F / \text{backlog}_F)`:
                             the edge is the backlog (RPO) that wins the firm its share, so
                             it shrinks with the share of backlog lost (the node's ``backlog``)
``players.F.backlog``        minus the backlog lost (only where the scenario gives one:
                             the backing of ``market.unbacked_markdown``)
``players.F.ebitda``         minus the EBITDA lost (spreads widen with leverage)
``players.F.ocf``            minus the EBITDA lost (lost margin is lost cash)
``demand.profit_pool`` (D)   minus the EBITDA the firms lost: the AI profit that was the
                             failed customers' money
``demand.outside_capex`` Q₀  minus the purchases the builders outside the game (nodes of
                             the loop that are not firms) no longer make
============================ =============================================================

Values are clipped to the parameters' ranges. Nothing else moves: the
market's punishment for a cut, the bubble's risk and the financing terms stay
as the scenario has them, so the shocked game is what the *contracted flows*
alone imply. The shipped ``openai-fails`` preset adds judgement on top (the
market stops punishing cuts; the profit pool falls further); its file says
where it differs.

Examples
--------
>>> from dilemma import load_preset
>>> from dilemma.loop import load_loop
>>> from dilemma.loop.cascade import cascade
>>> res = cascade(load_loop("openai-2025"), fail="OpenAI")
>>> shocked, changes = shocked_scenario(load_preset("2025-baseline"), res)
>>> round(shocked.value("players.Oracle.edge"), 2)
0.34
"""

from __future__ import annotations

from ..parameters import param

__all__ = ["shocked_scenario", "compare_games", "game_summary"]


def _clip(path: str, value: float) -> float:
    p = param(path.rsplit(".", 1)[-1] if path.startswith("players.") else path)
    return min(max(value, p.low), p.high)


def shocked_scenario(scenario, result):
    """The scenario after a cascade, and the list of changes made.

    Parameters
    ----------
    scenario : Scenario
        A model scenario whose firms the loop's nodes name (``firm = "Oracle"``).
    result : CascadeResult

    Returns
    -------
    (Scenario, list of dict)
        The shocked scenario, and one ``{"path", "before", "after", "why"}``
        per changed value.
    """
    from ..errors import ScenarioError

    if scenario.kind != "model":
        raise ScenarioError("the game after a shock needs a model scenario ([[players]])", source=scenario.source)
    firms = set(scenario.player_names)
    updates: dict[str, float] = {}
    why: dict[str, str] = {}
    ebitda_lost_firms = 0.0
    for out in result.nodes:
        if not out.firm or out.firm not in firms:
            continue
        node = result.loop.node(out.name)
        f = out.firm
        if out.backlog_lost > 0 and node.backlog:
            share = min(1.0, out.backlog_lost / node.backlog)
            path = f"players.{f}.edge"
            updates[path] = scenario.value(path) * (1.0 - share)
            why[path] = f"lost {out.backlog_lost:.0f} of {node.backlog:.0f} $B backlog ({share:.0%})"
            path = f"players.{f}.backlog"
            if scenario.value(path) > 0:
                updates[path] = scenario.value(path) - out.backlog_lost
                why[path] = f"backlog lost: {out.backlog_lost:.0f} $B"
        if out.ebitda_lost > 0:
            ebitda_lost_firms += out.ebitda_lost
            for key in ("ebitda", "ocf"):
                path = f"players.{f}.{key}"
                updates[path] = scenario.value(path) - out.ebitda_lost
                why[path] = f"EBITDA lost: {out.ebitda_lost:.1f} $B/yr"
    if ebitda_lost_firms > 0:
        path = "demand.profit_pool"
        updates[path] = scenario.value(path) - ebitda_lost_firms
        why[path] = f"the firms' lost EBITDA: {ebitda_lost_firms:.1f} $B/yr"
    firm_nodes = {o.name for o in result.nodes if o.firm in firms}
    suppliers = {n.name for n in result.loop.nodes if n.kind == "supplier"}
    outside = sum(f.lost for f in result.flows
                  if f.kind == "purchase" and f.payer not in firm_nodes and f.payee in suppliers
                  and result.loop.node(f.payer).kind in ("hyperscaler", "lab", "spv"))
    if outside > 0:
        path = "demand.outside_capex"
        updates[path] = scenario.value(path) - outside
        why[path] = f"builders outside the game buy {outside:.1f} $B/yr less"
    clipped = {p: _clip(p, v) for p, v in updates.items()}
    shocked = scenario.with_values(clipped)
    changes = [{"path": p, "before": scenario.value(p), "after": clipped[p], "why": why[p]} for p in clipped]
    return shocked, changes


def game_summary(scenario) -> dict:
    """Type, equilibria and all-Spend payoffs of a scenario's one-shot game.

    The type and equilibria come from :func:`dilemma.analysis.analyse`.
    """
    from ..analysis import analyse
    from ..payoffs import SPEND, build_game

    game = build_game(scenario)
    a = analyse(game)
    n = game.n_players
    return {
        "title": scenario.title,
        "game_type": a["game_type"],
        "game_type_label": a["game_type_label"],
        "equilibria": [e["label"] for e in a["equilibria"]],
        "payoffs_all_spend": {p: float(game.payoffs[(SPEND,) * n + (i,)]) for i, p in enumerate(game.players)},
    }


def compare_games(scenario, result) -> dict:
    """The game before and after the shock, side by side (JSON-ready).

    Returns
    -------
    dict
        ``before`` and ``after`` (:func:`game_summary`), ``changes`` (from
        :func:`shocked_scenario`) and ``forced_to_cut``: the scenario firms the
        cascade forced to cut or that failed.
    """
    shocked, changes = shocked_scenario(scenario, result)
    forced = [o.firm for o in result.nodes if o.firm in scenario.player_names and o.state in ("cut", "failed")]
    return {"before": game_summary(scenario), "after": game_summary(shocked), "changes": changes,
            "forced_to_cut": forced}
