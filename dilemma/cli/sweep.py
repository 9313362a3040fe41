"""``dilemma sweep``: parameter sweeps and regime maps from the command line.

:func:`register` adds the sub-command to an argparse sub-parsers object
(:mod:`dilemma.cli` calls it). Module-level imports are the standard library
only; numpy, pandas, Altair and Dask load inside the command.

Every check on the arguments (ranges, names, values, extensions, the grid
size cap) runs before any work starts and raises
:class:`~dilemma.errors.DilemmaError`, which ``dilemma.cli.main`` prints as
one ``error:`` line on stderr with exit status 2. Output files are written
to a temporary file in the same folder and moved into place at the end, so
an interrupted sweep (Ctrl-C) leaves no half-written file behind.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["register", "cmd_sweep", "progress_enabled", "list_params_text", "PROGRESS_DELAY"]

#: Seconds before the progress bar appears (so short sweeps show none).
PROGRESS_DELAY = 1.0
#: Environment variable that turns the progress bar off when set (to anything but "" or "0").
NO_PROGRESS_ENV = "DILEMMA_NO_PROGRESS"

_EPILOG = """\
examples:
  dilemma sweep 2025-baseline --list-params
  dilemma sweep 2025-baseline --param market.punishment=0:0.03:31 --param demand.profit_pool=100:400:31
  dilemma sweep 2025-baseline --param market.punishment=0:0.03:31 --out map.csv --plot map.png
  dilemma sweep 2025-baseline --param demand.delay=0:4:5 --simulate --strategies grim-trigger --runs 200
  dilemma sweep 2025-baseline --param market.punishment=0:0.03:31 --simulate --strategies grim-trigger \\
      --scheduler tcp://scheduler-host:8786

