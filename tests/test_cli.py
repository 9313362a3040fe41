"""The `dilemma` command: solve report and JSON, presets, and the error contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dilemma.cli import main

ROOT = Path(__file__).resolve().parent.parent
GAMES = ROOT / "configs" / "games"


def run(capsys, *argv):
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def solve_json(capsys, *argv):
    status, out, err = run(capsys, "solve", *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def test_solve_json_contract_two_players(capsys):
    d = solve_json(capsys, str(GAMES / "battle-of-the-sexes.toml"))
    assert d["players"] == ["Alpha", "Beta"]
    assert d["actions"] == [["Standard A", "Standard B"]] * 2
    assert d["game_type"] == "other"
    strategies = sorted(tuple(tuple(round(x, 6) for x in s) for s in e["strategy"]) for e in d["equilibria"])
    assert strategies == [((0.0, 1.0), (0.0, 1.0)), ((0.666667, 0.333333), (0.333333, 0.666667)),
                          ((1.0, 0.0), (1.0, 0.0))]
    mixed = next(e for e in d["equilibria"] if e["kind"] == "mixed")
    assert mixed["payoffs"] == pytest.approx([2 / 3, 2 / 3])
    # every equilibrium is printed with its verification (largest unilateral gain)
    assert all(e["regret"] == pytest.approx(0.0, abs=1e-12) for e in d["equilibria"])


def test_solve_json_action_order_follows_file(capsys, tmp_path):
    """Probabilities are listed in the file's action order, whatever it is."""
    text = (GAMES / "prisoners-dilemma.toml").read_text().replace(
        'actions = ["Spend", "Cut"]', 'actions = ["Cut", "Spend"]')
    f = tmp_path / "pd.toml"
    f.write_text(text)
    d = solve_json(capsys, str(f))
    assert d["actions"] == [["Cut", "Spend"]] * 2
    assert [e["strategy"] for e in d["equilibria"]] == [[[0.0, 1.0], [0.0, 1.0]]]
    assert d["game_type"] == "prisoners-dilemma"


def test_solve_baseline_is_the_dilemma(capsys):
    d = solve_json(capsys, "configs/2025-baseline.toml")
    assert d["game_type"] == "prisoners-dilemma"
    assert d["exhaustive"] is True
    assert len(d["equilibria"]) == 1
    eq = d["equilibria"][0]
    assert eq["strategy"] == [[1.0, 0.0]] * 5
    assert d["all_cut"]["everyone_gains"] is True
    assert all(g > 0 for g in d["all_cut"]["gain"].values())
    assert 0.3 < d["critical_discount_factor"]["binding"] < 0.41


def test_solve_set_override_changes_type(capsys):
    d = solve_json(capsys, "configs/classroom-two-player.toml", "--set", "market.punishment=0")
    assert d["game_type"] == "chicken"
    assert len(d["equilibria"]) == 3


def test_solve_text_report(capsys):
    status, out, _ = run(capsys, "solve", "2025-baseline")
    assert status == 0
    for word in ("Microsoft", "Prisoner's dilemma", "Nash equilibria", "all spend", "Dominance", "Efficiency",
                 "Grim trigger"):
        assert word in out


def test_solve_qre(capsys):
    d = solve_json(capsys, str(GAMES / "matching-pennies.toml"), "--lam", "3")
    assert d["qre"]["strategy"] == [pytest.approx([0.5, 0.5])] * 2


def test_json_has_no_nan(capsys):
    # price of anarchy is undefined for negative welfare: null, never NaN
    status, out, _ = run(capsys, "solve", "2025-baseline", "--json")
    assert "NaN" not in out and "Infinity" not in out
    assert json.loads(out)["efficiency"]["price_of_anarchy"] is None


def test_presets_command(capsys):
    status, out, _ = run(capsys, "presets", "--json")
    assert status == 0
    names = [r["name"] for r in json.loads(out)]
    assert names[0] == "2025-baseline" and len(names) >= 5


@pytest.mark.parametrize("argv, fragment", [
    (["solve", "missing.toml"], "no such file"),
    (["solve", "2025-baseline", "--set", "market.punishment=9"], "market.punishment: must be"),
    (["solve", "2025-baseline", "--set", "market.punishmnet=0"], "did you mean 'market.punishment'"),
    (["solve", "2025-baseline", "--set", "nonsense"], "expected PATH=VALUE"),
    (["solve", "2025-baseline", "--set", "market.punishment=abc"], "expected a number"),
    (["solve", "2025-baseline", "--lam", "-1"], "--lam"),
    (["solve", "2025-baseline", "--lam", "nan"], "--lam"),
    (["solve"], "required"),
    (["solve", "2025-baseline", "--bogus"], "unrecognized arguments"),
    (["frobnicate"], "invalid choice"),
    (["solve", str(GAMES / "prisoners-dilemma.toml"), "--set", "market.punishment=0"], "explicit game"),
])
def test_user_errors_are_one_line_status_2(capsys, argv, fragment):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert err.startswith("error:")
    assert err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err


