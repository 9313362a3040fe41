r"""Monte Carlo of the state-carrying engine: many seeded runs, percentile bands.

Runs are simulated in chunks of ``chunk`` runs (state arrays ``(chunk,
firms)``; chunks keep the working set in cache), each chunk with its own
child of ``SeedSequence(seed)``, so a seed and a chunk size reproduce every
run exactly. For every firm, year and state variable the result holds the
mean and the percentiles (default 5 / 25 / 50 / 75 / 95) over runs, the
share of runs spending and in each rating tier, and per year the share of
runs in which the bubble has burst.

Examples
--------
>>> from dilemma.scenario import load_preset
>>> mc = monte_carlo(load_preset("2025-baseline"), years=5, runs=500, seed=3)
>>> mc.bands["cash"].shape          # (percentiles, years, firms)
(5, 5, 5)
>>> bool(0 <= mc.burst_share[-1] <= 1)
True
>>> sorted(mc.frame.columns)[:4]
['mean', 'p25', 'p5', 'p50']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ._batch import check_noise, check_rounds, seed_sequence
from .engine import PERCENTILES
from .state import RATINGS, VARIABLES, _Kernel, _model_inputs, _resolve

__all__ = ["monte_carlo", "MonteCarloResult", "BAND_VARIABLES", "DEFAULT_BANDS"]

#: Variables that can be summarised in percentile bands (rating is summarised as tier shares).
BAND_VARIABLES = tuple(v for v in VARIABLES if v != "rating")
#: Banded by default: the state variables and the payoff (flows ``ai_income``/``capex`` on request).
DEFAULT_BANDS = ("cash", "debt", "leases", "capacity", "market_value", "net_leverage", "payoff")


@dataclass
class MonteCarloResult:
    """Outcome of :func:`monte_carlo`.

    Attributes
    ----------
    players, strategies : list of str
    percentiles : tuple of float
    bands : dict of str to ndarray, shape ``(len(percentiles), years, firms)``
    means : dict of str to ndarray, shape ``(years, firms)``
    share_spending : ndarray, shape ``(years, firms)``
    rating_shares : ndarray, shape ``(years, firms, 4)``
        Share of runs in AA, A, BBB, BB at the end of each year.
    burst_share : ndarray, shape ``(years,)``
        Share of runs in which the bubble has burst by the end of each year.
    world_bands : dict of str to ndarray, shape ``(len(percentiles), years)``
        ``profit_pool``, ``absorbed_capex``, ``stranded``.
    runs, years : int
    """

    players: list
    strategies: list
    percentiles: tuple
    bands: dict
    means: dict
    share_spending: np.ndarray
    rating_shares: np.ndarray
    burst_share: np.ndarray
    world_bands: dict
    runs: int
    years: int
    seed_entropy: int | None = None

    @property
    def frame(self):
        """Tidy bands: one row per variable, firm and year; columns ``mean, p5 .. p95``."""
        import pandas as pd

        rows = []
        years, n = self.share_spending.shape
        t, p = np.meshgrid(np.arange(years), np.arange(n), indexing="ij")
        names = np.array(self.players, dtype=object)[p.ravel()]
        for var, q in self.bands.items():
            d = {"variable": var, "player": names, "year": t.ravel(), "mean": self.means[var].ravel()}
            for k, pc in enumerate(self.percentiles):
                d[f"p{pc:g}"] = q[k].ravel()
            rows.append(pd.DataFrame(d))
        return pd.concat(rows, ignore_index=True)

    @property
    def summary_frame(self):
        """Per firm and year: share spending and share in each rating tier; plus burst share."""
        import pandas as pd

        years, n = self.share_spending.shape
        t, p = np.meshgrid(np.arange(years), np.arange(n), indexing="ij")
        d = {"player": np.array(self.players, dtype=object)[p.ravel()], "year": t.ravel(),
             "share_spending": self.share_spending.ravel(), "burst_share": np.repeat(self.burst_share, n)}
        for k, r in enumerate(RATINGS):
            d[f"share_{r}"] = self.rating_shares[..., k].ravel()
        return pd.DataFrame(d)

    @property
    def world_frame(self):
        """Per year: burst share and bands of the profit pool, absorbed capex and stranded SPV debt."""
        import pandas as pd

        rows = []
        for var, q in self.world_bands.items():
            d = {"variable": var, "year": np.arange(self.years)}
            for k, pc in enumerate(self.percentiles):
                d[f"p{pc:g}"] = q[k]
            rows.append(pd.DataFrame(d))
        out = pd.concat(rows, ignore_index=True)
        return out


def monte_carlo(scenario, strategies="always-spend", years: int = 10, runs: int = 1000, seed=None,
                noise: float = 0.0, percentiles=PERCENTILES, chunk: int = 8192,
                variables=DEFAULT_BANDS) -> MonteCarloResult:
    """Many seeded runs of :func:`~dilemma.repeated.state.simulate_state`, summarised.

    Parameters
    ----------
    scenario : Scenario
        A model scenario.
    strategies : str or sequence
        One strategy per firm, or one name for all.
    years, runs : int
        Horizon and number of runs (>= 1).
    seed : None, int or Generator
    noise : float
        Probability that an intended action flips.
    percentiles : sequence of float
        Percentiles in [0, 100] for the bands.
    chunk : int
        Runs simulated together (memory/cache trade-off; part of the seed's meaning).
    variables : sequence of str
        Per-firm variables to band (default :data:`DEFAULT_BANDS`; any of
        :data:`BAND_VARIABLES`). Only these are recorded, so fewer is faster.

    Returns
    -------
    MonteCarloResult
    """
    years = check_rounds(years, "years", 1000)
    runs = check_rounds(runs, "runs", 100_000_000)
    chunk = check_rounds(chunk, "chunk", 10_000_000)
    noise = check_noise(noise)
    pcts = tuple(float(p) for p in np.atleast_1d(percentiles))
    if not pcts or any(not 0 <= p <= 100 for p in pcts):
        raise ParameterError("percentiles", "numbers between 0 and 100", percentiles)
    variables = tuple(variables)
    bad = [v for v in variables if v not in BAND_VARIABLES]
    if bad:
        raise ParameterError("variables", "names from " + ", ".join(BAND_VARIABLES), bad)
    players, _, _ = _model_inputs(scenario)
    n = len(players)
    strats = _resolve(strategies, n)
    record = variables + ("rating",)
    kern = _Kernel(scenario, strats, years, noise, record=record)
    kern.record_ledger = False
    ss = seed_sequence(seed)
    n_chunks = -(-runs // chunk)
    seeds = ss.spawn(n_chunks)

    store = {v: np.empty((years, runs, n), dtype=np.float32) for v in variables}
    spend_count = np.zeros((years, n))
    rating_count = np.zeros((years, n, len(RATINGS)))
    world_store = {k: np.empty((years, runs), dtype=np.float32) for k in ("profit_pool", "absorbed_capex", "stranded")}
    burst_count = np.zeros(years)
    for c in range(n_chunks):
        lo, hi = c * chunk, min(runs, (c + 1) * chunk)
        out = {v: store[v][:, lo:hi] for v in variables}
        out.update({k: world_store[k][:, lo:hi] for k in world_store})
        rec, world, _ = kern.run(hi - lo, seeds[c], out=out)
        spend_count += rec["spend"].sum(axis=1)
        r = rec["rating"]
        for k in range(len(RATINGS)):
            rating_count[..., k] += (r == k).sum(axis=1)
        burst_count += world["burst"].sum(axis=1)

    bands, means = {}, {}
    for v in variables:
        a = store.pop(v)
        means[v] = a.mean(axis=1, dtype=np.float64)
        bands[v] = _percentiles(a, pcts)
    world_bands = {k: _percentiles(world_store[k], pcts) for k in world_store}
    return MonteCarloResult(
        players=players, strategies=[s.name for s in strats], percentiles=pcts, bands=bands, means=means,
        share_spending=spend_count / runs, rating_shares=rating_count / runs, burst_share=burst_count / runs,
        world_bands=world_bands, runs=runs, years=years,
        seed_entropy=ss.entropy if isinstance(ss.entropy, int) else None)


def _percentiles(a: np.ndarray, pcts) -> np.ndarray:
    """Percentiles over axis 1 (runs) of ``(years, runs[, firms])``, in float64.

    Partitions ``a`` in place (``overwrite_input``): callers pass arrays they no longer need.
    """
    q = np.percentile(a, pcts, axis=1, overwrite_input=True)
    return q.astype(np.float64)
