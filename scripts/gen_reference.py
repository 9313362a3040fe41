"""Generate the reference pages in docs/reference/ from the code itself.

* ``api.md``: every public function and class (each module's ``__all__``) with
  its signature and numpydoc docstring;
* ``cli.md``: every ``dilemma`` command's ``--help``;
* ``parameters.md``: every model parameter with symbol, unit, default, range.

Run ``python scripts/gen_reference.py`` after changing a docstring, an option
or a parameter; ``tests/test_reference.py`` fails when the pages are stale.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import io
import sys
from contextlib import redirect_stdout
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["COLUMNS"] = "100"  # argparse wraps help to the terminal width
OUT = ROOT / "docs" / "reference"

MODULES = [
    "dilemma", "dilemma.errors", "dilemma.scenario", "dilemma.parameters", "dilemma.payoffs", "dilemma.game",
    "dilemma.equilibria", "dilemma.equilibria.pure", "dilemma.equilibria.mixed", "dilemma.equilibria.symmetric",
    "dilemma.equilibria.solve", "dilemma.equilibria.check", "dilemma.equilibria.dominance",
    "dilemma.equilibria.efficiency", "dilemma.equilibria.qre", "dilemma.equilibria.schelling",
    "dilemma.equilibria.classify", "dilemma.equilibria.grim", "dilemma.equilibria.roles", "dilemma.analysis", "dilemma.explain",
    "dilemma.repeated", "dilemma.repeated.strategies", "dilemma.repeated.engine", "dilemma.repeated.state",
    "dilemma.repeated.montecarlo", "dilemma.repeated.tournament", "dilemma.repeated.thresholds",
    "dilemma.evolution", "dilemma.sweep", "dilemma.sweep.api", "dilemma.sweep.grid", "dilemma.sweep.core",
    "dilemma.sweep.labels", "dilemma.sweep.simulate", "dilemma.sweep.executors",
    "dilemma.sweep.output", "dilemma.charts", "dilemma.charts.regime", "dilemma.charts.repeated",
    "dilemma.cli",
]


def _doc(obj) -> str:
    return inspect.cleandoc(inspect.getdoc(obj) or "(no docstring)")


def _sig(name, obj) -> str:
    try:
        return f"{name}{inspect.signature(obj)}"
    except (TypeError, ValueError):
        return name


def api_page() -> str:
    out = ["# API reference", "",
           "Generated from the docstrings by `python scripts/gen_reference.py`; do not edit by hand.", ""]
    for modname in MODULES:
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError:
            continue
        names = list(getattr(mod, "__all__", []))
        if not names:
            continue
        out += [f"## `{modname}`", ""]
        summary = (inspect.getdoc(mod) or "").strip().split("\n\n")[0]
        if summary:
            out += [summary.replace("\n", " "), ""]
        for name in names:
            obj = getattr(mod, name, None)
            if obj is None or inspect.ismodule(obj):
                continue
            if not (inspect.isclass(obj) or callable(obj)):
                out += [f"### `{modname}.{name}`", "", f"Constant: `{type(obj).__name__}`.", ""]
                continue
            out += [f"### `{modname}.{name}`", "", "```text no-test", _sig(name, obj), "", _doc(obj), "```", ""]
            if inspect.isclass(obj):
                for mname, meth in inspect.getmembers(obj):
                    if mname.startswith("_") or mname not in obj.__dict__:
                        continue
                    if not (inspect.isfunction(meth) or isinstance(inspect.getattr_static(obj, mname), (classmethod, staticmethod, property))):
                        continue
                    target = meth.fget if isinstance(inspect.getattr_static(obj, mname), property) else meth
                    out += [f"#### `{name}.{mname}`", "", "```text no-test", _sig(mname, target), "",
                            _doc(target), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def cli_page() -> str:
    from dilemma.cli import build_parser

    parser = build_parser()
    parser.formatter_class = argparse.HelpFormatter
    out = ["# Command-line reference", "",
           "Generated from `dilemma --help` by `python scripts/gen_reference.py`; do not edit by hand.",
           "", "A user error prints one line starting with `error:` on stderr and exits with status 2.", ""]

    def helptext(p) -> str:
        buf = io.StringIO()
        with redirect_stdout(buf):
            p.print_help()
        return buf.getvalue().rstrip()

    out += ["## `dilemma`", "", "```text no-test", helptext(parser), "```", ""]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        out += [f"## `dilemma {name}`", "", "```text no-test", helptext(p), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def parameters_page() -> str:
    from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS

    def val(p, x):
        return f"{x * 100:g} %" if p.percent else f"{x:g}"

    out = ["# Model parameters", "",
           "Generated from `dilemma/parameters.py` by `python scripts/gen_reference.py`; do not edit by hand.",
           "Rates and shares are stored as fractions in scenario files (0.009) and shown in % in the lab.", "",
           "## Market-wide (dotted path in a scenario file)", "",
           "| path | symbol | meaning | unit | default | range |", "|---|---|---|---|---|---|"]
    for p in MARKET_PARAMS:
        out.append(f"| `{p.path}` | {p.symbol} | {p.label}: {p.help} | {p.unit} | {val(p, p.default)} | "
                   f"{val(p, p.low)} to {val(p, p.high)} |")
    out += ["", "## Per firm (`[[players]]`, or `players.NAME.FIELD` in a sweep)", "",
            "| field | symbol | meaning | unit | range |", "|---|---|---|---|---|"]
    for p in FIRM_FIELDS:
        out.append(f"| `{p.path}` | {p.symbol} | {p.label}: {p.help} | {p.unit} | {p.low:g} to {p.high:g} |")
    out.append("")
    out.append("Required per firm: `name`, `capex`, `ocf`, `ebitda`, `market_value`; "
               "`cash` and `debt` default to 0, `edge` to 1.")
    return "\n".join(out).rstrip() + "\n"


PAGES = {"api.md": api_page, "cli.md": cli_page, "parameters.md": parameters_page}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a page is out of date")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, make in PAGES.items():
        text = make()
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
