r"""The payoff engine: a model scenario becomes an N-player Spend/Cut game.

For firm *i* with planned capex :math:`K_i` choosing Spend or Cut
(all money in $B, flows per year):

.. math::

    X_i &= K_i \text{ (Spend)}, \quad (1-c) K_i \text{ (Cut)} \\
    Q &= Q_0 + \textstyle\sum_j X_j \\
    \Pi(Q) &= D\,Q/Q^* \text{ if } Q \le Q^*, \text{ else } D / (1 + \eta (Q/Q^* - 1)) \\
    \sigma_i &= w_i X_i^\alpha / (Q_0^\alpha + \textstyle\sum_j w_j X_j^\alpha) \\
    p &= \min(1, p_0 + p_1 \max(0, Q/Q^* - 1)) \\
    \mathrm{Rev}_i &= (1+r)^{-L} (1 - p h)\, \Pi(Q)\, \sigma_i \\
    E_i &= \max(0, X_i - \theta\,\mathrm{OCF}_i) \\
    r_{ext,i} &= r_f + s_0 + s_1 \max(0, (\mathrm{Debt}_i + E_i)/\mathrm{EBITDA}_i - \bar\ell) + \varphi \pi_{SPV} \\
    \mathrm{Capital}_i &= X_i / \mathrm{life} \\
    \mathrm{Financing}_i &= r_{int} \min(X_i, \theta\,\mathrm{OCF}_i) + r_{ext,i} E_i \\
    \mathrm{Burst}_i &= p (1 - s) \omega X_i \\
    \mathrm{Pun}_i &= \beta V_i (k_{-i}/(N-1))^\gamma \text{ if } i \text{ cuts (else 0)} \\
    \mathrm{Unb}_i &= \lambda \max(0, X_i - \max(0, \theta\,\mathrm{OCF}_i) - B_i/\mathrm{life})

and :math:`U_i = \mathrm{Rev}_i - \mathrm{Capital}_i - \mathrm{Financing}_i -
\mathrm{Burst}_i - \mathrm{Pun}_i - \mathrm{Unb}_i`, in $B of shareholder value per year.
The last term is the market's second reading of capex (2026): :math:`\lambda`
(``market.unbacked_markdown``, default 0) marks down each $B of capex beyond the
firm's *backing*, the part operating cash flow covers plus its contracted
backlog :math:`B_i` (RPO, firm field ``backlog``, default 0) spread over the
asset life. With :math:`\lambda = 0` every payoff is as before. Two
departures from ``MODEL.md``, both for robustness at extreme slider positions:
the cash-funded part uses :math:`\max(0, \theta\,\mathrm{OCF}_i)` (a firm with
negative operating cash flow funds nothing internally), and a firm with zero
capex and :math:`Q_0 = 0` everywhere gets a share of 0 rather than 0/0.

The engine is vectorised: :func:`stage_terms` broadcasts over action profiles
*and* over any leading grid of parameter values, so a regime map of thousands of
scenarios is one call. :func:`build_game` uses it for one scenario.

Examples
--------
>>> from dilemma import load_preset, build_game
>>> g = build_game(load_preset("2025-baseline"))
>>> g.pure_equilibria()
[(0, 0, 0, 0, 0)]
>>> round(float(g.payoffs[(0,) * 5].sum()), 1)   # all spend, summed over firms
-1.0
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from .parameters import FIRM_FIELDS, MARKET_PARAMS

__all__ = ["TERMS", "TERM_LABELS", "SPEND", "CUT", "stage_terms", "profiles", "build_game",
           "firm_arrays", "market_arrays", "payoff_tables"]

#: Payoff terms, in the order the breakdown lists them; they sum to the payoff.
TERMS = ("revenue", "capital_charge", "financing", "burst_loss", "punishment", "unbacked")
TERM_LABELS = {
    "revenue": "AI revenue (share of the profit pool)",
    "capital_charge": "Capital charge (depreciation)",
    "financing": "Financing cost (internal + external)",
    "burst_loss": "Expected burst write-down",
    "punishment": "Market punishment for cutting",
    "unbacked": "Market markdown of unbacked capex",
}
#: Action indices in every model game.
SPEND, CUT = 0, 1
ACTIONS = ("Spend", "Cut")

_KEYS = {p.path: p.key for p in MARKET_PARAMS}


def _rowsum(a, n: int) -> np.ndarray:
    """Sum over the last (firm) axis, keeping it: a matrix-vector product with ones.

    Several times faster than ``a.sum(axis=-1)`` on the short firm axis (the
    hot path of the Monte Carlo and of sweeps).
    """
    return (a @ np.ones(n))[..., None]


def _power(x, e):
    """``x ** e``, skipping the (costly) power when ``e`` is the scalar 1."""
    if e.size == 1 and float(e.flat[0]) == 1.0:
        return x
    return x ** e


def profiles(n: int) -> np.ndarray:
    """All 2^n Spend/Cut profiles as a boolean array ``spend[profile, firm]``.

    Rows follow C order over the payoff array of shape ``(2,)*n``: the last
    firm changes fastest, and index 0 (Spend) comes first.

    >>> profiles(2).astype(int).tolist()
    [[1, 1], [1, 0], [0, 1], [0, 0]]
    """
    idx = np.indices((2,) * n).reshape(n, -1).T
    return idx == SPEND


def firm_arrays(players) -> dict[str, np.ndarray]:
    """Firm fields as arrays of shape ``(N,)``, keyed by field name."""
    return {f.path: np.array([getattr(p, f.path) for p in players], dtype=float) for f in FIRM_FIELDS}


def market_arrays(values: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Market parameters keyed by their short name (``punishment``), as arrays."""
    return {_KEYS[k]: np.asarray(v, dtype=float) for k, v in values.items() if k in _KEYS}


