"""The ``dilemma`` command line.

Sub-commands: ``solve`` (one-shot analysis) and ``presets`` (the shipped
scenarios), plus ``simulate``, ``tournament`` and ``strategies``
(:mod:`dilemma.cli.repeated`), ``sweep`` (:mod:`dilemma.cli.sweep`;
``dilemma sweep FILE --list-params`` lists a scenario's parameters) and ``lab``
(:mod:`dilemma.cli.lab`: starts the Streamlit lab from the installed package).

A user error prints one line starting with ``error:`` on stderr and exits with
status 2, never a traceback. Heavy imports (numpy, pandas) happen inside the
sub-command that needs them, so ``dilemma --help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from dilemma.errors import DilemmaError

__all__ = ["main", "build_parser"]

#: Modules that add sub-commands through ``register(subparsers)``.
_PLUGINS = ("dilemma.cli.repeated", "dilemma.cli.sweep", "dilemma.cli.lab", "dilemma.cli.serve", "dilemma.cli.classroom",
            "dilemma.cli.cascade")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr with status 2."""

    def error(self, message):  # noqa: D401 - argparse API
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _add_solve(sub) -> None:
    p = sub.add_parser(
        "solve",
        help="analyse a scenario as a one-shot game",
        description=(
            "Analyse a scenario as a one-shot game: players, payoffs, every Nash equilibrium "
            "(pure and mixed), the game's type, dominance, efficiency and the discount factor "
            "that sustains restraint in repeated play."
        ),
    )
    p.add_argument("file", metavar="FILE",
                   help="scenario TOML file, or the name of a preset (see 'dilemma presets')")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (players, actions, equilibria, game_type, ...) instead of a report")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a model parameter, e.g. --set market.punishment=0 (repeatable)")
    p.add_argument("--lam", type=float, default=None, metavar="LAMBDA",
                   help="also report the logit quantal response equilibrium at rationality LAMBDA >= 0")
    p.set_defaults(func=_cmd_solve)


def _add_presets(sub) -> None:
    p = sub.add_parser("presets", help="list the shipped scenarios",
                       description="List the shipped scenarios and textbook games with their titles; each name works with solve, simulate, sweep and the lab's ?preset= link.")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.set_defaults(func=_cmd_presets)


def parse_overrides(pairs: list[str]) -> dict[str, float]:
    """``["market.punishment=0"]`` -> ``{"market.punishment": 0.0}`` (DilemmaError if malformed).

    Parameters
    ----------
    pairs : list of str
        The ``--set PATH=VALUE`` arguments, in order (a later one wins).

    Returns
    -------
    dict of str to float

    Raises
    ------
    dilemma.errors.DilemmaError
        If an item has no ``=`` or no path, or its value is not a number.

    Examples
    --------
    >>> parse_overrides(["market.punishment=0", "demand.delay=3"])
    {'market.punishment': 0.0, 'demand.delay': 3.0}
    >>> parse_overrides(["market.punishment"])
    Traceback (most recent call last):
    ...
    dilemma.errors.DilemmaError: --set: expected PATH=VALUE, got 'market.punishment'
    """
    out = {}
    for item in pairs:
        path, sep, raw = item.partition("=")
        if not sep or not path.strip():
            raise DilemmaError(f"--set: expected PATH=VALUE, got {item!r}")
        try:
            out[path.strip()] = float(raw)
        except ValueError:
            raise DilemmaError(f"--set {path.strip()}: expected a number, got {raw!r}") from None
    return out


def load_with_overrides(file: str, overrides: list[str] | None = None):
    """Scenario file (or preset name) with ``--set PATH=VALUE`` overrides applied.

    Parameters
    ----------
    file : str
        A scenario TOML file or the name of a preset.
    overrides : list of str, optional
        ``PATH=VALUE`` items (see :func:`parse_overrides`).

    Returns
    -------
    dilemma.scenario.Scenario

    Examples
    --------
    >>> load_with_overrides("2025-baseline", ["market.punishment=0"]).value("market.punishment")
    0.0
    """
    from dilemma.scenario import load_scenario

    scenario = load_scenario(file)
    values = parse_overrides(overrides or [])
    return scenario.with_values(values) if values else scenario


