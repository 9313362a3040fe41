r"""Welfare: Pareto efficiency, the social optimum and the price of anarchy.

*Welfare* of a profile is the sum of the players' payoffs (utilitarian). A pure
profile is *Pareto efficient* when no other pure profile gives every player at
least as much and someone strictly more. The *social optimum* is the set of
pure profiles of maximal welfare (a mixed profile never does better: welfare
is linear in each player's strategy).

**Price of anarchy.** The textbook ratio
:math:`\mathrm{PoA} = W(\text{optimum}) / W(\text{worst equilibrium})`
assumes positive welfare. Capex payoffs are often zero or negative (in the
2025 baseline the firms' payoffs sum to about −1 $B/yr when all spend), where
the ratio is meaningless or has the wrong sign. This module therefore reports

* ``gap = W(optimum) − W(worst equilibrium)`` (payoff units, always defined,
  ``>= 0``): the welfare lost to the dilemma, which is what users see;
* ``ratio = W(optimum) / W(worst equilibrium)`` only when both are strictly
  positive, else ``nan`` with a note saying why;
* the same for the *best* equilibrium (price of stability).

Equilibria are all those :func:`dilemma.equilibria.solve.equilibria` reports
(including mixed ones); pass ``equilibrium_welfare`` to use your own list.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> pareto_efficient_profiles(pd)
[(0, 0), (0, 1), (1, 0)]
>>> social_optimum(pd).profiles
[(0, 0)]
>>> poa = price_of_anarchy(pd)
>>> float(poa.ratio), float(poa.gap)
(3.0, 4.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, check_tol

__all__ = ["welfare", "pareto_efficient_profiles", "social_optimum", "SocialOptimum",
           "social_optimum_mask", "worst_equilibrium_welfare", "anarchy_ratio",
           "price_of_anarchy", "PriceOfAnarchy"]


def _total(p: np.ndarray) -> np.ndarray:
    """Sum over the last (player) axis, player by player, left to right.

    Several times faster than ``p.sum(axis=-1)`` on the short player axis of
    a large batch.
    """
    out = p[..., 0].copy()
    for i in range(1, p.shape[-1]):
        out += p[..., i]
    return out


def welfare(payoffs) -> np.ndarray:
    """Total payoff of every pure profile, shape ``(a_1, ..., a_N)`` (``(B..., a_1, ..., a_N)`` for a batch)."""
    return _total(as_payoffs(payoffs, batch=True))


def social_optimum_mask(payoffs, tol: float = 1e-9, W=None) -> tuple[np.ndarray, np.ndarray]:
    """Profiles within ``tol`` of the maximal welfare, and that welfare, for a game or a batch.

    Parameters
    ----------
    payoffs : array_like, shape (B..., a_1, ..., a_N, N)
    tol : float, default 1e-9
    W : ndarray, optional
        :func:`welfare` of ``payoffs`` if already computed.

    Returns
    -------
    mask : ndarray of bool, shape (B..., a_1, ..., a_N)
    best : ndarray, shape (B...)

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> mask, best = social_optimum_mask(np.stack([pd, 2 * pd]))
    >>> mask.astype(int).tolist(), best.tolist()
    ([[[1, 0], [0, 0]], [[1, 0], [0, 0]]], [6.0, 12.0])
    """
    p = as_payoffs(payoffs, batch=True)
    tol = check_tol(tol)
    W = _total(p) if W is None else W
    nb = p.ndim - 1 - p.shape[-1]
    flat = W.reshape(W.shape[:nb] + (-1,))
    best = flat.max(axis=-1)
    mask = flat >= best[..., None] - tol
    return mask.reshape(W.shape), best


def worst_equilibrium_welfare(W, eq_mask) -> np.ndarray:
    """Welfare of the worst of the marked equilibria of each game of a batch (``nan`` if none).

    ``W`` and ``eq_mask`` have shape ``(B, ...)`` (one game per row).
    """
    W = np.asarray(W, dtype=float)
    m = np.asarray(eq_mask, dtype=bool).reshape(W.shape[0], -1)
    worst = np.where(m, W.reshape(W.shape[0], -1), np.inf).min(axis=1)
    return np.where(np.isfinite(worst), worst, np.nan)


def anarchy_ratio(optimum, worst):
    """``optimum / worst`` where both are strictly positive, else ``nan`` (elementwise).

    The ratio of :func:`price_of_anarchy`: meaningless for zero or negative
    welfare (read the gap instead).

    >>> anarchy_ratio(np.array([6.0, 6.0]), np.array([2.0, -1.0])).tolist()
    [3.0, nan]
    """
    optimum = np.asarray(optimum, dtype=float)
    worst = np.asarray(worst, dtype=float)
    ok = (optimum > 0) & (worst > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(ok, optimum / np.where(ok, worst, 1.0), np.nan)
    return float(r) if r.ndim == 0 else r


def pareto_efficient_profiles(payoffs, tol: float = 1e-9) -> list[tuple[int, ...]]:
    """Pure profiles not Pareto-dominated by another pure profile.

    A profile is dominated when another gives every player at least as much
    (within ``tol``) and some player more than ``tol`` more. Profiles with
    identical payoff vectors are all kept. Sorted lexicographically.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    tol : float, default 1e-9

    Returns
    -------
    list of tuple of int
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    shape = p.shape[:-1]
    U = p.reshape(-1, p.shape[-1])
    order = np.argsort(-U.sum(axis=1), kind="stable")
    # a dominator has strictly larger welfare, so it comes earlier in ``order``;
    # keep a running front of efficient profiles (block-nested-loop skyline)
    front = np.empty((0, U.shape[1]))
    keep = []
    chunk = 256
    for start in range(0, len(order), chunk):
        idx = order[start:start + chunk]
        C = U[idx]
        dominated = np.zeros(len(idx), dtype=bool)
        if len(front):
            ge = np.all(front[None, :, :] >= C[:, None, :] - tol, axis=2)
            gt = np.any(front[None, :, :] > C[:, None, :] + tol, axis=2)
            dominated |= np.any(ge & gt, axis=1)
        ge = np.all(C[None, :, :] >= C[:, None, :] - tol, axis=2)
        gt = np.any(C[None, :, :] > C[:, None, :] + tol, axis=2)
        dominated |= np.any(ge & gt, axis=1)
        new = C[~dominated]
        keep.extend(idx[~dominated].tolist())
        front = np.vstack([front, new])
    profiles = [tuple(int(k) for k in np.unravel_index(f, shape)) for f in keep]
    return sorted(profiles)


