"""N-player equilibrium enumeration: dilemma against Gambit's ``enumpoly_solve``.

Same games, same run, alternating repeats, medians of both sides. Gambit's time
to build its game object (``StrategicGame.from_arrays``) is measured apart from
its solve time. Our side is the public :func:`dilemma.equilibria.equilibria`
(iterated dominance, the support search, the best-response check and the
result objects), timed on the payoff array the scenario already built.

Run: ``python benchmarks/bench_nplayer.py [--repeats 15] [--corpus]``.
``--corpus`` also runs over every game with >= 3 players in pygambit's catalog
and every small game under ``pygambit/catalog_data`` (extensive games in their
strategic form) and prints agreement counts.
"""

from __future__ import annotations

import argparse
import glob
import os
import platform
import statistics
import subprocess
import time

import numpy as np
import pygambit as gbt

import dilemma
from dilemma.equilibria import equilibria

MISSION = [
    ("efficiency-shock", {}),
    ("2025-baseline", {"demand.profit_pool": 100}),
    ("cash-flows-delayed-2028", {"market.punishment": 0.001}),
    ("cash-flows-delayed-2028", {"market.punishment": 0, "demand.profit_pool": 150}),
]


def mission_games():
    out = []
    for name, upd in MISSION:
        s = dilemma.load_preset(name)
        if upd:
            s = s.with_values(upd)
        label = name + "".join(f", {k}={v:g}" for k, v in upd.items())
        out.append((label, s.build_game().payoffs))
    return out


def six_firm_game():
    """The 2025 baseline with a sixth firm (a copy of the last), profit pool 100."""
    s = dilemma.load_preset("2025-baseline")
    players = [p.to_dict() for p in s.players]
    extra = dict(players[-1])
    extra["name"] = extra.get("name", "firm") + " II"
    s = s.with_players(players + [extra]).with_values({"demand.profit_pool": 100})
    return "2025-baseline + a sixth firm, profit_pool=100", s.build_game().payoffs


def to_gambit(p):
    return gbt.StrategicGame.from_arrays(*[p[..., i] for i in range(p.shape[-1])])


def gambit_profiles(game, res):
    players = list(game.players)
    return [tuple(np.array([float(e[pl][s]) for s in game.get_strategies(pl)]) for pl in players)
            for e in res.equilibria]


def same_set(ours, theirs, atol=1e-6):
    def has(x, pool):
        return any(all(np.allclose(u, v, atol=atol) for u, v in zip(x, y)) for y in pool)
    return all(has(x, theirs) for x in ours) and all(has(y, ours) for y in theirs)


