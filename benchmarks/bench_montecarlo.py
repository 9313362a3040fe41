"""Benchmark: Monte Carlo of the 2025 baseline (5 firms) in firm-rounds per second.

Measures, on one core, in the same run:

* the whole :func:`dilemma.repeated.montecarlo.monte_carlo` call (simulation,
  recording, percentile bands of the 7 default variables);
* the simulation alone (``variables=()``: only ratings, spending and the
  world state are kept);
* the Axelrod library's per-turn throughput: one ``axelrod.Match`` of
  Tit For Tat against Random over many turns (turns/s; a turn is two
  player-rounds).

Run: ``python benchmarks/bench_montecarlo.py [--quick]``. Not a test.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(quick: bool = False) -> None:
    import numpy as np

    import dilemma
    from dilemma.repeated.montecarlo import monte_carlo
    from dilemma.scenario import load_preset

    sc = load_preset("2025-baseline")
    runs, years = (20_000, 20) if quick else (100_000, 20)
    firm_rounds = runs * years * sc.n_players
    monte_carlo(sc, "always-spend", years=2, runs=1000, seed=0)          # warm-up
    out = {}
    for label, kw in (("whole call, 7 banded variables", {}), ("simulation only (variables=())", {"variables": ()})):
        for strat in ("always-spend", "leverage-rule"):
            t = time.perf_counter()
            mc = monte_carlo(sc, strat, years=years, runs=runs, seed=1, **kw)
            dt = time.perf_counter() - t
            out[(label, strat)] = (dt, firm_rounds / dt, float(mc.burst_share[-1]))

    import axelrod as axl

    turns = 20_000 if quick else 100_000
    match = axl.Match((axl.TitForTat(), axl.Random()), turns=turns, seed=1)
    t = time.perf_counter()
    match.play()
    axl_dt = time.perf_counter() - t

    print(f"dilemma {dilemma.__version__}, axelrod {axl.__version__}, numpy {np.__version__}, "
          f"python {sys.version.split()[0]}")
    print(f"2025 baseline: {sc.n_players} firms x {years} years x {runs:,} runs = {firm_rounds:,} firm-rounds")
    for (label, strat), (dt, rate, burst) in out.items():
        print(f"  {label:34s} {strat:14s} {dt:6.2f} s  {rate / 1e6:6.2f} M firm-rounds/s  (burst share {burst:.2f})")
    print(f"axelrod Match TitForTat v Random: {turns:,} turns in {axl_dt:.2f} s = {turns / axl_dt:,.0f} turns/s "
          f"({2 * turns / axl_dt:,.0f} player-rounds/s)")
    best = max(rate for (_, _), (_, rate, _) in out.items())
    whole = min(rate for (label, _), (_, rate, _) in out.items() if label.startswith("whole"))
    print(f"speed-up vs axelrod player-rounds: {whole / (2 * turns / axl_dt):,.0f}x (whole call, slowest) to "
          f"{best / (2 * turns / axl_dt):,.0f}x (simulation only)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