@dataclass
class SocialOptimum:
    """Profiles of maximal total payoff and that total.

    Attributes
    ----------
    profiles : list of tuple of int
        All pure profiles within ``tol`` of the maximal welfare.
    welfare : float
        Maximal total payoff (payoff units).
    """

    profiles: list
    welfare: float


def social_optimum(payoffs, tol: float = 1e-9) -> SocialOptimum:
    """The welfare-maximising pure profile(s).

    Examples
    --------
    >>> import numpy as np
    >>> chicken = np.array([[[0, 0], [-1, 1]], [[1, -1], [-10, -10]]], dtype=float)
    >>> opt = social_optimum(chicken)
    >>> opt.profiles, opt.welfare
    ([(0, 0), (0, 1), (1, 0)], 0.0)
    """
    mask, best = social_optimum_mask(as_payoffs(payoffs), tol)
    profiles = [tuple(int(k) for k in r) for r in np.argwhere(mask)]
    return SocialOptimum(profiles, float(best))


@dataclass
class PriceOfAnarchy:
    """Welfare of the optimum against the equilibria.

    Attributes
    ----------
    optimum_welfare : float
    worst_equilibrium_welfare, best_equilibrium_welfare : float
        ``nan`` when no equilibrium is known.
    gap : float
        ``optimum_welfare - worst_equilibrium_welfare`` (``>= 0``).
    stability_gap : float
        ``optimum_welfare - best_equilibrium_welfare``.
    ratio : float
        ``optimum / worst`` if both are ``> 0``, else ``nan``.
    stability_ratio : float
        ``optimum / best`` if both are ``> 0``, else ``nan``.
    notes : list of str
    """

    optimum_welfare: float
    worst_equilibrium_welfare: float
    best_equilibrium_welfare: float
    gap: float
    stability_gap: float
    ratio: float
    stability_ratio: float
    notes: list = field(default_factory=list)


def _ratio(opt: float, eq: float, what: str, notes: list) -> float:
    if math.isnan(eq):
        return math.nan
    if opt > 0 and eq > 0:
        return anarchy_ratio(opt, eq)
    notes.append(f"{what} ratio undefined: it needs positive welfare at the optimum "
                 f"({opt:.4g}) and at the equilibrium ({eq:.4g}); use the gap instead")
    return math.nan


def price_of_anarchy(payoffs, equilibrium_welfare=None, tol: float = 1e-9,
                     exhaustive: bool = True) -> PriceOfAnarchy:
    """Price of anarchy and of stability, with the welfare gaps.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    equilibrium_welfare : sequence of float, optional
        Total payoffs of the equilibria to compare with; default: every
        equilibrium found by :func:`dilemma.equilibria.solve.equilibria`.
    tol : float, default 1e-9
    exhaustive : bool, default True
        Whether ``equilibrium_welfare`` covers every equilibrium; if not, a
        note says the worst equilibrium could be worse than reported.

    Returns
    -------
    PriceOfAnarchy

    Examples
    --------
    Negative welfare makes the ratio undefined but the gap still reads:

    >>> import numpy as np
    >>> g = np.array([[[1, 1], [-3, 2]], [[2, -3], [-1, -1]]], dtype=float)
    >>> poa = price_of_anarchy(g)
    >>> poa.gap, poa.ratio
    (4.0, nan)
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    opt = social_optimum(p, tol).welfare
    notes: list[str] = []
    if equilibrium_welfare is None:
        from dilemma.equilibria.solve import equilibria

        res = equilibria(p, tol=tol)
        ws = [float(np.sum(e.payoffs)) for e in res.equilibria]
        if not res.exhaustive:
            notes.append("the equilibrium list may be incomplete; the worst equilibrium "
                         "could be worse than reported")
    else:
        ws = [float(w) for w in np.atleast_1d(np.asarray(equilibrium_welfare, dtype=float))]
        if not exhaustive:
            notes.append("the equilibrium list may be incomplete; the worst equilibrium "
                         "could be worse than reported")
    if not ws:
        notes.append("no equilibrium known: price of anarchy undefined")
        worst = best = math.nan
    else:
        worst, best = min(ws), max(ws)
    ratio = _ratio(opt, worst, "price-of-anarchy", notes)
    sratio = _ratio(opt, best, "price-of-stability", notes) if ws else math.nan
    return PriceOfAnarchy(opt, worst, best, opt - worst, opt - best, ratio, sratio, notes)
