"""Benchmark: 8-strategy round robin, 200 rounds x 10 repetitions, vs axelrod.Tournament.

Both sides play the same 8 strategies with self-play (Axelrod always includes
it), 36 pairings x 10 repetitions x 200 turns, on the stage game of the
classroom preset, and every figure is the median of the same number of
repeats, taken in the same run, the sides interleaved repeat by repeat.

What each side does:

* ``dilemma round_robin`` (in process): plays every match, then computes the
  pairwise mean payoff per turn, the cooperation (cut) shares, the scores and
  the ranking. Deterministic pairings are played once and copied to the other
  repetitions.
* ``axelrod Match loop`` (in process): the same work written with Axelrod's
  public API: one ``axl.Match`` per pairing played ``repetitions`` times (as
  ``Tournament`` does, so its deterministic cache serves the repeats), then
  the same pairwise mean payoff per turn, cut shares, scores and ranking with
  numpy. This is the like-for-like figure.
* ``axelrod Tournament.play(build_results=False)``: plays the matches and
  writes every interaction to a temporary CSV file (``mkstemp``); no summary
  at all. ``processes=None`` (serial, in this process): ``processes=1`` would
  take Axelrod's parallel path, a worker process fed through queues.
* ``axelrod Tournament.play(build_results=True)`` (Axelrod's default): the
  above plus per-match results and a ``ResultSet`` of about 20 statistics
  (most of them more than ``round_robin`` computes); reported for context, it
  is not the same work.
* whole commands: ``python -m dilemma.cli tournament ... --json`` against
  ``python -c "import axelrod; ... .play(build_results=False)"``; both include
  interpreter start-up and imports.

Run: ``python benchmarks/bench_tournament.py [--quick]``. Not a test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESET = ROOT / "configs" / "classroom-two-player.toml"
OURS = ["always-spend", "always-cut", "tit-for-tat", "suspicious-tit-for-tat", "tit-for-two-tats",
        "grim-trigger", "win-stay-lose-shift", "generous-tit-for-tat"]
AXL = ["Defector", "Cooperator", "TitForTat", "SuspiciousTitForTat", "TitFor2Tats", "Grudger",
       "WinStayLoseShift", "GTFT"]
TURNS, REPS = 200, 10


def rstp():
    """R, S, T, P of the classroom game (index 0 = Spend, 1 = Cut)."""
    from dilemma.payoffs import payoff_tables
    from dilemma.scenario import load_scenario

    p = payoff_tables(load_scenario(PRESET), keys=("payoff",))["payoff"]
    return float(p[1, 1, 0]), float(p[1, 0, 0]), float(p[0, 1, 0]), float(p[0, 0, 0])


def axl_match_loop(axl, np, game, seed=1):
    """Axelrod's matches, summarised like ``round_robin`` (pairwise means, cut shares, scores, ranking)."""
    n = len(AXL)
    pay = np.zeros((n, n))
    coop = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            match = axl.Match((getattr(axl, AXL[i])(), getattr(axl, AXL[j])()), turns=TURNS, game=game,
                              seed=seed + i * n + j)
            si = sj = ci = cj = 0.0
            for _ in range(REPS):
                match.play()
                s1, s2 = match.final_score()                 # total payoffs of the match
                c1, c2 = match.cooperation()                 # number of C (cut) moves
                si, sj, ci, cj = si + s1, sj + s2, ci + c1, cj + c2
            pay[i, j], pay[j, i] = si / (REPS * TURNS), sj / (REPS * TURNS)
            coop[i, j], coop[j, i] = ci / (REPS * TURNS), cj / (REPS * TURNS)
    scores = pay.mean(axis=1)
    ranking = [AXL[k] for k in np.argsort(-scores, kind="stable")]
    return pay, coop, scores, ranking


