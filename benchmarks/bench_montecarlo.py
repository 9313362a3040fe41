"""Benchmark: Monte Carlo throughput, and repeated play against Axelrod on the same work.

Two separate questions, each answered with medians of interleaved repeats in
one run (one core: BLAS threads pinned to 1):

1. **Same work as Axelrod.** Tit For Tat against Random (p = 0.5) on the
   classroom game, ``MATCHES`` independent matches of ``TURNS`` turns, every
   match with its own seed, and each match's total payoffs. Ours:
   ``dilemma.repeated.engine.play(game, ["tit-for-tat", "random"],
   rounds=TURNS, runs=MATCHES)`` (all matches at once) and its ``totals``.
   Axelrod: ``axl.Match((TitForTat(), Random()), turns=TURNS, game=...,
   seed=k).play()`` and ``final_score()`` for k = 1..MATCHES (a Random
   player is not cached, so every match is played).
2. **The state engine alone.** ``monte_carlo(load_preset("2025-baseline"),
   strategy, years=20, runs=100_000)`` (5 firms, a balance sheet each) in
   firm-rounds per second, as the whole call (simulate, record, band 7
   variables) and as the simulation only (``variables=()``). Axelrod has no
   N-player, state-carrying counterpart, so there is no ratio here: an
   earlier version of this script divided this rate by an Axelrod two-player
   match's turns per second, which compared different work.

Run: ``python benchmarks/bench_montecarlo.py [--quick]``. Not a test.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

TURNS = 200


def main(quick: bool = False) -> None:
    import axelrod as axl
    import numpy as np

    import dilemma
    from dilemma.payoffs import payoff_tables
    from dilemma.repeated.engine import play
    from dilemma.repeated.montecarlo import monte_carlo
    from dilemma.scenario import load_preset

    med = statistics.median
    matches = 100 if quick else 500
    repeat = 3 if quick else 5

    # ---- 1. same work: TFT v Random, many seeded matches -------------------------------
    pay = payoff_tables(load_preset("classroom-two-player"), keys=("payoff",))["payoff"]
    R, S, T, P = (float(pay[1, 1, 0]), float(pay[1, 0, 0]), float(pay[0, 1, 0]), float(pay[0, 0, 0]))
    game = axl.Game(R, S, T, P)

    def ours(seed):
        r = play(pay, ["tit-for-tat", "random"], rounds=TURNS, runs=matches, seed=seed)
        return r.totals

    def theirs(seed):
        out = np.empty((matches, 2))
        for k in range(matches):
            m = axl.Match((axl.TitForTat(), axl.Random()), turns=TURNS, game=game, seed=seed * matches + k)
            m.play()
            out[k] = m.final_score()
        return out

    ours(0)
    theirs(0)                                                      # warm-up
    t_ours, t_axl, mean_ours, mean_axl = [], [], [], []
    for rep in range(repeat):
        t = time.perf_counter()
        a = ours(rep + 1)
        t_ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = theirs(rep + 1)
        t_axl.append(time.perf_counter() - t)
        mean_ours.append(a.mean(axis=0) / TURNS)
        mean_axl.append(b.mean(axis=0) / TURNS)
    turns_total = matches * TURNS

    # ---- 2. the state engine on its own ------------------------------------------------------
    sc = load_preset("2025-baseline")
    runs, years = (20_000, 20) if quick else (100_000, 20)
    firm_rounds = runs * years * sc.n_players
    mc_repeat = 2 if quick else 3
    monte_carlo(sc, "always-spend", years=2, runs=1000, seed=0)          # warm-up
    cases = [(label, kw, strat) for label, kw in (("whole call, 7 banded variables", {}),
                                                   ("simulation only (variables=())", {"variables": ()}))
             for strat in ("always-spend", "leverage-rule")]
    mc_times = {c[0] + c[2]: [] for c in cases}
    burst = {}
    for rep in range(mc_repeat):                                        # interleaved repeats
        for label, kw, strat in cases:
            t = time.perf_counter()
            mc = monte_carlo(sc, strat, years=years, runs=runs, seed=1, **kw)
            mc_times[label + strat].append(time.perf_counter() - t)
            burst[label + strat] = float(mc.burst_share[-1])

    print(f"dilemma {dilemma.__version__}, axelrod {axl.__version__}, numpy {np.__version__}, "
          f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}")
    print(f"1. Tit For Tat v Random on the classroom game: {matches} matches x {TURNS} turns = {turns_total:,} "
          f"turns; medians of {repeat} interleaved repeats")
    mo, ma = med(t_ours), med(t_axl)
    print(f"   dilemma play(runs={matches})       median {mo:.4f} s (min {min(t_ours):.4f})  "
          f"{turns_total / mo:,.0f} turns/s")
    print(f"   axelrod Match.play() x {matches}    median {ma:.4f} s (min {min(t_axl):.4f})  "
          f"{turns_total / ma:,.0f} turns/s")
    print(f"   ratio (axelrod / dilemma): {ma / mo:.1f}x")
    print(f"   mean payoff per turn (TFT, Random): dilemma {np.mean(mean_ours, axis=0).round(3).tolist()}, "
          f"axelrod {np.mean(mean_axl, axis=0).round(3).tolist()}")
    print(f"2. monte_carlo, 2025 baseline: {sc.n_players} firms x {years} years x {runs:,} runs = "
          f"{firm_rounds:,} firm-rounds; medians of {mc_repeat} interleaved repeats")
    for label, _, strat in cases:
        dt = med(mc_times[label + strat])
        print(f"   {label:34s} {strat:14s} median {dt:6.2f} s (min {min(mc_times[label + strat]):.2f})  "
              f"{firm_rounds / dt / 1e6:6.2f} M firm-rounds/s  (burst share {burst[label + strat]:.2f})")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