ranges are START:STOP:STEPS (STEPS evenly spaced values, both ends included), in the
scenario file's units: rates are fractions, so 0 to 3 % is 0:0.03.
"""


def register(subparsers) -> None:
    """Add ``sweep`` to an argparse sub-parsers object.

    Number options are parsed as text and checked by :func:`cmd_sweep`, so a
    bad value gives the package's one-line error rather than argparse's.

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
    >>> args = parser.parse_args(["sweep", "2025-baseline", "--param", "market.punishment=0:0.03:31",
    ...                           "--runs", "200"])
    >>> args.func is cmd_sweep, args.param, args.runs
    (True, ['market.punishment=0:0.03:31'], '200')
    """
    p = subparsers.add_parser(
        "sweep", help="sweep model parameters over a grid: regime maps and Monte Carlo",
        description="Solve the game at every point of a grid of parameter values (one row per point: game "
                    "type, equilibria, social optimum, price of anarchy, critical discount factor). With "
                    "--simulate, also play the multi-year model at every point (burst frequency, value "
                    "percentiles). Without --out, print a short summary.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE",
                   help="model scenario TOML file, or the name of a preset (see 'dilemma presets')")
    p.add_argument("--param", action="append", default=[], metavar="NAME=START:STOP:STEPS",
                   help="a parameter to sweep by its dotted path, e.g. market.punishment=0:0.03:31 or "
                        "players.Meta.capex=40:120:9 (repeatable; see --list-params)")
    p.add_argument("--list-params", action="store_true",
                   help="list the parameters that can be swept, with label, unit, current value and range")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a model parameter before sweeping, e.g. --set demand.delay=3 (repeatable)")
    p.add_argument("--out", metavar="PATH", default=None,
                   help="write the table: .csv or .parquet, or - for CSV on stdout "
                        "(without --out, print a summary)")
    p.add_argument("--plot", metavar="PATH", default=None,
                   help="draw the regime map: .png or .svg (also .html, .json); one parameter gives a strip, "
                        "two a heatmap, three small multiples")
    p.add_argument("--max-points", metavar="N", default=None,
                   help="refuse grids larger than N points (default 250,000; 20,000 with --simulate)")
    p.add_argument("--force", action="store_true", help="run a grid above the size cap")
    g = p.add_argument_group("Monte Carlo (the multi-year model at every grid point)")
    g.add_argument("--simulate", action="store_true",
                   help="play the multi-year model at every point: burst frequency and value percentiles")
    g.add_argument("--strategies", metavar="A,B,...", default=None,
                   help="strategy of each firm, or one for all (see 'dilemma strategies'); needed by --simulate")
    g.add_argument("--rounds", metavar="R", default=None, help="years per run (default 10)")
    g.add_argument("--runs", metavar="K", default=None, help="runs per grid point (default 1000)")
    g.add_argument("--seed", metavar="S", default=None,
                   help="root seed (default 0); grid point k uses SeedSequence(S, spawn_key=(k,)), so results "
                        "do not depend on where the points ran")
    d = p.add_argument_group("where it runs")
    d.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="send the grid, chunked, to a Dask cluster (tcp://host:8786), or 'local' for a local "
                        "Dask cluster; needs pip install -e \".[distributed]\"")
    d.add_argument("--workers", metavar="N", default=None,
                   help="processes on this machine for --simulate (default: every core); with "
                        "--scheduler local, the number of Dask workers")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary line on stdout")
    p.set_defaults(func=cmd_sweep)


# ---------------------------------------------------------------------------
def _whole(raw, option: str, low: int):
    """Parse a whole number option (argparse would exit without our one-line error)."""
    from dilemma.errors import ParameterError

    if raw is None:
        return None
    try:
        value = float(str(raw).replace("_", "").replace(",", ""))
    except ValueError:
        raise ParameterError(option, f"a whole number >= {low}", raw) from None
    if not value.is_integer() or value < low:
        raise ParameterError(option, f"a whole number >= {low}", raw)
    return int(value)


def progress_enabled(quiet: bool, stream=None, environ=None) -> bool:
    """Whether to draw a progress bar: not ``--quiet``, stderr a terminal, DILEMMA_NO_PROGRESS unset.

    Parameters
    ----------
    quiet : bool
        ``--quiet`` was given.
    stream : file-like, optional
        Where the bar would go; default ``sys.stderr``. A stream that is not a
        terminal (a file, a pipe, a CI log) gets no bar.
    environ : mapping, optional
        The environment; default ``os.environ``. ``DILEMMA_NO_PROGRESS`` set to
        anything but ``""`` or ``"0"`` turns the bar off.

    Returns
    -------
    bool

    Examples
    --------
    >>> progress_enabled(True)
    False
    >>> import io
    >>> progress_enabled(False, stream=io.StringIO(), environ={})
    False
    """
    environ = os.environ if environ is None else environ
    stream = sys.stderr if stream is None else stream
    if quiet or environ.get(NO_PROGRESS_ENV, "").strip() not in ("", "0"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Bar:
    """A tqdm bar on stderr fed by the sweep's ``progress(done, total)`` callback (or nothing)."""

    def __init__(self, enabled: bool, desc: str):
        self.bar = None
        self.enabled = enabled
        self.desc = desc

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            try:
                from tqdm import tqdm
            except ModuleNotFoundError:  # tqdm is in the dev extra; no bar without it
                self.enabled = False
                return
            self.bar = tqdm(total=total, file=sys.stderr, delay=PROGRESS_DELAY, unit="pt",
                            desc=self.desc, dynamic_ncols=True, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def list_params_text(scenario) -> str:
    """The table ``--list-params`` prints: path, current value, allowed range, label and unit.

    Parameters
    ----------
    scenario : dilemma.scenario.Scenario
        A model scenario: its market-wide parameters come first, then every
        firm's fields as ``players.NAME.FIELD``.

    Returns
    -------
    str
        One line per parameter under a header, then a note on units.

    Examples
    --------
    >>> from dilemma import load_preset
    >>> lines = list_params_text(load_preset("classroom-two-player")).splitlines()
    >>> lines[0].split()
    ['PARAMETER', 'CURRENT', 'RANGE', 'LABEL', '(UNIT)']
    >>> print(next(line for line in lines if line.startswith("players.Alpha.capex")))  # doctest: +ELLIPSIS
    players.Alpha.capex ... Planned capex ($B per year)
    """
    from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS
    from dilemma.sweep.grid import GAME_PATHS_UNUSED

    rows = []
    for p in MARKET_PARAMS:
        rows.append((p.path, scenario.value(p.path), p))
    firm = {f.path: f for f in FIRM_FIELDS}
    for path in scenario.parameter_paths():
        parts = path.split(".")
        if parts[0] == "players":
            rows.append((path, scenario.value(path), firm[parts[2]]))
    width = max(len(r[0]) for r in rows)

    def num(v):
        return f"{v:g}"

    head = f"{'PARAMETER':<{width}}  {'CURRENT':>9}  {'RANGE':<16}  LABEL (UNIT)"
    lines = [head]
    for path, value, p in rows:
        rng = f"{num(p.low)}:{num(p.high)}"
        unit = f" ({p.unit})" if p.unit else ""
        note = "; multi-year model only" if path in GAME_PATHS_UNUSED or path.endswith(".cash") else ""
        pct = f"  [{100 * value:g} %]" if p.percent else ""
        lines.append(f"{path:<{width}}  {num(value):>9}  {rng:<16}  {p.label}{unit}{pct}{note}")
    lines.append("")
    lines.append("Values are in the scenario file's units (rates and shares as fractions: 0.009 = 0.9 %). "
                 "Sweep with --param NAME=START:STOP:STEPS.")
    return "\n".join(lines)


def _check_plain(args):
    """Checks that need no file: numbers, extensions, simulation flags."""
    from dilemma.errors import DilemmaError
    from dilemma.sweep.output import plot_format, table_format

    args.max_points = _whole(args.max_points, "--max-points", 1)
    args.workers = _whole(args.workers, "--workers", 1)
    args.rounds = _whole(args.rounds, "--rounds", 1)
    args.runs = _whole(args.runs, "--runs", 1)
    args.seed = _whole(args.seed, "--seed", 0)
    if args.out is not None and args.out != "-":
        table_format(args.out)
    if args.plot is not None:
        plot_format(args.plot)
    if args.strategies is not None and not args.strategies.strip():
        args.strategies = None
    if args.simulate and args.strategies is None:
        raise DilemmaError("--simulate: name the strategies to play with --strategies A,B,... (one per firm, "
                           "or one for all; see 'dilemma strategies')")
    if args.strategies is not None and not args.simulate:
        raise DilemmaError("--strategies: only used with --simulate (add --simulate to play the multi-year "
                           "model at every grid point)")
    extra = [o for o, v in (("--rounds", args.rounds), ("--runs", args.runs), ("--seed", args.seed)) if v is not None]
    if extra and not args.simulate:
        raise DilemmaError(f"{', '.join(extra)}: only used with --simulate --strategies A,B,...")


def cmd_sweep(args) -> int:
    """Run ``dilemma sweep``; returns the exit status.

    Checks every argument first (see the module docstring), then sweeps,
    writes ``--out`` and ``--plot`` and, without ``--out``, prints a summary.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``dilemma sweep`` arguments (see ``dilemma sweep --help``).

    Returns
    -------
    int
        Exit status 0 (errors are raised).

    Raises
    ------
    dilemma.errors.DilemmaError
        If an argument is out of range, a file name has an unknown extension,
        the scenario is an explicit game (nothing to sweep) or the grid is
        above the size cap without ``--force``; the message names the option.

    Examples
    --------
    >>> from dilemma.cli import build_parser
    >>> args = build_parser().parse_args(["sweep", "classroom-two-player",
    ...                                   "--param", "market.punishment=0:0.02:3"])
    >>> cmd_sweep(args)  # doctest: +ELLIPSIS
    3 grid points: market.punishment 0..0.02 (3 values)
    game type:
    ...
    0
    >>> cmd_sweep(build_parser().parse_args(["sweep", "games/prisoners-dilemma", "--list-params"]))
    Traceback (most recent call last):
    ...
    dilemma.errors.DilemmaError: games/prisoners-dilemma: nothing to sweep: this scenario is an explicit game (payoffs written out outcome by outcome), not a model with parameters; sweep a model scenario such as the preset '2025-baseline'
    """
    from dilemma.cli import parse_overrides
    from dilemma.errors import DilemmaError
    from dilemma.scenario import load_scenario

    _check_plain(args)
    scenario = load_scenario(args.file)
    if scenario.kind != "model":
        from dilemma.sweep.grid import check_axes

        check_axes({"market.punishment": [0.0]}, scenario)   # raises "nothing to sweep: explicit game"
    if args.set:
        scenario = scenario.with_values(parse_overrides(args.set))
    if args.list_params:
        print(list_params_text(scenario))
        return 0

    from dilemma.sweep import grid_from_specs, sweep
    from dilemma.sweep.grid import GAME_PATHS_UNUSED, check_grid_size

    if not args.param:
        raise DilemmaError("nothing to sweep: give at least one --param NAME=START:STOP:STEPS "
                           "(see 'dilemma sweep FILE --list-params')")
    axes = grid_from_specs(args.param, scenario)
    if args.plot is not None and len(axes) > 3:
        raise DilemmaError(f"--plot: a regime map draws one to three swept parameters, got {len(axes)}; "
                           f"write the table with --out and draw it from Python")
    check_grid_size(axes, args.max_points, args.force, simulate=args.simulate)
    if not args.simulate:
        static = [k for k in axes if k in GAME_PATHS_UNUSED or k.endswith(".cash")]
        if static:
            print(f"note: {', '.join(static)} only matter to the multi-year model; without --simulate "
                  f"they do not change the one-year game", file=sys.stderr)

    bar = _Bar(progress_enabled(args.quiet), "sweep" if not args.simulate else "monte carlo")
    try:
        frame = sweep(scenario, axes, simulate=args.simulate, strategies=args.strategies, rounds=args.rounds,
                      runs=args.runs, seed=0 if args.seed is None else args.seed, max_points=args.max_points,
                      force=args.force, workers=args.workers,
                      scheduler=args.scheduler, progress=bar)
    finally:
        bar.close()

    if args.out == "-":
        frame.to_csv(sys.stdout, index=False)
    elif args.out is not None:
        from dilemma.sweep.output import write_frame

        write_frame(frame, args.out)
    if args.plot is not None:
        from dilemma.charts.regime import regime_chart
        from dilemma.sweep.output import write_chart

        names = list(axes)
        chart = regime_chart(frame, names[0], names[1] if len(names) > 1 else None,
                             facet=names[2] if len(names) > 2 else None)
        write_chart(chart, args.plot)
    if args.out is None:
        from dilemma.sweep.output import summary_text

        print(summary_text(frame, list(axes)))
    elif args.out != "-" and not args.quiet:
        print(f"wrote {len(frame):,} rows to {args.out}")
    if args.plot is not None and not args.quiet:
        print(f"wrote the regime map to {args.plot}", file=sys.stderr if args.out == "-" else sys.stdout)
    return 0
