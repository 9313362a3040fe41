"""Benchmark: pure-equilibrium enumeration against pygambit's ``enumpure_solve``.

A random 16-player two-action game (65,536 profiles; seeded) is solved by
:func:`dilemma.equilibria.pure.pure_equilibria` and by Gambit. The Gambit game
is built outside the timing; each solver's time is the best of several
repeats (``timeit``). Both must return the same equilibria; ours must be at
least 10 times faster.

Run::

    python benchmarks/bench_pure.py [--players 16] [--repeat 5] [--seed 2025]
"""

from __future__ import annotations

import argparse
import platform
import sys
import timeit

import numpy as np


def random_game(n_players: int, seed: int) -> np.ndarray:
    """Integer payoffs in 0..9 (exact in Gambit's rationals), shape (2,)*N + (N,)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 10, size=(2,) * n_players + (n_players,)).astype(float)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args(argv)

    import pygambit as gbt

    from dilemma.equilibria.pure import pure_equilibria

    payoffs = random_game(args.players, args.seed)
    n = args.players
    ggame = gbt.Game.from_arrays(*[payoffs[..., i].astype(int) for i in range(n)])

    ours = pure_equilibria(payoffs)
    eqs = gbt.nash.enumpure_solve(ggame).equilibria
    theirs = sorted(tuple(int(np.argmax([float(eq[s]) for s in p.strategies]))
                          for p in ggame.players) for eq in eqs)
    if ours != theirs:
        print("MISMATCH between dilemma and gambit", ours, theirs)
        return 1

    t_ours = min(timeit.repeat(lambda: pure_equilibria(payoffs), number=1, repeat=args.repeat))
    t_gbt = min(timeit.repeat(lambda: gbt.nash.enumpure_solve(ggame), number=1,
                              repeat=args.repeat))
    ratio = t_gbt / t_ours
    print(f"game: {n} players x 2 actions = {2 ** n} profiles, seed {args.seed}, "
          f"{len(ours)} pure equilibria (both solvers agree)")
    print(f"dilemma pure_equilibria : {t_ours * 1e3:9.2f} ms (best of {args.repeat})")
    print(f"pygambit enumpure_solve : {t_gbt * 1e3:9.2f} ms (best of {args.repeat})")
    print(f"speed-up                : {ratio:9.1f}x")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"pygambit {gbt.__version__}, {platform.machine()} {platform.processor() or ''}".strip())
    if ratio < 10:
        print("FAIL: less than 10x faster than Gambit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
