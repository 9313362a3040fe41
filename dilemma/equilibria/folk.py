r"""Grim trigger: the discount factor that sustains "everyone cuts".

In the repeated game each firm compares cutting forever with spending once and
being punished by everyone spending forever after (grim trigger). With
:math:`T_i` the payoff of spending alone (all others cut), :math:`R_i` of all
cutting and :math:`P_i` of all spending, restraint survives when

.. math:: \frac{R_i}{1-\delta} \ge T_i + \frac{\delta P_i}{1-\delta}
          \iff \delta \ge \delta^*_i = \frac{T_i - R_i}{T_i - P_i}.

Edge cases: if :math:`T_i \le R_i` the firm gains nothing by spending alone,
so restraint is self-enforcing and :math:`\delta^*_i = 0`; otherwise, if
:math:`R_i \le P_i`, the punishment is no punishment (all-spend is at least as
good as all-cut) and no discount factor sustains restraint:
:math:`\delta^*_i = \infty`. With heterogeneous firms the binding threshold is
the largest :math:`\delta^*_i`.

A management horizon of :math:`H` years and a discount rate :math:`r` give
:math:`\delta = e^{-(r + 1/H)}` (MODEL.md); :func:`delta_to_horizon` inverts it.

Examples
--------
Microsoft's T, R, P from MODEL.md's check (28.5, 17.9, 0.0):

>>> round(grim_trigger_threshold(28.5, 17.9, 0.0), 3)
0.372
>>> round(horizon_to_delta(10, 0.09), 4)
0.827
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import spend_cut_game
from dilemma.errors import ParameterError

__all__ = ["grim_trigger_threshold", "critical_discount_factor", "CriticalDiscount",
           "stage_payoffs", "horizon_to_delta", "delta_to_horizon"]


def grim_trigger_threshold(T: float, R: float, P: float) -> float:
    """``(T - R) / (T - P)`` with the edge cases of the module docstring."""
    if T <= R:
        return 0.0
    if R <= P:
        return math.inf
    return (T - R) / (T - P)


def stage_payoffs(payoffs, actions=None, spend=None) -> dict[str, np.ndarray]:
    """``T, R, P, S`` of every player of a two-action game.

    ``T``: spend while all others cut; ``R``: all cut; ``P``: all spend;
    ``S``: cut while all others spend. Arrays of shape ``(N,)``.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], dtype=float)  # 0=Spend
    >>> {k: v.tolist() for k, v in stage_payoffs(pd).items()}
    {'T': [5.0, 5.0], 'R': [3.0, 3.0], 'P': [1.0, 1.0], 'S': [0.0, 0.0]}
    """
    p, roles = spend_cut_game(payoffs, actions, spend)
    shape = p.shape[:-1]
    n = len(shape)
    all_spend = tuple(r[0] for r in roles)
    all_cut = tuple(r[1] for r in roles)
    out = {k: np.empty(n) for k in "TRPS"}
    for i in range(n):
        t = list(all_cut)
        t[i] = roles[i][0]
        s = list(all_spend)
        s[i] = roles[i][1]
        out["T"][i] = p[tuple(t) + (i,)]
        out["R"][i] = p[all_cut + (i,)]
        out["P"][i] = p[all_spend + (i,)]
        out["S"][i] = p[tuple(s) + (i,)]
    return out


@dataclass
class CriticalDiscount:
    """Grim-trigger thresholds.

    Attributes
    ----------
    thresholds : numpy.ndarray, shape (N,)
        ``delta*_i`` per player (0 = restraint self-enforcing, inf = never).
    binding : float
        The largest threshold: restraint by all survives iff ``delta >= binding``.
    binding_player : int
        Index of the player with the largest threshold.
    T, R, P, S : numpy.ndarray
        Stage payoffs per player (see :func:`stage_payoffs`).
    reasons : list of str
        One plain-language line per player whose threshold is an edge case.
    """

    thresholds: np.ndarray
    binding: float
    binding_player: int
    T: np.ndarray
    R: np.ndarray
    P: np.ndarray
    S: np.ndarray
    reasons: list = field(default_factory=list)

    @property
    def sustainable(self) -> bool:
        """Whether some discount factor below 1 sustains restraint by all."""
        return bool(self.binding < 1)

    def horizon(self, r: float) -> float:
        """Management horizon (years) needed at discount rate ``r``."""
        return delta_to_horizon(self.binding, r) if math.isfinite(self.binding) else math.inf


def critical_discount_factor(payoffs, actions=None, spend=None,
                             players=None) -> CriticalDiscount:
    """Per-player grim-trigger thresholds and the binding one.

    Parameters
    ----------
    payoffs : array_like, shape (2, ..., 2, N)
    actions : sequence of sequence of str, optional
        Action names; the one named "Spend" (else the one not named "Cut") is
        Spend. Default: action 0 is Spend.
    spend : int or sequence of int, optional
        Spend action index (overrides names).
    players : sequence of str, optional
        Names used in the reasons.

    Returns
    -------
    CriticalDiscount

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], dtype=float)  # 0=Spend
    >>> float(critical_discount_factor(pd).binding)
    0.5
    """
    tab = stage_payoffs(payoffs, actions, spend)
    n = len(tab["T"])
    names = list(players) if players is not None else [f"Player {k + 1}" for k in range(n)]
    th = np.array([grim_trigger_threshold(t, r, pp)
                   for t, r, pp in zip(tab["T"], tab["R"], tab["P"])])
    reasons = []
    for i in range(n):
        if tab["T"][i] <= tab["R"][i]:
            reasons.append(f"{names[i]}: spending alone (T={tab['T'][i]:.4g}) does not beat "
                           f"all cutting (R={tab['R'][i]:.4g}); restraint is self-enforcing")
        elif tab["R"][i] <= tab["P"][i]:
            reasons.append(f"{names[i]}: all cutting (R={tab['R'][i]:.4g}) is no better than "
                           f"all spending (P={tab['P'][i]:.4g}); no discount factor sustains "
                           "restraint")
    k = int(np.argmax(th))
    return CriticalDiscount(th, float(th[k]), k, tab["T"], tab["R"], tab["P"], tab["S"],
                            reasons)


def horizon_to_delta(H: float, r: float) -> float:
    """Discount factor ``exp(-(r + 1/H))`` of a horizon ``H`` (years) and rate ``r``.

    Raises
    ------
    ParameterError
        If ``H`` is not ``> 0`` or ``r`` is not finite and ``>= 0``.
    """
    H, r = float(H), float(r)
    if not H > 0:
        raise ParameterError("H", "a horizon in years > 0 (inf allowed)", H)
    if not math.isfinite(r) or r < 0:
        raise ParameterError("r", "a finite discount rate >= 0 (e.g. 0.09)", r)
    return math.exp(-(r + 1.0 / H))


def delta_to_horizon(delta: float, r: float) -> float:
    """Horizon ``H`` (years) with ``exp(-(r + 1/H)) = delta``.

    Returns ``inf`` when even an infinite horizon is too short
    (``delta >= exp(-r)``) and ``0`` for ``delta = 0``.

    Examples
    --------
    >>> round(delta_to_horizon(horizon_to_delta(7.5, 0.09), 0.09), 9)
    7.5
    """
    delta, r = float(delta), float(r)
    if not 0 <= delta <= 1:
        raise ParameterError("delta", "a discount factor in [0, 1]", delta)
    if not math.isfinite(r) or r < 0:
        raise ParameterError("r", "a finite discount rate >= 0 (e.g. 0.09)", r)
    if delta == 0:
        return 0.0
    x = -math.log(delta) - r
    return math.inf if x <= 0 else 1.0 / x
