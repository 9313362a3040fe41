"""One analysis of a one-shot game, as JSON-ready data and as a text report.

:func:`analyse` gathers what the solvers say about a game (equilibria, type,
the Spend/Cut roles, dominance, efficiency, the all-cut comparison, the
grim-trigger threshold and, on request, the logit QRE) into one dictionary of
plain Python values. It is the package's one serializer of an analysis: the
``dilemma solve`` command prints it as JSON or, through :func:`format_report`,
as a readable report, the lab renders the same data, and
``Game.to_dict(analysis=True)`` embeds it under ``"analysis"``.

Examples
--------
>>> from dilemma import load_preset, build_game
>>> a = analyse(build_game(load_preset("2025-baseline")))
>>> a["game_type"], [e["label"] for e in a["equilibria"]]
('prisoners-dilemma', ['all spend'])
"""

from __future__ import annotations

import math

import numpy as np

from .explain import explain, spend_cut_index
from .format import profile_label as format_profile

__all__ = ["analyse", "format_report", "profile_label", "strategy_label"]


def _num(x):
    """A float for JSON: NaN and infinities become None."""
    x = float(x)
    return x if math.isfinite(x) else None


def profile_label(game, profile) -> str:
    """Readable name of a pure profile: ``'all spend'``, ``'Meta cuts, others spend'``.

    A game whose actions are named Spend and Cut is labelled by
    :func:`dilemma.format.profile_label`, the scheme of every screen (the
    sweep and the regime map included); other games name each player's action.
    """
    idx = spend_cut_index(game)   # named roles only: labels use the names
    if idx is not None:
        return format_profile([a == idx[i][0] for i, a in enumerate(profile)], game.players)
    names = [game.actions[i][a] for i, a in enumerate(profile)]
    if len(set(names)) == 1 and game.n_players > 1:
        return f"all play {names[0]}"
    return ", ".join(f"{game.players[i]}: {nm}" for i, nm in enumerate(names))


def strategy_label(game, strategy) -> str:
    """Readable name of a mixed profile: ``'all mix: Spend 0.42'`` or per player."""
    def one(i, s):
        parts = [f"{game.actions[i][k]} {q:.2f}" for k, q in enumerate(s) if q > 1e-9]
        return " / ".join(parts)

    per = [one(i, s) for i, s in enumerate(strategy)]
    if len(set(per)) == 1 and game.n_players > 1:
        return f"all mix: {per[0]}"
    return "; ".join(f"{game.players[i]}: {p}" for i, p in enumerate(per))