def stage_terms(spend, firms: Mapping[str, np.ndarray], market: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One year's payoff terms for every firm, broadcast over profiles and grids.

    Parameters
    ----------
    spend : array_like of bool, shape ``(..., N)``
        True where a firm spends. The last axis is the firms.
    firms : mapping of str to array, each broadcastable to ``spend.shape``
        ``capex, ocf, debt, ebitda, market_value, edge`` ($B); ``backlog``
        is optional (0 when absent).
    market : mapping of str to array, each broadcastable to ``spend.shape[:-1]``
        Market parameters by short name (``punishment``, ``profit_pool`` ...);
        see :mod:`dilemma.parameters`. ``unbacked_markdown`` is optional (0
        when absent).

    Returns
    -------
    dict of str to ndarray
        ``capex`` (X), ``capacity`` (Q), ``burst_probability`` (p), the
        signed terms of :data:`TERMS` (costs negative) and ``payoff`` (their
        sum), each broadcast to the common shape ``(..., N)``.
    """
    spend = np.asarray(spend, dtype=bool)
    m = {k: np.asarray(v, dtype=float)[..., None] for k, v in market.items()}  # add firm axis
    K = np.asarray(firms["capex"], dtype=float)
    ocf = np.asarray(firms["ocf"], dtype=float)
    n = spend.shape[-1]

    X = np.where(spend, K, (1.0 - m["cut_depth"]) * K)
    q0 = m["outside_capex"]
    Q = q0 + _rowsum(X, n)
    qstar = m["absorbed_capex"]
    u = Q / qstar
    over = np.maximum(u - 1.0, 0.0)                      # overbuild, Q/Q* - 1 when positive
    # D*u below Q*, D/(1 + eta*overbuild) above it: one expression for both branches
    pool = m["profit_pool"] * np.minimum(u, 1.0) / (1.0 + m["price_war"] * over)
    alpha = m["winner_take_most"]
    weight = np.asarray(firms["edge"], dtype=float) * _power(X, alpha)
    denom = _power(q0, alpha) + _rowsum(weight, n)
    share = np.divide(weight, denom, out=np.zeros(np.broadcast_shapes(weight.shape, denom.shape)),
                      where=denom > 0)
    p = np.minimum(1.0, m["burst_base"] + m["burst_slope"] * over)
    delay = (1.0 + m["discount_rate"]) ** (-m["delay"])
    revenue = (delay * (1.0 - p * m["burst_loss"]) * pool) * share

    internal = np.maximum(0.0, m["ocf_share"] * ocf)
    gap = np.maximum(X - internal, 0.0)
    leverage = (np.asarray(firms["debt"], dtype=float) + gap) / np.asarray(firms["ebitda"], dtype=float)
    r_ext = (m["base_rate"] + m["base_spread"] + m["spv_share"] * m["spv_premium"]
             + m["spread_slope"] * np.maximum(leverage - m["leverage_threshold"], 0.0))
    capital = X / m["asset_life"]
    financing = m["internal_rate"] * np.minimum(X, internal) + r_ext * gap
    burst = (p * ((1.0 - m["salvage"]) * m["short_lived"])) * X
    others = _rowsum(spend, n) - spend
    pressure = _power(others / max(n - 1, 1), m["punishment_shape"])
    punishment = np.where(spend, 0.0, m["punishment"] * np.asarray(firms["market_value"], dtype=float) * pressure)
    # the market's second reading (2026): capex beyond what cash flow and backlog back
    lam = m.get("unbacked_markdown")
    if lam is None or (lam.size == 1 and float(lam.flat[0]) == 0.0):
        unbacked = 0.0  # a scalar keeps the hot path (Monte Carlo, sweeps) as fast as before
    else:
        backing = internal + np.asarray(firms.get("backlog", 0.0), dtype=float) / m["asset_life"]
        unbacked = lam * np.maximum(X - backing, 0.0)

    shape = np.broadcast_shapes(X.shape, revenue.shape)
    out = {
        "capex": np.broadcast_to(X, shape),
        "capacity": np.broadcast_to(Q, shape),
        "burst_probability": np.broadcast_to(p, shape),
        "leverage": np.broadcast_to(leverage, shape),
        "external_rate": np.broadcast_to(r_ext, shape),
        "revenue": np.broadcast_to(revenue, shape),
        "capital_charge": np.broadcast_to(-capital, shape),
        "financing": np.broadcast_to(-financing, shape),
        "burst_loss": np.broadcast_to(-burst, shape),
        "punishment": np.broadcast_to(-punishment, shape),
        "unbacked": np.broadcast_to(-unbacked, shape),
    }
    out["payoff"] = revenue - capital - financing - burst - punishment - unbacked
    if out["payoff"].shape != shape:
        out["payoff"] = np.broadcast_to(out["payoff"], shape)
    return out


def payoff_tables(scenario, grid: Mapping[str, np.ndarray] | None = None,
                  keys: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """Payoff terms of a model scenario for every profile, optionally over a grid.

    Parameters
    ----------
    scenario : Scenario
        A model scenario.
    grid : mapping of dotted path to array, optional
        Values to substitute, all broadcastable to one grid shape ``G`` (e.g.
        from :func:`numpy.meshgrid`). Paths are market-wide (``market.punishment``)
        or per firm (``players.Meta.capex``).
    keys : tuple of str, optional
        Only these outputs (e.g. ``("payoff",)``), which saves copying the
        others on large grids; default all of them.

    Returns
    -------
    dict of str to ndarray, each of shape ``G + (2,)*N + (N,)``
    """
    n = scenario.n_players
    firms = firm_arrays(scenario.players)
    market = market_arrays(scenario.values)
    grid = dict(grid or {})
    gshape = np.broadcast_shapes(*(np.shape(v) for v in grid.values())) if grid else ()
    names = list(scenario.player_names)
    for path, vals in grid.items():
        vals = np.broadcast_to(np.asarray(vals, dtype=float), gshape)
        if path in _KEYS:
            market[_KEYS[path]] = vals
        else:
            _, firm, key = path.split(".")
            i = names.index(firm)
            col = np.broadcast_to(firms[key], gshape + (n,)).copy()
            col[..., i] = vals
            firms[key] = col
    # grid axes then one axis per profile, then firms
    market = {k: np.broadcast_to(v, gshape).reshape(gshape + (1,)) for k, v in market.items()}
    firms = {k: (v.reshape(gshape + (1, n)) if v.ndim > 1 else v) for k, v in firms.items()}
    spend = profiles(n)
    terms = stage_terms(spend, firms, market)
    full = gshape + (2,) * n + (n,)
    return {k: np.ascontiguousarray(v).reshape(full) for k, v in terms.items() if keys is None or k in keys}


def build_game(scenario):
    """The :class:`~dilemma.game.Game` of a scenario.

    A model scenario goes through the payoff engine (actions ``Spend``, ``Cut``;
    the game's ``breakdown`` holds every term of :data:`TERMS` for every firm and
    profile); an explicit game is taken as written.
    """
    from .game import Game

    if scenario.kind == "game":
        g = scenario.game
        return Game.from_arrays(*g.payoff_arrays(), players=list(g.players),
                                actions=[list(a) for a in g.actions], title=scenario.title)
    tables = payoff_tables(scenario)
    n = scenario.n_players
    arrays = [tables["payoff"][..., i] for i in range(n)]
    breakdown = {t: tables[t] for t in TERMS}
    return Game.from_arrays(*arrays, players=list(scenario.player_names), actions=[list(ACTIONS)] * n,
                            title=scenario.title, breakdown=breakdown)
