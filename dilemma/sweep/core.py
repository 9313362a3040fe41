"""The deterministic sweep: one row of game analysis per grid point.

The payoff engine evaluates a whole block of grid points in one call
(:func:`dilemma.payoffs.payoff_tables`), and the solvers of
:mod:`dilemma.equilibria` -- the same functions that analyse one game, called
on the block as a leading batch axis -- solve every game of the block with
array operations: pure equilibria, social optimum, game type, grim-trigger
threshold, symmetry and symmetric mixed equilibria. Blocks bound the memory
(about :data:`BLOCK_ELEMENTS` payoff numbers each, so a 100 x 100 grid of five
firms is a single block).
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from ..equilibria.classify import TYPES, type_codes
from ..equilibria.efficiency import (anarchy_ratio, social_optimum_mask, welfare,
                                     worst_equilibrium_welfare)
from ..equilibria.grim import critical_discount_factor
from ..equilibria.pure import pure_equilibrium_mask
from ..equilibria.symmetric import is_symmetric, schelling_delta, symmetric_mixed_roots
from ..payoffs import ACTIONS, payoff_tables
from .labels import EVERY_PROFILE, NONE_PURE, SEP, mask_labels

__all__ = ["analyse_points", "ANALYSIS_COLUMNS", "BLOCK_ELEMENTS"]

#: Payoff numbers (points x profiles x firms) evaluated per block.
BLOCK_ELEMENTS = 1 << 21

#: Columns the deterministic analysis adds after the swept parameters.
ANALYSIS_COLUMNS = (
    "game_type",
    "equilibria",
    "n_equilibria",
    "social_optimum",
    "welfare_optimum",
    "welfare_equilibrium",
    "welfare_gap",
    "price_of_anarchy",
    "critical_delta",
    "binding_firm",
)


def block_size(n_players: int) -> int:
    """Grid points per block for games of ``n_players`` firms."""
    return max(1, BLOCK_ELEMENTS // ((2 ** n_players) * n_players))


def analyse_block(scenario, points: Mapping[str, np.ndarray], tol: float = 1e-9) -> dict[str, np.ndarray]:
    """Analyse the games at a block of grid points (flat 1-d columns of equal length)."""
    names = scenario.player_names
    n = len(names)
    P = payoff_tables(scenario, dict(points), keys=("payoff",))["payoff"]
    m = P.shape[0]
    actions = [ACTIONS] * n                       # Spend = 0, Cut = 1: the roles are named
    eq = pure_equilibrium_mask(P, tol)
    eq_flat = eq.reshape(m, -1)
    n_pure = eq_flat.sum(axis=1)
    W = welfare(P)
    opt_mask, w_opt = social_optimum_mask(P, tol, W)
    w_eq = worst_equilibrium_welfare(W, eq)
    cdf = critical_discount_factor(P, actions=actions, tol=tol)
    types = type_codes(P, actions=actions, tol=tol)

    # labels of the pure equilibria and the social optimum (one per distinct mask)
    eq_names, eq_inv = mask_labels(eq_flat, names)
    opt_names, opt_inv = mask_labels(opt_mask.reshape(m, -1), names)
    eq_label = np.array(eq_names, dtype=object)[eq_inv]
    every = eq_flat.all(axis=1)
    eq_label[every] = EVERY_PROFILE

    # symmetric games: interior symmetric mixed equilibria
    n_mixed = np.zeros(m, dtype=int)
    sym = is_symmetric(P, max(tol, 1e-9)) if n >= 2 else np.zeros(m, bool)
    if sym.any():
        rows = np.flatnonzero(sym)
        roots, _, _ = symmetric_mixed_roots(schelling_delta(P[rows]), tol)
        for r, found in zip(rows, roots):
            if found and not every[r]:
                mixed = SEP.join(f"mixed {p:.2f}" for p in found)
                eq_label[r] = f"{eq_label[r]}{SEP}{mixed}" if eq_label[r] else mixed
                n_mixed[r] = len(found)
    eq_label[eq_label == ""] = NONE_PURE

    binding_firm = np.array(names, dtype=object)[cdf.binding_player]
    return {
        "game_type": np.array(TYPES, dtype=object)[types],
        "equilibria": eq_label,
        "n_equilibria": n_pure + n_mixed,
        "social_optimum": np.array(opt_names, dtype=object)[opt_inv],
        "welfare_optimum": w_opt,
        "welfare_equilibrium": w_eq,
        "welfare_gap": w_opt - w_eq,
        "price_of_anarchy": anarchy_ratio(w_opt, w_eq),
        "critical_delta": cdf.binding,
        "binding_firm": binding_firm,
    }


def analyse_points(scenario, points: Mapping[str, np.ndarray], tol: float = 1e-9,
                   progress: Callable[[int, int], None] | None = None) -> dict[str, np.ndarray]:
    """Analyse every grid point, block by block; returns one column per analysis field."""
    total = len(next(iter(points.values()))) if points else 1
    size = block_size(scenario.n_players)
    parts = []
    for start in range(0, total, size):
        block = {k: v[start:start + size] for k, v in points.items()}
        parts.append(analyse_block(scenario, block, tol))
        if progress is not None:
            progress(min(start + size, total), total)
    if len(parts) == 1:
        return parts[0]
    return {k: np.concatenate([p[k] for p in parts]) for k in ANALYSIS_COLUMNS}
