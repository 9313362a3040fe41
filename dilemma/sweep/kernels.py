r"""Batched solvers: one Spend/Cut game per grid point, all points at once.

Every kernel takes a stack of games ``P`` of shape ``(M,) + (2,)*N + (N,)``
(``P[m, s_1, ..., s_N, i]`` is firm ``i``'s payoff at profile ``s`` of grid
point ``m``; action 0 = Spend, 1 = Cut, as :func:`dilemma.payoffs.payoff_tables`
lays them out) and returns one answer per point, with numpy operations over
the whole stack and no Python loop over points. Each kernel reproduces a
per-game solver of :mod:`dilemma.equilibria` exactly, ties and tolerances
included (``tests/test_sweep_kernels.py`` checks them point for point):

================================  =============================================
kernel                            per-game solver
================================  =============================================
:func:`pure_equilibrium_masks`    :func:`~dilemma.equilibria.pure.pure_equilibrium_mask`
:func:`game_types`                :func:`~dilemma.equilibria.classify.game_type`
:func:`social_optimum_masks`      :func:`~dilemma.equilibria.efficiency.social_optimum`
:func:`critical_deltas`           :func:`~dilemma.equilibria.folk.critical_discount_factor`
:func:`symmetric_masks`           :func:`~dilemma.equilibria.symmetric.is_symmetric`
:func:`symmetric_mixed_roots`     :func:`~dilemma.equilibria.symmetric.symmetric_mixed_equilibria`
================================  =============================================

**Pure equilibria.** Profile :math:`s` is an equilibrium when
:math:`u_i(s) \ge \max_a u_i(a, s_{-i}) - \mathrm{tol}` for every firm: the
maximum runs over firm :math:`i`'s own axis (axis ``1 + i`` of the stack).

**Game type** (Cut is the cooperative action). Two firms: each firm's
:math:`T, R, P, S` ordering, the game's type when both agree. Three or more:
with :math:`\Delta_i(s_{-i}) = u_i(\text{Spend}, s_{-i}) - u_i(\text{Cut}, s_{-i})`,
Spend strictly dominant for all gives a prisoner's dilemma (all-Cut strictly
better for every firm) or deadlock; Cut dominant gives harmony;
:math:`\Delta_i(\text{others cut}) < 0 < \Delta_i(\text{others spend})` for
all is a stag hunt, the reverse signs chicken; anything else is ``other``.

**Symmetric mixed equilibria.** For a symmetric game with Schelling gains
:math:`\Delta(j)` (:math:`j` others spend) the interior equilibria are the
roots :math:`p = t/(1+t)` of :math:`\sum_j \binom{N-1}{j}\Delta(j)\,t^j`:
the polynomials of all points are solved together as a stack of companion
matrices (one ``numpy.linalg.eigvals`` call per polynomial degree) and the
roots are polished together by Newton steps on the Bernstein form.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "pure_equilibrium_masks",
    "social_optimum_masks",
    "welfare",
    "worst_equilibrium_welfare",
    "price_of_anarchy_ratio",
    "game_types",
    "stage_trps",
    "critical_deltas",
    "symmetric_masks",
    "schelling_deltas",
    "symmetric_mixed_roots",
    "TYPES",
]

#: Game-type slugs, in the order of :data:`dilemma.equilibria.classify.TYPES`.
TYPES = ("prisoners-dilemma", "stag-hunt", "chicken", "harmony", "deadlock", "other")
_PD, _SH, _CH, _HA, _DL, _OT = range(6)

SPEND, CUT = 0, 1


def _n(P: np.ndarray) -> int:
    n = P.shape[-1]
    if P.ndim != n + 2 or P.shape[1:-1] != (2,) * n:
        raise ValueError(f"expected a stack of shape (M,) + (2,)*N + (N,), got {P.shape}")
    return n


def pure_equilibrium_masks(P: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Boolean ``(M,) + (2,)*N``: True at each point's pure Nash equilibria (ties count)."""
    n = _n(P)
    ok = np.ones(P.shape[:-1], dtype=bool)
    for i in range(n):
        pi = P[..., i]
        # two actions: the best deviation is the other action, i.e. the array flipped along
        # the firm's own axis; pi >= max(pi, flip) - tol is pi >= flip - tol (tol >= 0)
        ok &= pi >= np.flip(pi, axis=1 + i) - tol
    return ok


