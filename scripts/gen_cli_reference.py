"""Generate the command-line and parameter reference pages in docs/reference/.

* ``cli.md``: every ``dilemma`` command's ``--help``;
* ``parameters.md``: every model parameter with symbol, unit, default, range.

The API reference is rendered from the docstrings by mkdocstrings
(``mkdocs build``, see ``mkdocs.yml``). Run ``python scripts/gen_cli_reference.py``
after changing an option or a parameter; ``tests/test_reference.py`` fails
when the pages are stale (``--check``).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["COLUMNS"] = "100"  # argparse wraps help to the terminal width
OUT = ROOT / "docs" / "reference"


def cli_page() -> str:
    from dilemma.cli import build_parser

    parser = build_parser()
    parser.formatter_class = argparse.HelpFormatter
    out = ["# Command-line reference", "",
           "Generated from `dilemma --help` by `python scripts/gen_cli_reference.py`; do not edit by hand.",
           "", "A user error prints one line starting with `error:` on stderr and exits with status 2.", ""]

    def helptext(p) -> str:
        buf = io.StringIO()
        with redirect_stdout(buf):
            p.print_help()
        return buf.getvalue().rstrip()

    # not "## `dilemma`": that heading's anchor would clash with the package's on the API pages
    out += ["## The `dilemma` command", "", "```text no-test", helptext(parser), "```", ""]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        out += [f"## `dilemma {name}`", "", "```text no-test", helptext(p), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def parameters_page() -> str:
    from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS

    def val(p, x):
        return f"{x * 100:g} %" if p.percent else f"{x:g}"

    out = ["# Model parameters", "",
           "Generated from `dilemma/parameters.py` by `python scripts/gen_cli_reference.py`; do not edit by hand.",
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


PAGES = {"cli.md": cli_page, "parameters.md": parameters_page}


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
