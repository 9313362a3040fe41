"""Benchmark: a 100 x 100 regime map in one batched sweep vs a per-point loop with Gambit.

The grid is the five-firm 2025 baseline over market punishment (0 to 3 %)
x profit pool (100 to 400 $B/yr): 10,000 games of 32 profiles each.

* **Batched**: :func:`dilemma.sweep.sweep` on the whole grid (payoffs of all
  points in one call of the payoff engine, then the solvers of
  :mod:`dilemma.equilibria` on the leading batch axis: pure equilibria, game
  type, social optimum, price of anarchy, critical discount factor, symmetric
  mixed equilibria, labels). Median of ``--repeat`` runs.
* **Loop**: for each grid point, ``Scenario.with_values`` + ``payoff_tables``
  for that one point + ``pygambit.StrategicGame.from_arrays`` + ``enumpure_solve``
  (pure equilibria only: the loop does *less* work per point than the sweep).
  nashpy is not used: it solves two-player games only, and the baseline has
  five firms. The loop is timed on a seeded random sample of ``--sample``
  grid points and **extrapolated** to the full grid (median time of a pass x
  points / sample); the script says so in its output.
* **Compare** (``--compare DIR``): the same batched sweep from another source
  tree (e.g. ``git archive`` of an earlier commit unpacked in ``DIR``), timed
  in fresh subprocesses that alternate with subprocesses timing this tree
  (``--rounds`` rounds of ``--repeat`` runs each): median against median,
  under the same machine load.

Both are measured in the same run. The sampled points' Gambit equilibria must
match the sweep's ``equilibria`` column; the script exits with status 1 if
they do not or if the speed-up is below 100x.

Run::

    python benchmarks/bench_sweep.py [--steps 100] [--sample 300] [--repeat 5] [--loop-repeat 3] [--seed 2025]
                                     [--compare DIR --rounds 4]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit

import numpy as np


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


_TIMER = """
import json, sys, timeit
import numpy as np
from dilemma import load_preset
from dilemma.sweep import sweep
steps, repeat = int(sys.argv[1]), int(sys.argv[2])
baseline = load_preset("2025-baseline")
axes = {"market.punishment": np.linspace(0.0, 0.03, steps),
        "demand.profit_pool": np.linspace(100.0, 400.0, steps)}