def test_bad_files_through_cli(capsys, tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    broken = tmp_path / "broken.toml"
    broken.write_text("[game\nplayers=")
    for f, frag in ((empty, "empty"), (broken, "not valid TOML")):
        status, _, err = run(capsys, "solve", str(f))
        assert status == 2 and frag in err and err.count("\n") == 1


def test_help_explains_every_option(capsys):
    for argv in (["--help"], ["solve", "--help"], ["presets", "--help"]):
        status, out, _ = run(capsys, *argv)
        assert status == 0
        assert "usage:" in out
    status, out, _ = run(capsys, "solve", "--help")
    for opt in ("--json", "--set", "--lam", "FILE"):
        assert opt in out


def test_console_script_is_light():
    """`dilemma solve` must not import Streamlit or Altair."""
    code = ("import sys; from dilemma.cli import main; main(['solve', '2025-baseline', '--json']);"
            "bad = [m for m in ('streamlit', 'altair') if m in sys.modules]; assert not bad, bad")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_import_dilemma_is_light():
    code = ("import sys, dilemma; heavy = [m for m in ('streamlit', 'altair', 'pandas', 'scipy') if m in sys.modules];"
            "assert not heavy, heavy")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("name", [p.stem for p in GAMES.glob("*.toml")] )
def test_every_explicit_game_solves_and_passes_best_response(capsys, name):
    d = solve_json(capsys, str(GAMES / f"{name}.toml"))
    assert d["equilibria"], name
    from dilemma import load_scenario
    game = load_scenario(GAMES / f"{name}.toml").build_game()
    for e in d["equilibria"]:
        strat = [np.array(s) for s in e["strategy"]]
        assert game.is_nash(strat), (name, e)


def test_strategies_command_lists_the_classics(capsys):
    status, out, _ = run(capsys, "strategies", "--json")
    assert status == 0
    names = json.loads(out)
    for s in ("always-spend", "always-cut", "tit-for-tat", "suspicious-tit-for-tat", "tit-for-two-tats",
              "grim-trigger", "win-stay-lose-shift", "alternator", "generous-tit-for-tat", "random",
              "leverage-rule", "junk-forced", "myopic-best-response", "logit-responder", "follow-the-majority"):
        assert names[s]


def test_simulate_state_single_run_json(capsys):
    status, out, err = run(capsys, "simulate", "2025-baseline", "--strategies", "always-spend", "--state",
                           "--rounds", "5", "--seed", "7", "--json")
    assert status == 0, err
    d = json.loads(out)
    assert d["players"][0] == "Microsoft"
    assert len(d["actions"]) == 5 and len(d["actions"][0]) == 5
    assert np.allclose(np.sum(d["payoffs"], axis=0), d["totals"])
    assert set(r for row in d["rating"] for r in row) <= {"AA", "A", "BBB", "BB"}
    # Oracle starts near 4x net leverage: a junk rating forces it to cut at some point
    assert any(row[4] == "BB" for row in d["rating"]) <= any(a[4] == "Cut" for a in d["actions"])
    again = run(capsys, "simulate", "2025-baseline", "--strategies", "always-spend", "--state",
                "--rounds", "5", "--seed", "7", "--json")[1]
    assert json.loads(again) == d  # seeded: reproducible


def test_simulate_state_monte_carlo_json(capsys):
    status, out, err = run(capsys, "simulate", "2025-baseline", "--strategies", "always-spend", "--state",
                           "--rounds", "4", "--runs", "500", "--seed", "1", "--json")
    assert status == 0, err
    d = json.loads(out)
    burst = d["burst_share"]
    assert len(burst) == 4 and all(0 <= b <= 1 for b in burst)
    assert burst == sorted(burst)  # a burst is permanent: the share never falls
    p5, p95 = np.array(d["bands"]["payoff"]["p5"]), np.array(d["bands"]["payoff"]["p95"])
    assert (p5 <= p95).all()


def test_simulate_state_rejects_explicit_games(capsys):
    status, _, err = run(capsys, "simulate", str(GAMES / "chicken.toml"), "--strategies", "always-spend",
                         "--state", "--rounds", "3")
    assert status == 2 and "model scenario" in err and err.count("\n") == 1


def test_simulate_one_strategy_for_all_players(capsys):
    status, out, err = run(capsys, "simulate", "2025-baseline", "--strategies", "tit-for-tat", "--rounds", "3",
                           "--json")
    assert status == 0, err
    d = json.loads(out)
    assert d["strategies"] == ["tit-for-tat"] * 5
    assert d["actions"][0] == ["Cut"] * 5  # tit-for-tat opens with the cooperative move


def test_deadlock_report_says_no_threat_needed_or_never(capsys):
    status, out, _ = run(capsys, "solve", "openai-fails")
    assert "needs no threat" in out
    status, out, _ = run(capsys, "solve", "openai-fails", "--json")
    cdf = json.loads(out)["critical_discount_factor"]
    assert cdf["self_enforcing"] is True and cdf["binding"] == 0.0