def time_command(argv):
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main(quick: bool = False) -> None:
    import axelrod as axl
    import numpy as np

    import dilemma
    from dilemma.repeated.tournament import round_robin

    R, S, T, P = rstp()
    game = np.array([[[P, P], [T, S]], [[S, T], [R, R]]])
    axl_game = axl.Game(R, S, T, P)
    repeat, cmd_repeat = (3, 2) if quick else (7, 3)

    def ours():
        return round_robin(game, OURS, rounds=TURNS, repetitions=REPS, seed=1, self_play=True)

    def axl_tournament(build_results):
        players = [getattr(axl, n)() for n in AXL]
        tour = axl.Tournament(players, turns=TURNS, repetitions=REPS, game=axl_game, seed=1)
        t0 = time.perf_counter()
        with warnings.catch_warnings():                          # "results will not be accessible"
            warnings.simplefilter("ignore", UserWarning)
            tour.play(processes=None, progress_bar=False, build_results=build_results)
        return time.perf_counter() - t0

    # the two summaries agree on the deterministic pairings (GTFT, the last entrant, draws at random)
    mine = ours()
    pay, _, _, _ = axl_match_loop(axl, np, axl_game)
    det = slice(0, len(AXL) - 1)
    gap = float(np.abs(np.asarray(mine.pairwise)[det, det] - pay[det, det]).max())

    times = {k: [] for k in ("ours", "loop", "play", "play_rs")}
    for _ in range(repeat):                                      # interleaved: load hits both sides alike
        t = time.perf_counter()
        ours()
        times["ours"].append(time.perf_counter() - t)
        t = time.perf_counter()
        axl_match_loop(axl, np, axl_game)
        times["loop"].append(time.perf_counter() - t)
        times["play"].append(axl_tournament(False))
        times["play_rs"].append(axl_tournament(True))

    cmd = [sys.executable, "-m", "dilemma.cli", "tournament", str(PRESET), "--strategies", ",".join(OURS),
           "--rounds", str(TURNS), "--repetitions", str(REPS), "--seed", "1", "--self-play", "--json"]
    script = ("import axelrod as axl; players=[getattr(axl, n)() for n in %r]; "
              "axl.Tournament(players, turns=%d, repetitions=%d, game=axl.Game(%r, %r, %r, %r), seed=1)"
              ".play(processes=None, progress_bar=False, build_results=False)" % (AXL, TURNS, REPS, R, S, T, P))
    axl_cmd = [sys.executable, "-c", script]
    time_command(cmd)                                            # warm the .pyc caches of both
    time_command(axl_cmd)
    cmd_times = {"ours": [], "axl": []}
    for _ in range(cmd_repeat):
        cmd_times["ours"].append(time_command(cmd))
        cmd_times["axl"].append(time_command(axl_cmd))

    med = statistics.median
    m = {k: med(v) for k, v in times.items()}
    mc = {k: med(v) for k, v in cmd_times.items()}
    print(f"dilemma {dilemma.__version__}, axelrod {axl.__version__}, numpy {np.__version__}, "
          f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}")
    print(f"game R, S, T, P = {R:.2f}, {S:.2f}, {T:.2f}, {P:.2f}; 8 strategies, {TURNS} turns, {REPS} repetitions, "
          f"self-play (36 pairings); medians of {repeat} (in process) and {cmd_repeat} (commands) interleaved repeats")
    print(f"pairwise payoffs agree on deterministic pairings: max |difference| = {gap:.2e}")
    print(f"dilemma round_robin (in process)                       median {m['ours']:.3f} s  "
          f"(min {min(times['ours']):.3f})")
    print(f"axelrod Match loop, same summary (in process)          median {m['loop']:.3f} s  "
          f"(min {min(times['loop']):.3f})")
    print(f"axelrod Tournament.play(build_results=False)           median {m['play']:.3f} s  "
          f"(min {min(times['play']):.3f})")
    print(f"axelrod Tournament.play(build_results=True), context   median {m['play_rs']:.3f} s  "
          f"(min {min(times['play_rs']):.3f})")
    print(f"dilemma tournament ... --json (whole command)          median {mc['ours']:.3f} s")
    print(f"python -c 'import axelrod; ...play(build_results=False)' median {mc['axl']:.3f} s")
    print(f"ratio, in process, same summary (Match loop / ours):   {m['loop'] / m['ours']:.1f}x")
    print(f"ratio, in process, Tournament.play(False) / ours:      {m['play'] / m['ours']:.1f}x")
    print(f"ratio, whole command / whole command:                  {mc['axl'] / mc['ours']:.1f}x")
    print(f"ratio, Axelrod play(False) alone / our whole command:  {m['play'] / mc['ours']:.1f}x")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
