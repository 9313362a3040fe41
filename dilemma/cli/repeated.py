"""``dilemma simulate`` and ``dilemma tournament``: repeated play from the command line.

:func:`register` adds both sub-commands to an argparse sub-parsers object
(:mod:`dilemma.cli` calls it). Module-level imports are argparse only; numpy
and the engines load inside the commands, and neither command imports
pandas, so a tournament starts fast.

Errors a user can cause (unknown strategy, wrong strategy count, rounds <= 0,
noise outside [0, 1], a bad file) raise :class:`~dilemma.errors.DilemmaError`;
``dilemma.cli.main`` prints them as one ``error:`` line and exits with 2.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "cmd_simulate", "cmd_tournament", "cmd_strategies"]


def _split(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE",
                   help="scenario TOML file, or the name of a preset (see 'dilemma presets')")
    p.add_argument("--strategies", required=True, metavar="A,B,...",
                   help="comma-separated strategy names (see 'dilemma strategies'); parameters after "
                        "a colon, e.g. random:p=0.2")
    p.add_argument("--rounds", type=int, default=None, metavar="R", help="rounds (years) per match, >= 1")
    p.add_argument("--noise", type=float, default=0.0, metavar="E",
                   help="probability that an intended action flips, in [0, 1] (default 0)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="random seed (whole number >= 0)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a model parameter, e.g. --set market.punishment=0 (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def register(subparsers) -> None:
    """Add ``simulate``, ``strategies`` and ``tournament`` to an argparse sub-parsers object.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers()`` returned (:func:`dilemma.cli.build_parser`
        passes its own).

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="dilemma")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["tournament", "games/prisoners-dilemma", "--strategies", "tit-for-tat,always-cut"])
    >>> args.func is cmd_tournament, args.strategies, args.rounds, args.rounds_default
    (True, 'tit-for-tat,always-cut', None, 200)
    """
    p = subparsers.add_parser(
        "simulate", help="play a scenario repeatedly with one strategy per player",
        description="Play a scenario's stage game for R rounds with one strategy per player (in player "
                    "order). With --runs K > 1, report per-round statistics over K seeded runs.")
    _common(p)
    p.add_argument("--runs", type=int, default=1, metavar="K", help="independent runs (default 1)")
    p.add_argument("--discount", type=float, default=1.0, metavar="D",
                   help="discount factor per round, 0 < D <= 1 (default 1)")
    p.add_argument("--state", action="store_true",
                   help="model scenarios: play the multi-year model with balance sheets (cash, debt, leases, "
                        "credit rating, bubble bursts) instead of repeating the one-year game; with --runs K > 1, "
                        "a Monte Carlo with percentile bands and the share of runs in which the bubble burst")
    p.set_defaults(func=cmd_simulate, rounds_default=10)

    s = subparsers.add_parser("strategies", help="list the strategies for simulate and tournament",
                              description="List every strategy name with what it does and where it comes from.")
    s.add_argument("--json", action="store_true", help="print a JSON object name -> description")
    s.set_defaults(func=cmd_strategies)

    t = subparsers.add_parser(
        "tournament", help="round-robin tournament of strategies on a two-player scenario",
        description="Every pair of strategies meets once per repetition for R rounds; scores are mean "
                    "payoffs per round over all of a strategy's matches, ranked best first.")
    _common(t)
    t.add_argument("--repetitions", type=int, default=1, metavar="K", help="repetitions of each match (default 1)")
    t.add_argument("--self-play", action="store_true", help="each strategy also meets a copy of itself")
    t.set_defaults(func=cmd_tournament, rounds_default=200)


# --------------------------------------------------------------------------
def _check(args, names: list[str]) -> None:
    """Validate the plain arguments before any file is read."""
    from dilemma.errors import ParameterError
    from dilemma.repeated.strategies import resolve_strategies

    if args.rounds is None:
        args.rounds = args.rounds_default
    if args.rounds < 1:
        raise ParameterError("--rounds", "a whole number >= 1", args.rounds)
    if not 0.0 <= args.noise <= 1.0:
        raise ParameterError("--noise", "a probability between 0 and 1", args.noise)
    if args.seed is not None and args.seed < 0:
        raise ParameterError("--seed", "a whole number >= 0", args.seed)
    if not names:
        raise ParameterError("--strategies", "a comma-separated list of strategy names", "")
    resolve_strategies(names)        # unknown names -> error listing the valid ones


def _load_game(args):
    """Scenario file (+ ``--set``) -> the stage :class:`~dilemma.game.Game`.

    Model scenarios go through :func:`dilemma.payoffs.payoff_tables` (the
    numbers :func:`dilemma.payoffs.build_game` wraps, without the per-term
    breakdown) and explicit games through their payoff arrays; the solvers
    behind ``Game`` load only when called, so start-up stays short.
    """
    import numpy as np

    from dilemma.cli import load_with_overrides
    from dilemma.game import Game
    from dilemma.payoffs import ACTIONS, payoff_tables

    scenario = load_with_overrides(args.file, args.set)
    if scenario.kind == "game":
        g = scenario.game
        return Game(np.stack(g.payoff_arrays(), axis=-1), list(g.players), [list(a) for a in g.actions])
    n = scenario.n_players
    return Game(payoff_tables(scenario, keys=("payoff",))["payoff"], list(scenario.player_names),
                [list(ACTIONS)] * n)


def _dumps(obj) -> str:
    import json

    return json.dumps(obj, indent=2, allow_nan=False)


def cmd_simulate(args) -> int:
    """Run ``dilemma simulate``; prints JSON or a table; returns the exit status.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``dilemma simulate`` arguments: ``file``, ``strategies``
        (comma-separated, one per player or one for all), ``rounds``, ``runs``,
        ``noise``, ``discount``, ``seed``, ``set``, ``state``, ``json``.

    Returns
    -------
    int
        Exit status 0 (errors are raised).

    Raises
    ------
    dilemma.errors.ParameterError
        If a number is out of range (``--rounds`` < 1, ``--noise`` outside
        [0, 1], ``--discount`` outside (0, 1], ...) or the number of strategies
        does not match the players; the message names the option.

    Examples
    --------
    Tit-for-tat against always-spend in Axelrod's prisoner's dilemma (R = 3,
    S = 0, T = 5, P = 1): tit-for-tat cuts first and is exploited (0 against
    5), then both spend (1 each).

    >>> from dilemma.cli import build_parser
    >>> args = build_parser().parse_args(["simulate", "games/prisoners-dilemma",
    ...                                   "--strategies", "tit-for-tat,always-spend", "--rounds", "3"])
    >>> cmd_simulate(args)
    round  Alpha (tit-for-tat)  Beta (always-spend)
    -----  -------------------  -------------------
    1      Cut        0.00          Spend      5.00
    2      Spend      1.00          Spend      1.00
    3      Spend      1.00          Spend      1.00
    total             2.00                     7.00
    0
    """
    from dilemma.errors import ParameterError
    from dilemma.repeated.engine import play

    names = _split(args.strategies)
    _check(args, names)
    if args.runs < 1:
        raise ParameterError("--runs", "a whole number >= 1", args.runs)
    if not 0.0 < args.discount <= 1.0:
        raise ParameterError("--discount", "a number with 0 < D <= 1", args.discount)
    if args.state:
        return _simulate_state(args, names)
    game = _load_game(args)
    n = len(getattr(game, "players", ())) or game.payoffs.shape[-1]
    if len(names) == 1 and n > 1:  # one name for all players, as with --state
        names = names * n
    if len(names) != n:
        raise ParameterError("--strategies", f"one strategy per player (or one for all): {n} for this scenario "
                             f"({', '.join(map(str, game.players))})", len(names))
    result = play(game, names, rounds=args.rounds, noise=args.noise, discount=args.discount,
                  seed=args.seed, runs=args.runs)
    data = result.to_dict()
    data["strategies"] = names
    if args.json:
        print(_dumps(data))
    else:
        print(_format_play(result, names))
    return 0


def _simulate_state(args, names) -> int:
    """``simulate --state``: the multi-year model, one run in detail or a Monte Carlo summary."""
    from dilemma.cli import load_with_overrides
    from dilemma.errors import ParameterError

    scenario = load_with_overrides(args.file, args.set)
    if scenario.kind != "model":
        raise ParameterError("--state", "used with a model scenario ([[players]]); this file is an explicit game",
                             args.file)
    if len(names) not in (1, scenario.n_players):
        raise ParameterError("--strategies", f"one strategy per firm ({scenario.n_players}: "
                             f"{', '.join(scenario.player_names)}) or one for all", len(names))
    players = list(scenario.player_names)
    if args.runs == 1:
        from dilemma.repeated.state import RATINGS, simulate_state

        r = simulate_state(scenario, names if len(names) > 1 else names[0], years=args.rounds, runs=1,
                           seed=args.seed, noise=args.noise)
        spend = r.arrays["spend"][0]
        pay = r.arrays["payoff"][0]
        data = {
            "players": players, "strategies": r.strategies, "years": args.rounds,
            "actions": [["Spend" if s else "Cut" for s in row] for row in spend],
            "payoffs": pay.round(6).tolist(), "totals": pay.sum(axis=0).round(6).tolist(),
            "cash": r.arrays["cash"][0].round(6).tolist(), "debt": r.arrays["debt"][0].round(6).tolist(),
            "leases": r.arrays["leases"][0].round(6).tolist(),
            "rating": [[RATINGS[k] for k in row] for row in r.arrays["rating"][0]],
            "burst": [bool(b) for b in r.world["burst"][0]], "seed_entropy": r.seed_entropy,
        }
        if args.json:
            print(_dumps(data))
            return 0
        head = ["year"] + [f"{p} ({s})" for p, s in zip(players, r.strategies)] + ["burst"]
        rows = []
        for t in range(args.rounds):
            rows.append([str(t + 1)] + [
                f"{data['actions'][t][i]:<5} {pay[t, i]:7.1f}  cash {data['cash'][t][i]:6.0f} "
                f"debt {data['debt'][t][i]:6.0f} {data['rating'][t][i]:>3}" for i in range(len(players))]
                + ["yes" if data["burst"][t] else ""])
        rows.append(["total"] + [f"{'':5} {v:7.1f}" for v in data["totals"]] + [""])
        print("\n".join(_table(head, rows)))
        return 0
    from dilemma.repeated.montecarlo import monte_carlo

    mc = monte_carlo(scenario, names if len(names) > 1 else names[0], years=args.rounds, runs=args.runs,
                     seed=args.seed, noise=args.noise, variables=("payoff", "cash", "net_leverage"))
    pct = list(mc.percentiles)
    data = {
        "players": players, "strategies": mc.strategies, "years": args.rounds, "runs": args.runs,
        "percentiles": pct, "burst_share": mc.burst_share.round(6).tolist(),
        "share_spending": mc.share_spending.round(6).tolist(),
        "bands": {v: {f"p{p:g}": mc.bands[v][k].round(6).tolist() for k, p in enumerate(pct)}
                  for v in mc.bands},
        "mean_payoff": mc.means["payoff"].round(6).tolist(), "seed_entropy": mc.seed_entropy,
    }
    if args.json:
        print(_dumps(data))
        return 0
    head = ["year", "burst share"] + [f"{p} spend / payoff p50 [p5, p95]" for p in players]
    lo, mid, hi = (pct.index(5.0) if 5.0 in pct else 0), (pct.index(50.0) if 50.0 in pct else len(pct) // 2), \
        (pct.index(95.0) if 95.0 in pct else len(pct) - 1)
    q = mc.bands["payoff"]
    rows = [[str(t + 1), f"{mc.burst_share[t]:.2f}"] + [
        f"{mc.share_spending[t, i]:.2f} / {q[mid, t, i]:.1f} [{q[lo, t, i]:.1f}, {q[hi, t, i]:.1f}]"
        for i in range(len(players))] for t in range(args.rounds)]
    print(f"Monte Carlo: {args.runs} runs x {args.rounds} years; bubble burst by the last year in "
          f"{mc.burst_share[-1]:.0%} of runs\n")
    print("\n".join(_table(head, rows)))
    return 0


def cmd_strategies(args) -> int:
    """Run ``dilemma strategies``: every strategy name with its one-line description.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``dilemma strategies`` arguments (``json``: print a JSON object
        name -> description instead of a table).

    Returns
    -------
    int
        Exit status 0.

    Examples
    --------
    >>> import argparse, contextlib, io, json
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     status = cmd_strategies(argparse.Namespace(json=True))
    >>> names = json.loads(out.getvalue())
    >>> status, "tit-for-tat" in names, "grim-trigger" in names
    (0, True, True)
    """
    from dilemma.repeated.strategies import list_strategies

    items = list_strategies()
    if args.json:
        print(_dumps(dict(items)))
        return 0
    width = max(len(n) for n, _ in items)
    for name, desc in items:
        print(f"{name:<{width}}  {desc}")
    return 0


def cmd_tournament(args) -> int:
    """Run ``dilemma tournament``; prints JSON or a ranking table; returns the exit status.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``dilemma tournament`` arguments: ``file`` (a two-player
        scenario), ``strategies``, ``rounds``, ``repetitions``, ``noise``,
        ``seed``, ``self_play``, ``set``, ``json``.

    Returns
    -------
    int
        Exit status 0 (errors are raised).

    Raises
    ------
    dilemma.errors.ParameterError
        If a number is out of range or a strategy name is unknown; the
        message names the option.

    Examples
    --------
    Three rounds of Axelrod's prisoner's dilemma (R = 3, S = 0, T = 5, P = 1).
    By hand: tit-for-tat earns 0 + 1 + 1 against always-spend (2/3 a round)
    and 3 a round against always-cut, so its score is (2/3 + 3)/2 = 1.833;
    always-spend earns (7/3 + 5)/2 = 3.667 and always-cut (3 + 0)/2 = 1.5.

    >>> from dilemma.cli import build_parser
    >>> args = build_parser().parse_args(["tournament", "games/prisoners-dilemma", "--rounds", "3",
    ...                                   "--strategies", "tit-for-tat,always-spend,always-cut"])
    >>> cmd_tournament(args)
    Round robin: 3 rounds x 1 repetitions, noise 0
    <BLANKLINE>
    rank  strategy      score  cut share
    ----  ------------  -----  ---------
    1     always-spend  3.667       0.00
    2     tit-for-tat   1.833       0.67
    3     always-cut    1.500       1.00
    <BLANKLINE>
    Mean payoff per round (row against column):
    strategy          [1]    [2]   [3]
    ----------------  ----  ----  ----
    [1] tit-for-tat   -     0.67  3.00
    [2] always-spend  2.33     -  5.00
    [3] always-cut    3.00  0.00     -
    0
    """
    from dilemma.errors import ParameterError
    from dilemma.repeated.tournament import round_robin

    names = _split(args.strategies)
    _check(args, names)
    if args.repetitions < 1:
        raise ParameterError("--repetitions", "a whole number >= 1", args.repetitions)
    game = _load_game(args)
    result = round_robin(game, names, rounds=args.rounds, repetitions=args.repetitions, noise=args.noise,
                         seed=args.seed, self_play=args.self_play)
    if args.json:
        print(_dumps(result.to_dict()))
    else:
        print(_format_tournament(result))
    return 0


# --------------------------------------------------------------------------
def _format_play(result, names) -> str:
    players = list(result.players)
    lines = []
    if result.runs == 1:
        acts = result.action_names()[0]
        head = ["round"] + [f"{p} ({s})" for p, s in zip(players, names)]
        rows = [[str(t + 1)] + [f"{a:<5} {v:9.2f}" for a, v in zip(acts[t], result.payoffs[0, t])]
                for t in range(result.rounds)]
        rows.append(["total"] + [f"{'':5} {v:9.2f}" for v in result.totals[0]])
        if result.discount < 1:
            rows.append(["disc."] + [f"{'':5} {v:9.2f}" for v in result.discounted_totals[0]])
        lines += _table(head, rows)
    else:
        s = result.summary()
        head = ["round", "player", "mean", "p5", "p25", "p50", "p75", "p95", "spend share"]
        rows = []
        for t in range(result.rounds):
            for i, p in enumerate(players):
                rows.append([str(t + 1), p] + [f"{s[k][t, i]:.2f}" for k in ("mean", "p5", "p25", "p50", "p75", "p95")]
                            + [f"{s['share_spending'][t, i]:.2f}"])
        lines += _table(head, rows)
        lines.append("")
        lines.append("mean total per run: " + ", ".join(
            f"{p} {v:.2f}" for p, v in zip(players, result.totals.mean(axis=0))))
    return "\n".join(lines)


def _format_tournament(result) -> str:
    import numpy as np

    lines = [f"Round robin: {result.rounds} rounds x {result.repetitions} repetitions, noise {result.noise:g}"
             + (", with self-play" if result.self_play else ""), ""]
    idx = {s: i for i, s in enumerate(result.strategies)}
    with np.errstate(invalid="ignore"):
        coop = np.nanmean(result.cooperation, axis=1)
    rows = [[str(r + 1), s, f"{result.scores[s]:.3f}", f"{coop[idx[s]]:.2f}"] for r, s in enumerate(result.ranking)]
    lines += _table(["rank", "strategy", "score", "cut share"], rows)
    lines += ["", "Mean payoff per round (row against column):"]
    short = [f"[{i + 1}]" for i in range(len(result.strategies))]
    rows = [[f"[{i + 1}] {s}"] + ["-" if not np.isfinite(v) else f"{v:.2f}" for v in result.pairwise[i]]
            for i, s in enumerate(result.strategies)]
    lines += _table(["strategy"] + short, rows)
    return "\n".join(lines)


def _table(head, rows) -> list[str]:
    widths = [max(len(str(r[c])) for r in [head] + rows) for c in range(len(head))]
    fmt = lambda r: "  ".join(str(v).ljust(w) if c < 2 else str(v).rjust(w)  # noqa: E731
                              for c, (v, w) in enumerate(zip(r, widths)))
    return [fmt(head), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows]