def welfare(P: np.ndarray) -> np.ndarray:
    """Total payoff of every profile, ``(M,) + (2,)*N``."""
    return P.sum(axis=-1)


def social_optimum_masks(P: np.ndarray, tol: float = 1e-9, W: np.ndarray | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Profiles within ``tol`` of the maximal welfare, and that welfare per point.

    ``W`` is :func:`welfare` of ``P`` if already computed.
    """
    W = (welfare(P) if W is None else W).reshape(P.shape[0], -1)
    best = W.max(axis=1)
    mask = W >= best[:, None] - tol
    return mask.reshape(P.shape[:-1]), best


def worst_equilibrium_welfare(P: np.ndarray, eq_mask: np.ndarray, W: np.ndarray | None = None) -> np.ndarray:
    """Welfare of the worst pure equilibrium per point (``nan`` if none)."""
    W = (welfare(P) if W is None else W).reshape(P.shape[0], -1)
    m = eq_mask.reshape(P.shape[0], -1)
    worst = np.where(m, W, np.inf).min(axis=1)
    return np.where(np.isfinite(worst), worst, np.nan)


def price_of_anarchy_ratio(optimum: np.ndarray, worst: np.ndarray) -> np.ndarray:
    """``optimum / worst`` where both are strictly positive, else ``nan``.

    As :func:`dilemma.equilibria.efficiency.price_of_anarchy`: the ratio is
    meaningless for zero or negative welfare (read the gap instead).
    """
    ok = (optimum > 0) & (worst > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, optimum / np.where(ok, worst, 1.0), np.nan)


def _own(P: np.ndarray, i: int, action: int) -> np.ndarray:
    """Firm ``i``'s payoffs with its own action fixed: ``(M,) + (2,)*(N-1)``."""
    return np.take(P[..., i], action, axis=1 + i)


def stage_trps(P: np.ndarray) -> dict[str, np.ndarray]:
    """``T, R, P, S`` of every firm at every point, each ``(M, N)``.

    ``T``: spend while all others cut; ``R``: all cut; ``P``: all spend;
    ``S``: cut while all others spend (:func:`dilemma.equilibria.folk.stage_payoffs`).
    """
    n = _n(P)
    M = P.shape[0]
    out = {k: np.empty((M, n)) for k in "TRPS"}
    all_cut = (CUT,) * n
    all_spend = (SPEND,) * n
    for i in range(n):
        t = list(all_cut)
        t[i] = SPEND
        s = list(all_spend)
        s[i] = CUT
        out["T"][:, i] = P[(slice(None),) + tuple(t) + (i,)]
        out["R"][:, i] = P[(slice(None),) + all_cut + (i,)]
        out["P"][:, i] = P[(slice(None),) + all_spend + (i,)]
        out["S"][:, i] = P[(slice(None),) + tuple(s) + (i,)]
    return out


def critical_deltas(P: np.ndarray, trps: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Grim-trigger thresholds per firm ``(M, N)`` and the binding (largest) one ``(M,)``.

    ``delta*_i = (T - R)/(T - P)``; 0 when ``T <= R`` (restraint self-enforcing),
    ``inf`` when ``R <= P`` (no punishment), as in :mod:`dilemma.equilibria.folk`.
    """
    tab = stage_trps(P) if trps is None else trps
    T, R, Pp = tab["T"], tab["R"], tab["P"]
    with np.errstate(divide="ignore", invalid="ignore"):
        th = np.where(T <= R, 0.0, np.where(R <= Pp, np.inf, (T - R) / (T - Pp)))
    return th, th.max(axis=1)


def _type_2x2(T, R, P, S, tol):
    gt = lambda a, b: a > b + tol  # noqa: E731
    ge = lambda a, b: a >= b - tol  # noqa: E731
    conds = [
        gt(T, R) & gt(R, P) & gt(P, S),
        gt(R, T) & ge(T, P) & gt(P, S),
        gt(T, R) & gt(R, S) & gt(S, P),
        gt(R, T) & gt(S, P),
        gt(T, P) & gt(P, R) & gt(R, S),
    ]
    return np.select(conds, [_PD, _SH, _CH, _HA, _DL], default=_OT)


def game_types(P: np.ndarray, tol: float = 1e-9, trps: dict | None = None) -> np.ndarray:
    """Type code per point (an index into :data:`TYPES`), shape ``(M,)``.

    Same rules and tolerances as :func:`dilemma.equilibria.classify.game_type`
    with actions named Spend (0) and Cut (1).
    """
    n = _n(P)
    M = P.shape[0]
    if n < 2:
        return np.full(M, _OT)
    if n == 2:
        tab = stage_trps(P) if trps is None else trps
        # with two players "all others cut" is the rival cutting: the 2x2 reading
        types = _type_2x2(tab["T"], tab["R"], tab["P"], tab["S"], tol)
        return np.where(types[:, 0] == types[:, 1], types[:, 0], _OT)
    spend_dom = np.ones(M, dtype=bool)
    cut_dom = np.ones(M, dtype=bool)
    stag = np.ones(M, dtype=bool)
    chick = np.ones(M, dtype=bool)
    others_cut = (slice(None),) + (CUT,) * (n - 1)
    others_spend = (slice(None),) + (SPEND,) * (n - 1)
    for i in range(n):
        delta = _own(P, i, SPEND) - _own(P, i, CUT)
        flat = delta.reshape(M, -1)
        spend_dom &= np.all(flat > tol, axis=1)
        cut_dom &= np.all(flat < -tol, axis=1)
        d0, dn = delta[others_cut], delta[others_spend]
        stag &= (d0 < -tol) & (dn > tol)
        chick &= (d0 > tol) & (dn < -tol)
    uc = P[(slice(None),) + (CUT,) * n]
    ud = P[(slice(None),) + (SPEND,) * n]
    pd = np.all(uc > ud + tol, axis=1)
    dl = np.all(ud >= uc - tol, axis=1)
    return np.select(
        [spend_dom & pd, spend_dom & dl, spend_dom, cut_dom, stag, chick],
        [_PD, _DL, _OT, _HA, _SH, _CH], default=_OT)


def symmetric_masks(P: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Whether each point's game is symmetric (invariant under relabelling firms)."""
    n = _n(P)
    M = P.shape[0]
    # necessary condition, part of the full check (swapping firms 0 and k leaves a
    # unanimous profile unchanged): equal payoffs when all spend and when all cut.
    # Heterogeneous firms fail it at once, so the full check runs on few points.
    ok = np.ones(M, dtype=bool)
    for prof in ((SPEND,) * n, (CUT,) * n):
        u = P[(slice(None),) + prof]
        ok &= np.all(np.abs(u[:, :1] - u[:, 1:]) <= tol, axis=1)
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return ok
    Q = P[rows]
    full = np.ones(len(rows), dtype=bool)
    for k in range(1, n):
        q = np.swapaxes(Q, 1, 1 + k)
        perm = list(range(n))
        perm[0], perm[k] = k, 0
        q = q[..., perm]
        full &= np.all(np.abs(Q - q).reshape(len(rows), -1) <= tol, axis=1)
    ok[rows] = full
    return ok


def schelling_deltas(P: np.ndarray) -> np.ndarray:
    """``Delta(j)``, ``j = 0..N-1``, of firm 0 per point: ``(M, N)``.

    Spend minus Cut when the first ``j`` of the other firms spend (meaningful
    for symmetric games; see :func:`dilemma.equilibria.symmetric.schelling_delta`).
    """
    n = _n(P)
    out = np.empty((P.shape[0], n))
    for j in range(n):
        others = (SPEND,) * j + (CUT,) * (n - 1 - j)
        out[:, j] = P[(slice(None), SPEND) + others + (0,)] - P[(slice(None), CUT) + others + (0,)]
    return out


def _bernstein(delta: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gain ``g(q)`` and its derivative for rows of ``delta`` ``(K, N)`` at ``q`` ``(K,)``."""
    n1 = delta.shape[1] - 1
    g = np.zeros_like(q)
    dg = np.zeros_like(q)
    one = 1.0 - q
    for j in range(n1 + 1):
        c = math.comb(n1, j) * delta[:, j]
        g = g + c * q**j * one ** (n1 - j)
        a = j * q ** (j - 1) * one ** (n1 - j) if j > 0 else 0.0
        b = (n1 - j) * q**j * one ** (n1 - j - 1) if j < n1 else 0.0
        dg = dg + c * (a - b)
    return g, dg


def symmetric_mixed_roots(delta: np.ndarray, tol: float = 1e-9) -> tuple[list[list[float]], np.ndarray]:
    """Every interior symmetric equilibrium ``0 < p < 1`` from the Schelling gains.

    Parameters
    ----------
    delta : ndarray, shape (K, N)
        ``Delta(j)`` of ``K`` symmetric games (rows of :func:`schelling_deltas`).
    tol : float
        ``|Delta(j)| <= tol`` for all ``j`` is indifference everywhere.

    Returns
    -------
    roots : list of K lists of float
        Probabilities of Spend, sorted (empty when none or when indifferent).
    indifferent : ndarray of bool, shape (K,)
        Every ``p`` is an equilibrium (``Delta`` identically zero).
    """
    delta = np.asarray(delta, dtype=float)
    K, n = delta.shape
    n1 = n - 1
    roots: list[list[float]] = [[] for _ in range(K)]
    indifferent = np.all(np.abs(delta) <= tol, axis=1)
    if n1 == 0 or K == 0:
        return roots, indifferent
    binom = np.array([math.comb(n1, j) for j in range(n)], dtype=float)
    coef = binom * delta
    scale = np.abs(coef).max(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    coef = coef / scale
    coef[np.abs(coef) <= 1e-14] = 0.0
    nz = coef != 0
    # effective length: last nonzero coefficient + 1
    length = np.where(nz.any(axis=1), n - np.argmax(nz[:, ::-1], axis=1), 0)
    # positive roots need a sign change among the coefficients (Descartes)
    pos = (coef > 0).any(axis=1)
    neg = (coef < 0).any(axis=1)
    todo = ~indifferent & pos & neg & (length >= 2)
    cand_row, cand_t = [], []
    for L in np.unique(length[todo]):
        rows = np.flatnonzero(todo & (length == L))
        c = coef[rows, :L]
        if L == 2:
            r = (-c[:, 0] / c[:, 1]).astype(complex)[:, None]
        else:
            d = L - 1  # degree
            # numpy.polynomial.polynomial.polycompanion, flipped as polyroots does
            mat = np.zeros((len(rows), d, d))
            idx = np.arange(d - 1)
            mat[:, idx + 1, idx] = 1.0
            mat[:, :, -1] -= c[:, :-1] / c[:, -1:]
            r = np.linalg.eigvals(mat[:, ::-1, ::-1])
            r = np.sort(r, axis=1)
        keep = (np.abs(r.imag) <= 1e-7 * (1 + np.abs(r))) & (r.real > 0)
        ri, rj = np.nonzero(keep)
        cand_row.append(rows[ri])
        cand_t.append(r.real[ri, rj])
    if not cand_row:
        return roots, indifferent
    row = np.concatenate(cand_row)
    t = np.concatenate(cand_t)
    order = np.argsort(row, kind="stable")  # group by game, keep root order within
    row, t = row[order], t[order]
    dl = delta[row]
    q = t / (1 + t)
    active = np.ones(len(q), dtype=bool)
    for _ in range(20):  # Newton polish on the Bernstein form
        if not active.any():
            break
        g, dg = _bernstein(dl, q)
        stop = active & (dg == 0)
        active &= ~stop
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(active, g / np.where(dg == 0, 1.0, dg), 0.0)
        q_new = q - step
        inside = (q_new > 0) & (q_new < 1)
        active &= inside
        q = np.where(active, q_new, q)
        active &= ~(np.abs(step) < 1e-15)
    g, _ = _bernstein(dl, q)
    limit = 1e-8 * np.maximum(1.0, np.abs(dl).max(axis=1))
    good = (q > 0) & (q < 1) & (np.abs(g) <= limit)
    for k in np.flatnonzero(good):
        found = roots[row[k]]
        if all(abs(q[k] - f) > 1e-9 for f in found):
            found.append(float(q[k]))
    for found in roots:
        found.sort()
    return roots, indifferent