sweep(baseline, axes)
print(json.dumps(timeit.repeat(lambda: sweep(baseline, axes), number=1, repeat=repeat)))
"""


def _time_tree(tree: str, steps: int, repeat: int) -> list[float]:
    """Sweep timings of the source tree ``tree`` in a fresh interpreter (its ``dilemma`` first on the path)."""
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    out = subprocess.run([sys.executable, "-c", _TIMER, str(steps), str(repeat)], env=env, cwd=os.path.abspath(tree),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(other: str, steps: int, repeat: int, rounds: int) -> tuple[list[float], list[float]]:
    """Alternate subprocesses timing ``other`` and this tree; all timings of each side."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    theirs, ours = [], []
    for _ in range(rounds):
        theirs += _time_tree(other, steps, repeat)
        ours += _time_tree(here, steps, repeat)
    return theirs, ours


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100, help="values per axis (grid = steps x steps)")
    ap.add_argument("--sample", type=int, default=300, help="grid points timed in the Gambit loop")
    ap.add_argument("--repeat", type=int, default=5, help="repeats of the batched sweep (median is kept)")
    ap.add_argument("--loop-repeat", type=int, default=3, help="repeats of the sampled loop (median is kept)")
    ap.add_argument("--seed", type=int, default=2025, help="seed of the sample of grid points")
    ap.add_argument("--compare", metavar="DIR", help="another source tree to time the sweep of (before/after)")
    ap.add_argument("--rounds", type=int, default=4, help="alternating subprocess rounds for --compare")
    args = ap.parse_args(argv)

    import pygambit as gbt

    from dilemma import load_preset
    from dilemma.payoffs import payoff_tables
    from dilemma.sweep import grid_points, sweep
    from dilemma.sweep.labels import profile_label

    baseline = load_preset("2025-baseline")
    names = list(baseline.player_names)
    n = len(names)
    axes = {"market.punishment": np.linspace(0.0, 0.03, args.steps),
            "demand.profit_pool": np.linspace(100.0, 400.0, args.steps)}
    points = grid_points(axes)
    total = args.steps * args.steps

    # ---- batched -----------------------------------------------------------------
    frame = sweep(baseline, axes)                       # warm-up (imports, caches)
    t_sweep = statistics.median(timeit.repeat(lambda: sweep(baseline, axes), number=1, repeat=args.repeat))

    # ---- per-point loop with Gambit ---------------------------------------------------
    rng = np.random.default_rng(args.seed)
    sample = np.sort(rng.choice(total, size=min(args.sample, total), replace=False))

    def solve_point(k):
        s = baseline.with_values({p: float(points[p][k]) for p in axes})
        P = payoff_tables(s)["payoff"]
        g = gbt.StrategicGame.from_arrays(*[P[..., i] for i in range(n)])
        return g, gbt.nash.enumpure_solve(g).equilibria

    solve_point(int(sample[0]))                        # warm-up
    found = {}
    passes = []
    for _ in range(args.loop_repeat):
        t0 = time.perf_counter()
        for k in sample:
            found[int(k)] = solve_point(int(k))
        passes.append(time.perf_counter() - t0)
    t_loop_sample = statistics.median(passes)
    per_point = t_loop_sample / len(sample)
    t_loop = per_point * total

    # ---- the two agree on the sample ----------------------------------------------------
    mismatches = 0
    for k, (g, eqs) in found.items():
        profs = []
        for eq in eqs:   # eq[player]: (strategy label, probability) pairs
            acts = tuple(int(np.argmax([float(q) for _, q in eq[pl]])) for pl in g.players)
            profs.append(acts)
        gambit = sorted(profile_label([a == 0 for a in e], names) for e in profs)
        ours = sorted(x for x in frame["equilibria"].iloc[k].split(" | ")
                      if not x.startswith("mixed") and x != "none pure")
        if gambit != ours:               # same set (Gambit lists them in another order)
            mismatches += 1
            print(f"MISMATCH at grid point {k}: gambit {gambit}, sweep {frame['equilibria'].iloc[k]!r}")

    ratio = t_loop / t_sweep
    print(f"grid: {args.steps} x {args.steps} = {total:,} games of {n} firms (2025 baseline; "
          f"market.punishment 0..0.03 x demand.profit_pool 100..400)")
    print(f"batched sweep (all columns)       : {t_sweep * 1e3:10.1f} ms   (median of {args.repeat}; "
          f"{t_sweep / total * 1e6:.1f} us per point)")
    print(f"loop: with_values + payoffs + gambit enumpure_solve, timed on {len(sample)} sampled points "
          f"(median of {args.loop_repeat}): "
          f"{t_loop_sample * 1e3:.1f} ms = {per_point * 1e3:.3f} ms per point")
    if len(sample) < total:
        print(f"loop extrapolated to {total:,} points : {t_loop * 1e3:10.1f} ms   (EXTRAPOLATED from the sample)")
    else:
        print(f"loop over all {total:,} points      : {t_loop * 1e3:10.1f} ms   (measured, not extrapolated)")
    print(f"speed-up                          : {ratio:10.1f}x")
    print(f"agreement on the sample           : {len(sample) - mismatches}/{len(sample)} points with the same "
          f"pure equilibria")
    print(f"regimes on the grid               : {frame['game_type'].value_counts().to_dict()}")
    import pandas as pd

    print(f"date {_dt.date.today().isoformat()}; python {platform.python_version()}, numpy {np.__version__}, "
          f"pandas {pd.__version__}, pygambit {gbt.__version__}; {_cpu()}, {os.cpu_count()} logical CPUs, "
          f"{platform.system()} {platform.machine()}")
    if args.compare:
        theirs, ours = compare(args.compare, args.steps, args.repeat, args.rounds)
        mt, mo = statistics.median(theirs), statistics.median(ours)
        print(f"compare, {args.rounds} alternating rounds x {args.repeat} runs each, medians:")
        print(f"  {args.compare:<30}: {mt * 1e3:8.1f} ms  (runs: {', '.join(f'{t * 1e3:.0f}' for t in theirs)})")
        print(f"  {'this tree':<30}: {mo * 1e3:8.1f} ms  (runs: {', '.join(f'{t * 1e3:.0f}' for t in ours)})")
        print(f"  ratio this / other            : {mo / mt:8.2f}")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("command: python benchmarks/bench_sweep.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    if mismatches:
        print("FAIL: the sweep and Gambit disagree")
        return 1
    if ratio < 100:
        print("FAIL: less than 100x faster than the per-point loop")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
