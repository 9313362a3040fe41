"""``dilemma cascade``: a player of the capital loop stops paying; who follows, and what game is left.

Examples
--------
::

    dilemma cascade 2025-baseline --fail OpenAI
    dilemma cascade 2025-baseline --fail Meta->Beignet --json
    dilemma cascade 2025-baseline --cut Microsoft --loop openai-2025
"""

from __future__ import annotations

import argparse
import json

__all__ = ["register", "cmd_cascade", "cascade_report"]


def register(subparsers) -> None:
    """Add ``cascade`` to an argparse sub-parsers object."""
    p = subparsers.add_parser(
        "cascade",
        help="follow the money: a player of the capital loop stops paying",
        description=(
            "Run a shock through the capital loop (committed flows among hyperscalers, NVIDIA, OpenAI, "
            "SPVs and lenders): round by round, who loses revenue and backlog, whose rating or debt cover "
            "breaks, who is forced to cut, until nothing changes. Then solve the hyperscalers' Spend/Cut "
            "game before and after the shock."
        ),
        epilog="Shipped loops: openai-2025. A flow is named PAYER->PAYEE, e.g. 'Meta->Beignet' (quote it in a shell).",
    )
    p.add_argument("file", metavar="SCENARIO", help="model scenario TOML file or preset name (e.g. 2025-baseline)")
    p.add_argument("--fail", action="append", default=[], metavar="NAME",
                   help="a node that stops paying everything (OpenAI), or a flow that stops (Meta->Beignet); repeatable")
    p.add_argument("--cut", action="append", default=[], metavar="NAME",
                   help="a node that cuts its purchases and investments by the scenario's cut depth; repeatable")
    p.add_argument("--loop", default="openai-2025", metavar="LOOP",
                   help="loop TOML file or shipped loop name (default: openai-2025)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a model parameter of the scenario, e.g. --set market.punishment=0 (repeatable)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object: nodes, flows, rounds and the game before and after")
    p.set_defaults(func=cmd_cascade)


def cascade_data(scenario, loop, fail, cut) -> dict:
    """The JSON-ready result of ``dilemma cascade``."""
    from dilemma.loop.aftermath import compare_games
    from dilemma.loop.cascade import cascade

    res = cascade(loop, fail=fail, cut=cut, cut_depth=scenario.value("market.cut_depth"))
    out = {"scenario": scenario.title, **res.to_dict()}
    out["game"] = compare_games(scenario, res)
    return out


def cascade_report(data: dict) -> str:
    """A readable report of :func:`cascade_data`."""
    lines = [f"Loop: {data['loop']}. Shock: {', '.join(data['shock'])} (cut depth {data['cut_depth']:.0%}).", ""]
    for r in data["rounds"]:
        changed = ", ".join(f"{c['flow']} now {c['paid']:.1f}" for c in r["flows_changed"]) or "nothing"
        lines.append(f"Round {r['round']}: payments change: {changed}.")
        for b in r["broken"]:
            lines.append(f"  {b['name']}: {b['state']} ({b['reason']})")
    lines.append("Fixed point reached." if data["fixed_point"] else "Stopped at the round limit before a fixed point.")
    lines += ["", f"{'node':<22}{'state':<12}{'revenue lost':>14}{'backlog lost':>14}{'EBITDA lost':>13}{'stake lost':>12}"]
    for n in data["nodes"]:
        if n["state"] == "ok" and n["revenue_lost"] == 0 and n["funding_lost"] == 0 and n["stake_lost"] == 0:
            continue
        lines.append(f"{n['name']:<22}{n['state']:<12}{n['revenue_lost']:>11.1f}/yr{n['backlog_lost']:>14.0f}"
                     f"{n['ebitda_lost']:>10.1f}/yr{n['stake_lost']:>12.0f}")
    g = data["game"]
    lines += ["", "The hyperscalers' game ($B; changes read from the cascade):"]
    for c in g["changes"]:
        lines.append(f"  {c['path']}: {c['before']:.4g} -> {c['after']:.4g} ({c['why']})")
    for when in ("before", "after"):
        s = g[when]
        lines.append(f"{when.capitalize():>6}: {s['game_type_label']}; equilibria: {', '.join(s['equilibria']) or 'none'}")
    if g["forced_to_cut"]:
        lines.append(f"Forced to cut by the rating rule whatever the game says: {', '.join(g['forced_to_cut'])}.")
    return "\n".join(lines)


def cmd_cascade(args: argparse.Namespace) -> int:
    from dilemma.cli import load_with_overrides
    from dilemma.errors import DilemmaError, ScenarioError
    from dilemma.loop.network import load_loop

    if not args.fail and not args.cut:
        raise DilemmaError("cascade: give at least one --fail NAME or --cut NAME (e.g. --fail OpenAI)")
    scenario = load_with_overrides(args.file, args.set)
    if scenario.kind != "model":
        raise ScenarioError("cascade needs a model scenario ([[players]]), not an explicit game", source=args.file)
    loop = load_loop(args.loop)
    data = cascade_data(scenario, loop, args.fail, args.cut)
    if args.json:
        print(json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False))
    else:
        print(cascade_report(data))
    return 0
