"""Benchmark: 8-strategy round robin, 200 rounds x 10 repetitions, vs axelrod.Tournament.

Ours is timed as a whole command (``python -m dilemma.cli tournament ...``,
interpreter start-up and imports included). Axelrod is timed twice in the same
run: ``Tournament(...).play(processes=1)`` inside an already-warm interpreter
(import excluded), and as a whole command (``python -c "import axelrod; ..."``).
Both play the same 8 strategies, with self-play (Axelrod always includes it),
on the stage game of the classroom preset.

Run: ``python benchmarks/bench_tournament.py [--quick]``. Not a test.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESET = ROOT / "configs" / "classroom-two-player.toml"
OURS = ["always-spend", "always-cut", "tit-for-tat", "suspicious-tit-for-tat", "tit-for-two-tats",
        "grim-trigger", "win-stay-lose-shift", "generous-tit-for-tat"]
AXL = ["Defector", "Cooperator", "TitForTat", "SuspiciousTitForTat", "TitFor2Tats", "Grudger",
       "WinStayLoseShift", "GTFT"]
TURNS, REPS = 200, 10


def rstp():
    from dilemma.cli.repeated import _load_game
    import argparse

    g = _load_game(argparse.Namespace(file=str(PRESET), set=[]))
    p = g.payoffs
    return p[1, 1, 0], p[1, 0, 0], p[0, 1, 0], p[0, 0, 0]       # R, S, T, P (0 = Spend)


def time_command(argv, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return times


def main(quick: bool = False) -> None:
    import axelrod as axl
    import numpy as np

    import dilemma
    from dilemma.repeated.tournament import round_robin

    R, S, T, P = rstp()
    cmd = [sys.executable, "-m", "dilemma.cli", "tournament", str(PRESET), "--strategies", ",".join(OURS),
           "--rounds", str(TURNS), "--repetitions", str(REPS), "--seed", "1", "--self-play", "--json"]
    time_command(cmd, 1)                                              # warm the .pyc cache
    ours_cmd = time_command(cmd, 3 if quick else 7)

    t = time.perf_counter()
    round_robin(np.array([[[P, P], [T, S]], [[S, T], [R, R]]]), OURS, rounds=TURNS, repetitions=REPS, seed=1,
                self_play=True)
    ours_inproc = time.perf_counter() - t

    def axl_play():
        players = [getattr(axl, n)() for n in AXL]
        tour = axl.Tournament(players, turns=TURNS, repetitions=REPS, game=axl.Game(R, S, T, P), seed=1)
        t0 = time.perf_counter()
        tour.play(processes=1, progress_bar=False)
        return time.perf_counter() - t0

    axl_inproc = [axl_play() for _ in range(1 if quick else 3)]
    script = ("import axelrod as axl; players=[getattr(axl, n)() for n in %r]; "
              "axl.Tournament(players, turns=%d, repetitions=%d, game=axl.Game(%r, %r, %r, %r), seed=1)"
              ".play(processes=1, progress_bar=False)" % (AXL, TURNS, REPS, float(R), float(S), float(T), float(P)))
    axl_cmd = time_command([sys.executable, "-c", script], 1 if quick else 2)

    med = statistics.median
    print(f"dilemma {dilemma.__version__}, axelrod {axl.__version__}, numpy {np.__version__}, "
          f"python {sys.version.split()[0]}")
    print(f"game R, S, T, P = {R:.2f}, {S:.2f}, {T:.2f}, {P:.2f}; 8 strategies, {TURNS} turns, {REPS} repetitions, "
          "self-play (36 matches per repetition)")
    print(f"dilemma tournament (whole command)   median {med(ours_cmd):.3f} s  (min {min(ours_cmd):.3f})")
    print(f"dilemma round_robin (in process)      {ours_inproc:.3f} s")
    print(f"axelrod Tournament.play (in process)  median {med(axl_inproc):.3f} s")
    print(f"axelrod whole command (import + play) median {med(axl_cmd):.3f} s")
    print(f"ratio, command vs command:            {med(axl_cmd) / med(ours_cmd):.1f}x")
    print(f"ratio, our command vs axelrod play(): {med(axl_inproc) / med(ours_cmd):.1f}x")
    print(f"ratio, in process vs in process:      {med(axl_inproc) / ours_inproc:.1f}x")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
