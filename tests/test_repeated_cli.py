"""``dilemma simulate`` / ``dilemma tournament``: JSON, tables, error paths."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dilemma import cli_repeated
from dilemma.errors import DilemmaError

ROOT = Path(__file__).resolve().parent.parent
TWO = str(ROOT / "configs" / "classroom-two-player.toml")
BASE = str(ROOT / "configs" / "2025-baseline.toml")


def parser():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    cli_repeated.register(sub)
    return p


def run(argv):
    args = parser().parse_args(argv)
    return args.func(args)


def test_simulate_json_single_run(capsys):
    assert run(["simulate", TWO, "--strategies", "tit-for-tat,alternator", "--rounds", "4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["actions"] == [["Cut", "Cut"], ["Cut", "Spend"], ["Spend", "Cut"], ["Cut", "Spend"]]
    assert len(out["payoffs"]) == 4 and len(out["payoffs"][0]) == 2
    assert out["totals"] == pytest.approx([sum(r[0] for r in out["payoffs"]), sum(r[1] for r in out["payoffs"])])
    assert out["players"] == ["Alpha", "Beta"] and out["strategies"] == ["tit-for-tat", "alternator"]


def test_simulate_many_runs_summary(capsys):
    assert run(["simulate", BASE, "--strategies", "random,tit-for-tat,grim-trigger,always-spend,random:p=0.9",
                "--rounds", "3", "--runs", "50", "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["summary"]) == 3 * 5
    row = out["summary"][0]
    assert {"round", "player", "mean", "p5", "p25", "p50", "p75", "p95", "share_spending"} <= set(row)


def test_simulate_table_and_seed(capsys):
    argv = ["simulate", TWO, "--strategies", "random,generous-tit-for-tat", "--rounds", "5", "--seed", "3"]
    run(argv)
    a = capsys.readouterr().out
    run(argv)
    assert capsys.readouterr().out == a
    assert "total" in a and "Alpha (random)" in a


def test_tournament_json(capsys):
    assert run(["tournament", TWO, "--strategies", "always-spend,tit-for-tat,always-cut", "--rounds", "10",
                "--repetitions", "2", "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["scores"]) == {"always-spend", "tit-for-tat", "always-cut"}
    assert out["ranking"][0] == max(out["scores"], key=out["scores"].get)
    assert out["pairwise"]["always-spend"]["always-spend"] is None


def test_tournament_table(capsys):
    run(["tournament", TWO, "--strategies", "always-spend,tit-for-tat", "--rounds", "5", "--self-play"])
    out = capsys.readouterr().out
    assert "rank" in out and "with self-play" in out


@pytest.mark.parametrize("argv,needle", [
    (["simulate", TWO, "--strategies", "tit-for-tat,saint", "--rounds", "3"], "tit-for-tat"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat,tit-for-tat", "--rounds", "3"],
     "one strategy per player"),
    (["simulate", BASE, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3"], "5"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "0"], "--rounds"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--noise", "1.5"], "--noise"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--noise", "-0.1"], "--noise"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--discount", "0"], "--discount"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--runs", "0"], "--runs"),
    (["tournament", TWO, "--strategies", "tit-for-tat,always-spend", "--rounds", "-1"], "--rounds"),
    (["tournament", TWO, "--strategies", "tit-for-tat,always-spend", "--repetitions", "0"], "--repetitions"),
    (["tournament", TWO, "--strategies", "tit-for-tat,nope", "--rounds", "5"], "valid"),
    (["tournament", BASE, "--strategies", "tit-for-tat,always-spend", "--rounds", "5"], "two-player"),
    (["tournament", TWO, "--strategies", "tit-for-tat,leverage-rule", "--rounds", "5"], "state"),
    (["simulate", "no-such-file.toml", "--strategies", "tit-for-tat", "--rounds", "3"], "no such file"),
])
def test_error_paths(argv, needle):
    with pytest.raises(DilemmaError) as exc:
        run(argv)
    msg = str(exc.value)
    assert needle in msg or needle.replace("valid", "must be one of") in msg


def test_main_prints_one_line_and_exits_2(capsys):
    main = pytest.importorskip("dilemma.cli").main
    code = main(["simulate", TWO, "--strategies", "tit-for-tat,saint", "--rounds", "3"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "always-spend" in err


def test_tournament_command_does_not_import_pandas():
    code = ("import sys; from dilemma.cli import main; "
            f"main(['tournament', {TWO!r}, '--strategies', 'tit-for-tat,always-spend', '--rounds', '5', '--json']); "
            "sys.stderr.write(str('pandas' in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stderr.strip() == "False"
