"""``dilemma sweep`` through ``dilemma.cli.main``: outputs, summaries, every bad input, Ctrl-C."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

from dilemma.cli import sweep as cli_sweep
from dilemma.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = "2025-baseline"
GAME = str(ROOT / "configs" / "games" / "chicken.toml")
P2 = ["--param", "market.punishment=0:0.03:4", "--param", "demand.profit_pool=150:250:3"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DILEMMA_NO_PROGRESS", raising=False)
    return tmp_path


def run(capsys, *argv):
    try:
        status = main(["sweep", *argv])
    except SystemExit as exc:  # argparse's own errors
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


# ---- what a sweep prints and writes ---------------------------------------------
def test_summary_without_out(capsys):
    status, out, err = run(capsys, BASE, *P2)
    assert status == 0 and err == ""
    assert out.startswith("12 grid points: market.punishment 0..0.03 (4 values) x demand.profit_pool 150..250")
    assert "Prisoner's dilemma" in out and "all spend" in out
    assert "scenario's current values: market.punishment = 0.009, demand.profit_pool = 210" in out


def test_csv_and_parquet(capsys, tmp_path):
    status, out, _ = run(capsys, BASE, *P2, "--out", "map.csv")
    assert status == 0 and out.strip() == "wrote 12 rows to map.csv"
    csv = pd.read_csv(tmp_path / "map.csv")
    assert list(csv.columns[:3]) == ["market.punishment", "demand.profit_pool", "game_type"]
    assert len(csv) == 12 and "equilibria" in csv and "critical_delta" in csv
    status, out, _ = run(capsys, BASE, *P2, "--out", "map.parquet", "--quiet")
    assert status == 0 and out == ""
    pq = pd.read_parquet(tmp_path / "map.parquet")
    assert pq["game_type"].tolist() == csv["game_type"].tolist()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_csv_on_stdout(capsys, tmp_path):
    status, out, err = run(capsys, BASE, *P2, "--out", "-", "--plot", "map.svg")
    assert status == 0
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 12 and list(frame.columns[:3]) == ["market.punishment", "demand.profit_pool", "game_type"]
    assert "wrote the regime map to map.svg" in err and (tmp_path / "map.svg").exists()
    assert not (tmp_path / "-").exists()


def test_plots(capsys, tmp_path):
    status, out, _ = run(capsys, BASE, *P2, "--plot", "map.png", "--quiet")
    assert status == 0
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    status, _, _ = run(capsys, BASE, "--param", "market.punishment=0:0.03:4", "--plot", "strip.svg", "--quiet")
    assert status == 0 and "<svg" in (tmp_path / "strip.svg").read_text()


def test_list_params(capsys):
    status, out, err = run(capsys, BASE, "--list-params")
    assert status == 0 and err == ""
    line = next(ln for ln in out.splitlines() if ln.startswith("market.punishment "))
    assert "0.009" in line and "-0.005:0.03" in line and "Market punishment for cutting" in line
    assert "[0.9 %]" in line
    meta = next(ln for ln in out.splitlines() if ln.startswith("players.Meta.capex "))
    assert " 71 " in meta and "$B per year" in meta
    assert "multi-year model only" in next(ln for ln in out.splitlines() if ln.startswith("dynamics.demand_growth"))


def test_set_override_moves_the_current_value(capsys):
    status, out, _ = run(capsys, BASE, "--set", "demand.profit_pool=300", "--param", "market.punishment=0:0.01:2")
    assert status == 0
    assert "scenario's current values: market.punishment = 0.009" in out


def test_simulate(capsys, tmp_path):
    status, out, _ = run(capsys, BASE, "--param", "demand.delay=0:4:3", "--simulate", "--strategies",
                         "grim-trigger", "--rounds", "5", "--runs", "40", "--seed", "3", "--workers", "1",
                         "--out", "mc.csv")
    assert status == 0
    mc = pd.read_csv(tmp_path / "mc.csv")
    assert {"burst_frequency", "value_Meta_p5", "value_Meta_p50", "value_Meta_p95"} <= set(mc.columns)
    assert mc["burst_frequency"].between(0, 1).all()
    status, again, _ = run(capsys, BASE, "--param", "demand.delay=0:4:3", "--simulate", "--strategies",
                           "grim-trigger", "--rounds", "5", "--runs", "40", "--seed", "3", "--workers", "2",
                           "--out", "mc2.csv")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "mc2.csv"), mc)


def test_dynamics_parameter_without_simulate_gets_a_note(capsys):
    status, _, err = run(capsys, BASE, "--param", "dynamics.demand_growth=0:0.3:2")
    assert status == 0 and err.startswith("note: dynamics.demand_growth only matter")


# ---- bad input: one line on stderr, exit status 2 --------------------------------
BAD = [
    (["--param", "market.punishmnet=0:0.03:4"], "did you mean 'market.punishment'"),
    (["--param", "players.Meta.capx=0:100:3"], "did you mean 'players.Meta.capex'"),
    (["--param", "players.Metta.capex=0:100:3"], "did you mean 'players.Meta.capex'"),
    (["--param", "market.punishment=0:0.03"], "malformed range"),
    (["--param", "market.punishment=a:b:3"], "malformed range"),
    (["--param", "market.punishment=0:0.03:2.5"], "STEPS must be a whole number"),
    (["--param", "market.punishment"], "expected NAME=START:STOP:STEPS"),
    (["--param", "market.punishment=0:0.03:0"], "empty range"),
    (["--param", "market.punishment=0:0.03:-3"], "empty range"),
    (["--param", "market.punishment=0.03:0:4"], "reversed range"),
    (["--param", "market.punishment=0:0.5:3"], "outside the allowed range"),
    (["--param", "players.Meta.capex=-10:50:3"], "outside the allowed range"),
    (["--param", "dynamics.lease_term=1:10:3"], "must be a whole number between 1 and 10"),
    (["--param", "market.punishment=0:0.03:4", "--param", "market.punishment=0:0.01:2"], "given twice"),
    (P2 + ["--max-points", "10"], "12 points (4 x 3), above the sweep cap of 10"),
    (["--param", "market.punishment=0:0.03:300000"], "above the sweep cap of 250,000"),
    (["--param", "market.punishment=0:0.03:1e12"], "more than one range may have"),
    (["--param", "market.punishment=0:0.03:1000", "--param", "demand.profit_pool=0:600:1000"],
     "1,000,000 points (1000 x 1000), above the sweep cap"),
    (P2 + ["--max-points", "ten"], "--max-points: must be a whole number >= 1"),
    (P2 + ["--out", "map.xlsx"], "unknown output extension ('.xlsx')"),
    (P2 + ["--out", "map"], "unknown output extension (no extension)"),
    (P2 + ["--plot", "map.jpg"], "unknown plot extension ('.jpg')"),
    (P2 + ["--out", "no-such-folder/map.csv"], "does not exist"),
    (P2 + ["--simulate"], "--simulate: name the strategies"),
    (P2 + ["--strategies", "grim-trigger"], "only used with --simulate"),
    (P2 + ["--runs", "10"], "only used with --simulate"),
    (P2 + ["--simulate", "--strategies", "no-such-strategy"], "no-such-strategy"),
    (P2 + ["--simulate", "--strategies", "grim-trigger,always-spend"], "one strategy per firm"),
    (P2 + ["--simulate", "--strategies", "grim-trigger", "--runs", "0"], "--runs: must be a whole number >= 1"),
    (P2 + ["--simulate", "--strategies", "grim-trigger", "--seed", "-1"], "--seed"),
    (P2 + ["--workers", "0"], "--workers"),
    (P2 + ["--param", "demand.delay=0:1:2", "--param", "demand.price_war=0:1:2", "--plot", "m.png"],
     "one to three swept parameters"),
    ([], "nothing to sweep: give at least one --param"),
    (["--param", "market.punishment=0:0.03:4", "--set", "market.punishment=9"], "market.punishment"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_status_2(capsys, tmp_path, argv, message):
    status, out, err = run(capsys, BASE, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert message in err
    assert [p.name for p in tmp_path.iterdir()] == []          # nothing written


def test_explicit_game_has_nothing_to_sweep(capsys):
    for extra in (P2, ["--list-params"]):
        status, out, err = run(capsys, GAME, *extra)
        assert status == 2 and out == "" and err.count("\n") == 1
        assert "nothing to sweep: this scenario is an explicit game" in err


def test_unknown_file(capsys):
    status, _, err = run(capsys, "no-such-preset", *P2)
    assert status == 2 and err.startswith("error: ") and err.count("\n") == 1


# ---- Ctrl-C: no half-written output -------------------------------------------------
def test_interrupted_while_writing_leaves_no_file(capsys, tmp_path, monkeypatch):
    (tmp_path / "old.csv").write_text("an earlier, complete file\n")

    def half_then_interrupt(self, path, *args, **kwargs):
        Path(path).write_text("market.punishment,game_type\n0.0,chi")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_interrupt)
    status, _, err = run(capsys, BASE, *P2, "--out", "map.csv")
    assert status == 130 and err.strip() == "error: interrupted"
    assert not (tmp_path / "map.csv").exists()
    status, _, _ = run(capsys, BASE, *P2, "--out", "old.csv")
    assert status == 130
    assert (tmp_path / "old.csv").read_text() == "an earlier, complete file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]      # no temp files left


def test_interrupted_while_computing_leaves_no_file(capsys, tmp_path, monkeypatch):
    import dilemma.sweep.api as api

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "analyse_points", interrupt)
    status, _, _ = run(capsys, BASE, *P2, "--out", "map.parquet", "--plot", "map.png")
    assert status == 130
    assert list(tmp_path.iterdir()) == []


def test_interrupted_while_plotting_keeps_no_partial_plot(capsys, tmp_path, monkeypatch):
    import vl_convert

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(vl_convert, "vegalite_to_png", interrupt)
    status, _, _ = run(capsys, BASE, *P2, "--out", "map.csv", "--plot", "map.png")
    assert status == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.csv"]   # the table is complete


# ---- progress bar -----------------------------------------------------------------
class _TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_enabled_rules():
    assert cli_sweep.progress_enabled(False, stream=_TTY(), environ={})
    assert not cli_sweep.progress_enabled(True, stream=_TTY(), environ={})
    assert not cli_sweep.progress_enabled(False, stream=io.StringIO(), environ={})
    assert not cli_sweep.progress_enabled(False, stream=_TTY(), environ={"DILEMMA_NO_PROGRESS": "1"})
    assert cli_sweep.progress_enabled(False, stream=_TTY(), environ={"DILEMMA_NO_PROGRESS": "0"})


def test_progress_bar_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(cli_sweep, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    status, out, err = run(capsys, BASE, "--param", "demand.delay=0:4:3", "--simulate", "--strategies",
                           "grim-trigger", "--rounds", "3", "--runs", "10", "--workers", "1", "--out", "x.csv")
    assert status == 0
    assert "monte carlo" in err and "/3 " in err          # tqdm throttles redraws; the bar is there


def test_no_progress_bar_when_quiet_or_env(capsys, monkeypatch):
    monkeypatch.setattr(cli_sweep, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    status, out, err = run(capsys, BASE, *P2, "--quiet", "--out", "a.csv")
    assert status == 0 and err == "" and out == ""
    monkeypatch.setenv("DILEMMA_NO_PROGRESS", "1")
    status, out, err = run(capsys, BASE, *P2, "--out", "b.csv")
    assert status == 0 and err == ""


def test_help_lists_the_options(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for opt in ("--param", "--list-params", "--out", "--plot", "--force", "--max-points", "--simulate",
                "--strategies", "--rounds", "--runs", "--seed", "--scheduler", "--workers", "--quiet"):
        assert opt in out