def analyse(game, scenario=None, lam: float | None = None) -> dict:
    """Everything ``dilemma solve`` reports about a one-shot game.

    Parameters
    ----------
    game : Game
    scenario : Scenario, optional
        Adds the title, the scenario kind and, for model games, a generated explanation.
    lam : float, optional
        Rationality of the logit quantal response equilibrium to add (``>= 0``).

    Returns
    -------
    dict
        Keys: ``title, players, actions, outcomes, equilibria, exhaustive,
        degenerate, notes, game_type, game_type_label, game_type_description,
        roles, dominance, efficiency, all_cut, critical_discount_factor`` and,
        when asked, ``qre`` and ``explanation``. Numbers are floats; undefined
        ones are None. Equilibrium strategies list action probabilities per
        player in the game's action order. ``roles`` (None unless every player
        has two actions and the roles can be told) names each player's Spend
        and Cut action and says whether they were inferred from the payoffs;
        ``all_cut`` and ``critical_discount_factor`` are None when ``roles``
        is. ``efficiency.notes`` says when the worst equilibrium could be
        worse than reported (the equilibrium list is not exhaustive).

    Examples
    --------
    The prisoner's dilemma with unnamed actions, cooperation listed first:

    >>> from dilemma.game import Game
    >>> a = analyse(Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    >>> a["game_type"], a["critical_discount_factor"]["binding"], a["roles"]["inferred"]
    ('prisoners-dilemma', 0.5, True)
    """
    from .equilibria.classify import TYPE_LABELS, describe_type

    pay = np.asarray(game.payoffs, dtype=float)
    n = game.n_players
    players = list(game.players)
    res = game.equilibria()
    slug = game.game_type()
    out: dict = {
        "title": (scenario.title if scenario is not None else game.title) or "",
        "players": players,
        "actions": [list(a) for a in game.actions],
        "outcomes": [
            {"profile": [game.actions[i][a] for i, a in enumerate(prof)],
             "payoffs": [_num(v) for v in pay[tuple(prof)]]}
            for prof in np.ndindex(*pay.shape[:-1])
        ] if pay[..., 0].size <= 4096 else None,
        "equilibria": [],
        "exhaustive": bool(res.exhaustive),
        "degenerate": None if res.degenerate is None else bool(res.degenerate),   # None: not checked
        "notes": list(res.notes),
        "game_type": slug,
        "game_type_label": TYPE_LABELS.get(slug, slug),
        "game_type_description": describe_type(slug),
    }
    for e in res.equilibria:
        label = profile_label(game, e.profile) if e.kind == "pure" else strategy_label(game, e.strategy)
        item = {"strategy": [[_num(q) for q in s] for s in e.strategy],
                "payoffs": [_num(v) for v in e.payoffs], "kind": e.kind, "label": label,
                "regret": None if e.regret is None else _num(e.regret)}
        if e.component is not None:
            item["component"] = e.component
        out["equilibria"].append(item)

    # dominance
    from .equilibria.dominance import dominant_actions, iterated_elimination

    dom = dominant_actions(pay, strict=True)
    elim = iterated_elimination(pay, strict=True, mixed=True)
    out["dominance"] = {
        "dominant": {players[i]: (game.actions[i][a] if a is not None else None) for i, a in enumerate(dom)},
        "surviving": {players[i]: [game.actions[i][a] for a in s] for i, s in enumerate(elim.surviving)},
        "dominance_solvable": bool(elim.is_solvable),
        "steps": [
            f"round {st.round}: {players[st.player]} drops {game.actions[st.player][st.action]} "
            + (f"(dominated by {game.actions[st.player][int(st.dominated_by)]})"
               if isinstance(st.dominated_by, (int, np.integer)) else "(dominated by a mixed strategy)")
            for st in elim.steps
        ],
    }

    # efficiency
    from .equilibria.efficiency import pareto_efficient_profiles, price_of_anarchy, social_optimum

    opt = social_optimum(pay)
    poa = price_of_anarchy(pay, equilibrium_welfare=[float(np.sum(e.payoffs)) for e in res.equilibria],
                           exhaustive=res.exhaustive)
    pareto = pareto_efficient_profiles(pay) if pay[..., 0].size <= 4096 else []
    eq_pure = {e.profile for e in res.equilibria if e.kind == "pure"}
    out["efficiency"] = {
        "social_optimum": [profile_label(game, p) for p in opt.profiles],
        "social_optimum_profiles": [[game.actions[i][a] for i, a in enumerate(p)] for p in opt.profiles],
        "optimum_welfare": _num(opt.welfare),
        "worst_equilibrium_welfare": _num(poa.worst_equilibrium_welfare),
        "best_equilibrium_welfare": _num(poa.best_equilibrium_welfare),
        "welfare_gap": _num(poa.gap),
        "price_of_anarchy": _num(poa.ratio),
        "pareto_efficient": [profile_label(game, p) for p in pareto],
        "equilibria_pareto_efficient": [profile_label(game, p) for p in sorted(eq_pure) if p in set(pareto)],
        "notes": list(poa.notes),
    }

    # the Spend/Cut roles (two-action games whose roles are named or can be inferred)
    from .errors import RolesError

    roles = None
    if n >= 2 and all(len(a) == 2 for a in game.actions):
        try:
            roles = game.roles()
        except RolesError:       # no Spend/Cut reading (e.g. matching pennies): roles stay None
            roles = None
    if roles is not None:
        idx = roles.pairs()
        out["roles"] = {
            "spend": {p: game.actions[i][s] for i, (p, (s, _)) in enumerate(zip(players, idx))},
            "cut": {p: game.actions[i][c] for i, (p, (_, c)) in enumerate(zip(players, idx))},
            "inferred": bool(roles.inferred),
            "source": roles.source,
            "note": roles.note(),
        }
        s_all = pay[tuple(s for s, _ in idx)]
        c_all = pay[tuple(c for _, c in idx)]
        out["all_cut"] = {
            "all_spend": {p: _num(v) for p, v in zip(players, s_all)},
            "all_cut": {p: _num(v) for p, v in zip(players, c_all)},
            "gain": {p: _num(v) for p, v in zip(players, c_all - s_all)},
            "total_gain": _num(float((c_all - s_all).sum())),
            "everyone_gains": bool((c_all > s_all).all()),
        }
        cdf = game.critical_discount_factor()
        out["critical_discount_factor"] = {
            "per_player": {p: _num(v) for p, v in zip(players, cdf.thresholds)},
            "binding": _num(cdf.binding),
            "binding_player": players[cdf.binding_player],
            # binding is None for both "never" (inf) and undefined (NaN); these say which
            "sustainable": bool(cdf.sustainable),
            "self_enforcing": bool(cdf.binding <= 0),
            "roles_inferred": bool(cdf.roles_inferred),
            "notes": list(cdf.reasons),
        }
    else:
        out["roles"] = None
        out["all_cut"] = None
        out["critical_discount_factor"] = None

    if lam is not None:
        q = game.qre(lam)
        out["qre"] = {"lambda": float(lam), "strategy": [[_num(x) for x in s] for s in q.strategy],
                      "payoffs": [_num(v) for v in q.payoffs], "converged": bool(q.converged)}
    if game.breakdown is not None or roles is not None:
        out["explanation"] = explain(game, game_type=slug)
    return out


#: Equilibrium labels longer than this put their payoffs on the next line of the report.
WIDE_LABEL = 48


