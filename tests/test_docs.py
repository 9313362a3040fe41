"""Every code block in the README and docs/ runs, so the docs cannot drift.

Conventions for Markdown code blocks:

* ``python`` blocks run in order in one namespace per file (a tutorial builds
  on its earlier steps); ``>>>`` lines inside them are run as doctests.
* ``bash``/``console`` blocks: every line starting with ``dilemma`` runs
  through the CLI and must exit 0 (or the status named in a trailing
  ``# exit N`` comment), except ``dilemma lab``, which starts a server
  (tests/test_packaging.py and scripts/check-wheel.sh cover it). Set-up lines (``pip``, ``streamlit``, ``pytest``,
  ``python benchmarks/...``, ``dask ...``, ``git``, ``cd``) are not run here:
  CI runs the set-up itself.
* ``toml`` blocks holding ``[[players]]`` or ``[game]`` must be valid scenarios.
* A block whose info string contains ``no-test`` is skipped (used only for
  output samples and cluster commands that need a real cluster).

All blocks run in a temporary folder holding a link to ``configs/``.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```", re.S | re.M)
SETUP = ("pip", "streamlit", "pytest", "python", "dask", "git", "cd", "bash", "export", "d=", ".")


def blocks(path: Path):
    text = path.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        info = m.group(1).strip()
        line = text[: m.start()].count("\n") + 1
        yield info, m.group(2), line


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    (tmp_path / "configs").symlink_to(ROOT / "configs")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DILEMMA_NO_PROGRESS", "1")
    return tmp_path


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_markdown_code_blocks_run(path, in_tmp, capsys):
    from dilemma.cli import main
    from dilemma.scenario import loads_scenario

    namespace: dict = {"__name__": "__docs__"}
    ran = 0
    for info, code, line in blocks(path):
        lang = info.split()[0] if info else ""
        where = f"{path.relative_to(ROOT)}:{line}"
        if "no-test" in info:
            continue
        if lang == "python":
            if ">>>" in code:
                test = doctest.DocTestParser().get_doctest(code, namespace, where, str(path), line)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
                report: list[str] = []
                runner.run(test, out=report.append, clear_globs=False)
                assert runner.failures == 0, f"doctest failed in {where}:\n" + "".join(report)
                namespace.update(test.globs)
            else:
                exec(compile(code, where, "exec"), namespace)
            ran += 1
        elif lang in ("bash", "console", "sh", "shell"):
            for cmdline in code.replace("\\\n", " ").splitlines():  # join "\"-continued lines
                cmdline = cmdline.strip().removeprefix("$ ").strip()
                if not cmdline.startswith("dilemma"):
                    assert not cmdline or cmdline.startswith(SETUP) or cmdline.startswith("#"), (
                        f"{where}: shell line not covered by the docs test: {cmdline!r}")
                    continue
                expect = 0
                m = re.search(r"#\s*exit\s+(\d+)\s*$", cmdline)
                if m:
                    expect = int(m.group(1))
                argv = shlex.split(cmdline, comments=True)[1:]
                if argv[:1] == ["lab"]:
                    continue
                try:
                    status = main(argv)
                except SystemExit as exc:  # argparse --help / errors
                    status = exc.code or 0
                out = capsys.readouterr()
                assert status == expect, f"{where}: `{cmdline}` exited {status}: {out.err.strip()}"
                ran += 1
        elif lang == "toml" and ("[[players]]" in code or "[game]" in code):
            loads_scenario(code, source=where)
            ran += 1
    if path.name != "README.md" and "benchmarks" not in path.name and path.parent.name != "reference":
        assert ran or not list(blocks(path)), f"{path}: code blocks but none ran"
