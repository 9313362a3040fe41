"""``dilemma simulate`` / ``dilemma tournament``: JSON, tables, error paths."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dilemma.cli import repeated as cli_repeated
from dilemma.errors import DilemmaError
from dilemma.payoffs import payoff_tables
from dilemma.scenario import load_preset

ROOT = Path(__file__).resolve().parent.parent
TWO = str(ROOT / "configs" / "classroom-two-player.toml")
BASE = str(ROOT / "configs" / "2025-baseline.toml")


def parser():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    cli_repeated.register(sub)
    return p


def classroom_rstp():
    """R, S, T, P of the classroom game for the row player (index 0 = Spend, 1 = Cut)."""
    t = payoff_tables(load_preset("classroom-two-player"))["payoff"]
    return t[1, 1, 0], t[1, 0, 0], t[0, 1, 0], t[0, 0, 0]


def run(argv):
    args = parser().parse_args(argv)
    return args.func(args)


def test_simulate_json_single_run(capsys):
    assert run(["simulate", TWO, "--strategies", "tit-for-tat,alternator", "--rounds", "4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["actions"] == [["Cut", "Cut"], ["Cut", "Spend"], ["Spend", "Cut"], ["Cut", "Spend"]]
    assert len(out["payoffs"]) == 4 and len(out["payoffs"][0]) == 2
    # Alpha (tit-for-tat) scores R, S, T, S and Beta (alternator) R, T, S, T, read off the stage game
    R, S, T, _ = classroom_rstp()
    np.testing.assert_allclose(out["payoffs"], [[R, R], [S, T], [T, S], [S, T]])
    assert out["totals"] == pytest.approx([R + 2 * S + T, R + S + 2 * T])
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
    R, S, T, P = classroom_rstp()
    # per-round means over 10 rounds: tit-for-tat cuts once, then answers always-spend with Spend
    pairwise = {"always-spend": {"always-spend": None, "tit-for-tat": (T + 9 * P) / 10, "always-cut": T},
                "tit-for-tat": {"always-spend": (S + 9 * P) / 10, "tit-for-tat": None, "always-cut": R},
                "always-cut": {"always-spend": S, "tit-for-tat": R, "always-cut": None}}
    for row, cols in pairwise.items():
        for col, v in cols.items():
            assert out["pairwise"][row][col] == (None if v is None else pytest.approx(v)), (row, col)
    # a score is the mean over the two opponents (no self-play)
    assert out["scores"] == pytest.approx({"always-spend": ((T + 9 * P) / 10 + T) / 2,
                                           "tit-for-tat": ((S + 9 * P) / 10 + R) / 2,
                                           "always-cut": (S + R) / 2})
    assert out["ranking"] == ["always-spend", "tit-for-tat", "always-cut"]   # 25.36 > 18.93 > 12.39


def test_tournament_table(capsys):
    run(["tournament", TWO, "--strategies", "always-spend,tit-for-tat", "--rounds", "5", "--self-play"])
    lines = capsys.readouterr().out.splitlines()
    R, S, T, P = classroom_rstp()
    assert lines[0] == "Round robin: 5 rounds x 1 repetitions, noise 0, with self-play"
    rows = {ln.split()[1]: ln.split() for ln in lines if ln[:1] in ("1", "2")}
    # with self-play, 5 rounds: always-spend scores (P + (T + 4P)/5)/2, tit-for-tat ((S + 4P)/5 + R)/2,
    # and tit-for-tat cuts in 1 of 5 rounds against always-spend and 5 of 5 against itself: 6/10
    assert rows["tit-for-tat"] == ["1", "tit-for-tat", f"{((S + 4 * P) / 5 + R) / 2:.3f}", "0.60"]
    assert rows["always-spend"] == ["2", "always-spend", f"{(P + (T + 4 * P) / 5) / 2:.3f}", "0.00"]


#: Every registered strategy, in registry order (error messages list them).
STATELESS = ("always-spend, always-cut, tit-for-tat, suspicious-tit-for-tat, tit-for-two-tats, grim-trigger, "
             "win-stay-lose-shift, alternator, generous-tit-for-tat, random")
RESPONDERS = "myopic-best-response, logit-responder, follow-the-majority"
ALL = f"{STATELESS}, leverage-rule, junk-forced, {RESPONDERS}"
COUNT = "--strategies: must be one strategy per player (or one for all): "


@pytest.mark.parametrize("argv,message", [
    (["simulate", TWO, "--strategies", "tit-for-tat,saint", "--rounds", "3"],
     f"strategy: must be one of {ALL}, got 'saint'"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat,tit-for-tat", "--rounds", "3"],
     COUNT + "2 for this scenario (Alpha, Beta), got 3"),
    (["simulate", BASE, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3"],
     COUNT + "5 for this scenario (Microsoft, Alphabet, Amazon, Meta, Oracle), got 2"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "0"],
     "--rounds: must be a whole number >= 1, got 0"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--noise", "1.5"],
     "--noise: must be a probability between 0 and 1, got 1.5"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--noise", "-0.1"],
     "--noise: must be a probability between 0 and 1, got -0.1"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--discount", "0"],
     "--discount: must be a number with 0 < D <= 1, got 0.0"),
    (["simulate", TWO, "--strategies", "tit-for-tat,tit-for-tat", "--rounds", "3", "--runs", "0"],
     "--runs: must be a whole number >= 1, got 0"),
    (["tournament", TWO, "--strategies", "tit-for-tat,always-spend", "--rounds", "-1"],
     "--rounds: must be a whole number >= 1, got -1"),
    (["tournament", TWO, "--strategies", "tit-for-tat,always-spend", "--repetitions", "0"],
     "--repetitions: must be a whole number >= 1, got 0"),
    (["tournament", TWO, "--strategies", "tit-for-tat,nope", "--rounds", "5"],
     f"strategy: must be one of {ALL}, got 'nope'"),
    (["tournament", BASE, "--strategies", "tit-for-tat,always-spend", "--rounds", "5"],
     "game: must be a two-player game for a round-robin tournament, got '5 players'"),
    (["tournament", TWO, "--strategies", "tit-for-tat,leverage-rule", "--rounds", "5"],
     "strategies: must be strategies for stateless play ('leverage-rule' needs the state-carrying engine, "
     f"dilemma.repeated.state); valid here: {STATELESS}, {RESPONDERS}, got 'leverage-rule'"),
    (["simulate", "no-such-file.toml", "--strategies", "tit-for-tat", "--rounds", "3"],
     "no-such-file.toml: no such file"),
])
def test_error_paths(argv, message):
    with pytest.raises(DilemmaError) as exc:
        run(argv)
    assert str(exc.value) == message


def test_main_prints_one_line_and_exits_2(capsys):
    from dilemma.cli import main

    code = main(["simulate", TWO, "--strategies", "tit-for-tat,saint", "--rounds", "3"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"error: strategy: must be one of {ALL}, got 'saint'\n"


def test_tournament_command_does_not_import_pandas():
    code = ("import sys; from dilemma.cli import main; "
            f"main(['tournament', {TWO!r}, '--strategies', 'tit-for-tat,always-spend', '--rounds', '5', '--json']); "
            "sys.stderr.write(str('pandas' in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stderr.strip() == "False"