def format_report(a: dict) -> str:
    """The text report of ``dilemma solve`` from :func:`analyse`'s data."""
    def f(x, nd=2):
        return "n/a" if x is None else f"{x:,.{nd}f}"

    lines = [a["title"] or "Game", "=" * max(4, len(a["title"] or "Game")), ""]
    lines.append("Players: " + ", ".join(
        f"{p} ({'/'.join(acts)})" for p, acts in zip(a["players"], a["actions"])))
    lines.append(f"Type: {a['game_type_label']} [{a['game_type']}]")
    lines.append(f"  {a['game_type_description']}")
    lines.append("")
    kinds = "the complete list" if a["exhaustive"] else "those found; the search was not exhaustive"
    lines.append(f"Nash equilibria: {len(a['equilibria'])} ({kinds})")
    width = max([len(e["label"]) for e in a["equilibria"]] + [10])
    # long labels (a mixed equilibrium of five firms runs to 140 characters): the
    # payoffs go on a line of their own, so the report stays readable at 100 columns
    wide = width > WIDE_LABEL
    for e in a["equilibria"]:
        pays = ", ".join(f(v) for v in e["payoffs"])
        check = "" if e.get("regret") is None else f"  (regret {e['regret']:.1g})"
        if wide:
            lines.append(f"  {e['kind']:<5}  {e['label']}")
            lines.append(f"{'':9}payoffs: {pays}{check}")
        else:
            lines.append(f"  {e['kind']:<5}  {e['label']:<{width}}  payoffs: {pays}{check}")
    if any(e.get("regret") is not None for e in a["equilibria"]):
        lines.append("  (regret: the most one player could gain by switching alone; 0 up to "
                     "rounding at an equilibrium)")
    for note in a["notes"]:
        lines.append(f"  note: {note}")
    lines.append("")
    dom = a["dominance"]
    lines.append("Dominance:")
    for p, act in dom["dominant"].items():
        lines.append(f"  {p}: {'strictly dominant action ' + act if act else 'no dominant action'}")
    if dom["steps"]:
        lines.append("  iterated elimination: " + "; ".join(dom["steps"]))
    lines.append("  survivors: " + "; ".join(f"{p}: {'/'.join(s)}" for p, s in dom["surviving"].items()))
    lines.append("")
    eff = a["efficiency"]
    lines.append("Efficiency:")
    lines.append(f"  social optimum: {' | '.join(eff['social_optimum'])} (total payoff {f(eff['optimum_welfare'])})")
    lines.append(f"  worst equilibrium total payoff: {f(eff['worst_equilibrium_welfare'])}; "
                 f"welfare gap {f(eff['welfare_gap'])}; price of anarchy {f(eff['price_of_anarchy'])}")
    if eff["pareto_efficient"]:
        eqp = eff["equilibria_pareto_efficient"]
        lines.append(f"  Pareto-efficient equilibria: {', '.join(eqp) if eqp else 'none'}")
    for note in eff.get("notes", []):
        lines.append(f"  note: {note}")
    if a.get("roles") and a["roles"]["inferred"]:
        lines.append("")
        lines.append("Roles: " + "; ".join(f"{p}: Spend = {a['roles']['spend'][p]}, Cut = {a['roles']['cut'][p]}"
                                           for p in a["players"]))
        lines.append(f"  note: {a['roles']['note']}")
    if a.get("all_cut"):
        ac = a["all_cut"]
        lines.append("")
        lines.append(f"If all cut instead of all spend (total {f(ac['total_gain'])}):")
        for p in a["players"]:
            lines.append(f"  {p}: {f(ac['all_spend'][p])} -> {f(ac['all_cut'][p])} ({f(ac['gain'][p])})")
    cdf = a.get("critical_discount_factor")
    if cdf:
        lines.append("")
        if cdf["binding"] is None or not cdf["sustainable"]:
            lines.append("Grim trigger cannot sustain 'all cut' at any discount factor below 1"
                         + (": " + "; ".join(cdf["notes"]) if cdf["notes"] else ""))
        elif cdf["self_enforcing"]:
            lines.append("'All cut' needs no threat: no firm gains by spending alone (threshold 0)")
        else:
            lines.append(f"Grim trigger sustains 'all cut' when the discount factor is at least {f(cdf['binding'], 3)}")
        lines.append("  per player: " + ", ".join(f"{p} {f(v, 3)}" for p, v in cdf["per_player"].items()))
    if a.get("qre"):
        q = a["qre"]
        lines.append("")
        lines.append(f"Logit QRE at lambda = {q['lambda']:g}" + ("" if q["converged"] else " (did not converge)") + ":")
        for p, s in zip(a["players"], q["strategy"]):
            lines.append(f"  {p}: " + ", ".join(f"{f(x, 3)}" for x in s))
    if a.get("explanation"):
        lines.append("")
        lines.append("Why:")
        for para in a["explanation"].split("\n\n"):
            lines.append("  " + para)
    return "\n".join(lines)