def time_pair(p, repeats):
    """Medians of wall time (build, Gambit solve, ours) and of CPU time (Gambit, ours).

    CPU time (``time.process_time``; both sides run in this process, single
    threaded) is the fairer figure when the machine is shared: it leaves out
    the time the process waits for a core.
    """
    t_build, t_g, t_o, c_g, c_o = [], [], [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        g = to_gambit(p)
        t1 = time.perf_counter()
        c1 = time.process_time()
        gr = gbt.nash.enumpoly_solve(g)
        c2 = time.process_time()
        t2 = time.perf_counter()
        ours = equilibria(p)
        t3 = time.perf_counter()
        c3 = time.process_time()
        t_build.append(t1 - t0)
        t_g.append(t2 - t1)
        t_o.append(t3 - t2)
        c_g.append(c2 - c1)
        c_o.append(c3 - c2)
    med = statistics.median
    return (med(t_build), med(t_g), med(t_o), ours, gambit_profiles(g, gr), med(c_g), med(c_o))


def corpus_games(max_profiles=4096):
    """(name, payoffs) for every catalog game with >= 3 players (strategic form)."""
    root = os.path.join(os.path.dirname(gbt.__file__), "catalog_data")
    out = []
    for path in sorted(glob.glob(root + "/**/*.nfg", recursive=True)
                       + glob.glob(root + "/**/*.efg", recursive=True)):
        try:
            g = gbt.read_nfg(path) if path.endswith(".nfg") else gbt.read_efg(path)
        except Exception:  # noqa: BLE001 - unreadable file
            continue
        if len(list(g.players)) < 3:
            continue
        arrays = g.to_arrays()
        p = np.stack([np.asarray(a, dtype=float) for a in arrays], axis=-1)
        if np.prod(p.shape[:-1]) > max_profiles:
            continue
        out.append((os.path.relpath(path, root), p))
    return out


def machine():
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return cpu, os.cpu_count(), load, commit


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--corpus", action="store_true")
    args = ap.parse_args(argv)
    cpu, ncpu, load, commit = machine()
    print(f"machine: {cpu}, {ncpu} cores; {load}; commit {commit}")
    print(f"pygambit {gbt.__version__}, numpy {np.__version__}, repeats {args.repeats}")
    print("| game | N | equilibria (ours / Gambit) | same set | Gambit build ms | "
          "Gambit enumpoly ms (wall / CPU) | ours ms (wall / CPU) | speed-up (wall / CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    tot = np.zeros(4)

    def row(label, p, r):
        tb, tg, to, ours, theirs, cg, co = r
        print(f"| {label} | {p.ndim - 1} | {len(ours)} / {len(theirs)} | "
              f"{same_set([e.strategy for e in ours], theirs)} | {tb * 1e3:.2f} | "
              f"{tg * 1e3:.1f} / {cg * 1e3:.1f} | {to * 1e3:.1f} / {co * 1e3:.1f} | "
              f"{tg / to:.1f}x / {cg / co:.1f}x |")
        return np.array([tg, to, cg, co])

    for label, p in mission_games():
        tot += row(label, p, time_pair(p, args.repeats))
    print(f"| **set of four** | | | | | {tot[0] * 1e3:.1f} / {tot[2] * 1e3:.1f} | "
          f"{tot[1] * 1e3:.1f} / {tot[3] * 1e3:.1f} | "
          f"**{tot[0] / tot[1]:.1f}x / {tot[2] / tot[3]:.1f}x** |")
    label, p = six_firm_game()
    row(label, p, time_pair(p, max(3, args.repeats // 3)))
    if args.corpus:
        print()
        print("| catalog game | shape | ours | Gambit | same set | every Gambit one found "
              "(listed or in a continuum) | ours not in Gambit (max regret) | exhaustive | "
              "continua | ours ms | Gambit ms |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        agree = covered = total = 0
        from dilemma.equilibria import regrets

        for name, p in corpus_games():
            t0 = time.perf_counter()
            res = equilibria(p)
            t1 = time.perf_counter()
            g = to_gambit(p)
            t2 = time.perf_counter()
            theirs = gambit_profiles(g, gbt.nash.enumpoly_solve(g))
            t3 = time.perf_counter()
            ours = [e.strategy for e in res]
            same = same_set(ours, theirs)

            def found(t):
                return (any(all(np.allclose(u, v, atol=1e-6) for u, v in zip(t, o)) for o in ours)
                        or any(all(np.all(s >= lo - 1e-6) and np.all(s <= hi + 1e-6)
                                   for s, lo, hi in zip(t, c.lower, c.upper))
                               for c in res.continua))
            cov = all(found(t) for t in theirs)
            extra = [o for o in ours
                     if not any(all(np.allclose(u, v, atol=1e-6) for u, v in zip(t, o))
                                for t in theirs)]
            worst = max((float(regrets(p, o).max()) for o in extra), default=0.0)
            total += 1
            agree += same
            covered += cov
            print(f"| {name} | {p.shape[:-1]} | {len(res)} | {len(theirs)} | {same} | {cov} | "
                  f"{len(extra)} ({worst:.1g}) | {res.exhaustive} | {len(res.continua)} | "
                  f"{(t1 - t0) * 1e3:.1f} | {(t3 - t2) * 1e3:.1f} |")
        print(f"\nsame set as Gambit on {agree} of {total} catalog games; every Gambit "
              f"equilibrium found (listed or inside a reported continuum) on {covered} of {total}")


if __name__ == "__main__":
    main()