def load_game(file: str, overrides: list[str] | None = None):
    """Scenario file (+ ``--set`` overrides) -> (scenario, game).

    Parameters
    ----------
    file : str
        A scenario TOML file or the name of a preset.
    overrides : list of str, optional
        ``PATH=VALUE`` items (see :func:`parse_overrides`).

    Returns
    -------
    scenario : dilemma.scenario.Scenario
    game : dilemma.game.Game
        The one-year game of the scenario (:func:`dilemma.payoffs.build_game`).

    Examples
    --------
    >>> scenario, game = load_game("games/prisoners-dilemma")
    >>> game.pure_equilibria()
    [(0, 0)]
    """
    from dilemma.payoffs import build_game

    scenario = load_with_overrides(file, overrides)
    return scenario, build_game(scenario)


def _cmd_solve(args) -> int:
    from dilemma.analysis import analyse, format_report

    if args.lam is not None and not (args.lam >= 0 and args.lam < float("inf")):
        raise DilemmaError(f"--lam: must be a finite number >= 0, got {args.lam}")
    scenario, game = load_game(args.file, args.set)
    result = analyse(game, scenario=scenario, lam=args.lam)
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
    else:
        print(format_report(result))
    return 0


def _cmd_presets(args) -> int:
    from dilemma.scenario import list_presets, load_preset

    rows = []
    for name in list_presets(games=True):
        s = load_preset(name)
        rows.append({"name": name, "title": s.title, "kind": s.kind, "players": list(s.player_names)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        raise DilemmaError("no presets found: the installed package lacks its presets/ folder (reinstall dilemma)")
    width = max(len(r["name"]) for r in rows)
    for kind, heading in (("model", "Scenarios (the capex model)"), ("game", "Textbook games")):
        group = [r for r in rows if r["kind"] == kind]
        if group:
            print(heading + ":")
            for r in group:
                print(f"  {r['name']:<{width}}  {r['title']} ({len(r['players'])} players)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``dilemma`` argument parser with every sub-command.

    ``solve`` and ``presets`` are defined here; the other commands come from
    the ``register(subparsers)`` function of each command module. Each
    sub-command stores the function that runs it as ``args.func``.

    Returns
    -------
    argparse.ArgumentParser
        A parser whose usage errors print one ``error:`` line on stderr and
        exit with status 2.

    Examples
    --------
    >>> args = build_parser().parse_args(["solve", "2025-baseline", "--set", "market.punishment=0"])
    >>> args.command, args.file, args.set, args.json
    ('solve', '2025-baseline', ['market.punishment=0'], False)
    >>> build_parser().parse_args(["simulate", "2025-baseline", "--strategies", "grim-trigger"]).rounds_default
    10
    """
    from dilemma import __version__

    parser = _Parser(
        prog="dilemma",
        description=(
            "A game-theory lab for the hyperscaler AI-capex dilemma. Solve a scenario as a one-shot "
            "game, play it over years, run tournaments and parameter sweeps. "
            "The lab itself starts with 'dilemma lab'."
        ),
        epilog="Run 'dilemma COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"dilemma {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    _add_solve(sub)
    _add_presets(sub)
    for name in _PLUGINS:            # an ImportError here is a bug: let it surface
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dilemma`` console script; returns the exit status.

    A :class:`~dilemma.errors.DilemmaError` (a user error: a bad file, an
    out-of-range number) becomes one ``error:`` line on stderr and status 2;
    Ctrl-C gives status 130.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``dilemma``; default ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status: 0 on success, 2 on a user error.

    Examples
    --------
    Axelrod's prisoner's dilemma (R = 3, S = 0, T = 5, P = 1) has one
    equilibrium, both spend (defect), with payoff P = 1 each:

    >>> main(["solve", "games/prisoners-dilemma"])  # doctest: +ELLIPSIS
    Textbook prisoner's dilemma
    ...
    Nash equilibria: 1 (the complete list)
      pure   all spend   payoffs: 1.00, 1.00  (regret 0)
    ...
    0

    A user error returns 2 (the message goes to stderr):

    >>> main(["solve", "no-such-scenario"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DilemmaError as exc:
        print("error: " + " ".join(str(exc).splitlines()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
