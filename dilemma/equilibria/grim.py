r"""Grim trigger: the discount factor that sustains "everyone cuts".

The one implementation of the grim-trigger threshold in the package.

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

Which action is Spend and which is Cut comes from
:func:`dilemma.equilibria.roles.resolve_roles` (names, or inferred from the
payoffs, never from the order of the actions). Every function here also takes
a leading batch of games, shape ``(B..., 2, ..., 2, N)``: the regime maps of
:mod:`dilemma.sweep` call them on a whole grid at once.

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

from dilemma.equilibria._arrays import batch_shape, spend_cut_game
from dilemma.equilibria.roles import Roles, orient
from dilemma.errors import ParameterError

__all__ = ["grim_trigger_threshold", "critical_discount_factor", "CriticalDiscount",
           "stage_payoffs", "horizon_to_delta", "delta_to_horizon"]


def grim_trigger_threshold(T, R, P):
    """``(T - R) / (T - P)`` with the edge cases of the module docstring, elementwise.

    Scalars give a float; arrays (any shape) give an array.

    Examples
    --------
    >>> grim_trigger_threshold(5, 3, 1), grim_trigger_threshold(2, 3, 1), grim_trigger_threshold(5, 1, 3)
    (0.5, 0.0, inf)
    >>> grim_trigger_threshold(np.array([5.0, 2.0]), 3.0, 1.0).tolist()
    [0.5, 0.0]
    """
    T, R, P = (np.asarray(x, dtype=float) for x in (T, R, P))
    with np.errstate(divide="ignore", invalid="ignore"):
        th = np.where(T <= R, 0.0, np.where(R <= P, np.inf, (T - R) / (T - P)))
    return float(th) if th.ndim == 0 else th


def _stage(o: np.ndarray) -> dict[str, np.ndarray]:
    """T, R, P, S of an oriented (Spend = 0, Cut = 1) stack: each ``(B..., N)``."""
    n = o.shape[-1]
    out = {k: np.empty(o.shape[:o.ndim - 1 - n] + (n,)) for k in "TRPS"}
    all_cut, all_spend = (1,) * n, (0,) * n
    for i in range(n):
        t, s = list(all_cut), list(all_spend)
        t[i], s[i] = 0, 1
        out["T"][..., i] = o[(Ellipsis,) + tuple(t) + (i,)]
        out["R"][..., i] = o[(Ellipsis,) + all_cut + (i,)]
        out["P"][..., i] = o[(Ellipsis,) + all_spend + (i,)]
        out["S"][..., i] = o[(Ellipsis,) + tuple(s) + (i,)]
    return out


def stage_payoffs(payoffs, actions=None, spend=None, tol: float = 1e-9) -> dict[str, np.ndarray]:
    """``T, R, P, S`` of every player of a two-action game (or of a batch of games).

    ``T``: spend while all others cut; ``R``: all cut; ``P``: all spend;
    ``S``: cut while all others spend. Arrays of shape ``(B..., N)``. Which
    action is Spend: :func:`dilemma.equilibria.roles.resolve_roles`.

    Raises
    ------
    ParameterError
        If some player does not have exactly two actions.
    RolesError
        If the roles are neither named nor given and cannot be inferred.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], dtype=float)  # 0=Spend
    >>> {k: v.tolist() for k, v in stage_payoffs(pd).items()}
    {'T': [5.0, 5.0], 'R': [3.0, 3.0], 'P': [1.0, 1.0], 'S': [0.0, 0.0]}
    """
    p, roles = spend_cut_game(payoffs, actions, spend, tol, batch=True)
    return _stage(orient(p, roles.spend))


@dataclass
class CriticalDiscount:
    """Grim-trigger thresholds.

    For a batch of games every array gains the leading batch axes
    (``binding`` and ``binding_player`` become arrays of the batch shape).

    Attributes
    ----------
    thresholds : numpy.ndarray, shape (N,)
        ``delta*_i`` per player (0 = restraint self-enforcing, inf = never).
    binding : float
        The largest threshold: restraint by all survives iff ``delta >= binding``.
    binding_player : int
        Index of the player with the largest threshold (the first on ties).
    T, R, P, S : numpy.ndarray
        Stage payoffs per player (see :func:`stage_payoffs`).
    reasons : list of str
        One plain-language line per player whose threshold is an edge case,
        and one saying so when the roles were inferred from the payoffs.
    roles : Roles
        Which action of each player was read as Spend and as Cut, and how.
    """

    thresholds: np.ndarray
    binding: float
    binding_player: int
    T: np.ndarray
    R: np.ndarray
    P: np.ndarray
    S: np.ndarray
    reasons: list = field(default_factory=list)
    roles: Roles | None = None

    @property
    def roles_inferred(self) -> bool:
        """Whether the Spend/Cut roles were inferred from the payoffs (not named)."""
        return bool(self.roles is not None and self.roles.inferred)

    @property
    def sustainable(self):
        """Whether some discount factor below 1 sustains restraint by all."""
        s = np.asarray(self.binding) < 1
        return bool(s) if s.ndim == 0 else s

    def horizon(self, r: float) -> float:
        """Management horizon (years) needed at discount rate ``r`` (one game)."""
        return delta_to_horizon(self.binding, r) if math.isfinite(self.binding) else math.inf


def critical_discount_factor(payoffs, actions=None, spend=None,
                             players=None, tol: float = 1e-9) -> CriticalDiscount:
    """Per-player grim-trigger thresholds and the binding one.

    Parameters
    ----------
    payoffs : array_like, shape (B..., 2, ..., 2, N)
        One game, or a leading batch of games (a ``Game`` too).
    actions : sequence of sequence of str, optional
        Action names; see :func:`dilemma.equilibria.roles.resolve_roles`
        (a ``Game``'s own names are used when omitted). Without names the
        roles are inferred from the payoffs, never taken from the order.
    spend : int or sequence of int, optional
        Spend action index (overrides names).
    players : sequence of str, optional
        Names used in the reasons.
    tol : float, default 1e-9
        Tie tolerance of the role inference.

    Returns
    -------
    CriticalDiscount

    Raises
    ------
    RolesError
        If the roles are neither named nor given and cannot be inferred.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], dtype=float)  # 0=Spend
    >>> float(critical_discount_factor(pd).binding)
    0.5
    >>> critical_discount_factor(pd).roles_inferred
    True
    """
    if players is None:
        players = getattr(payoffs, "players", None)
    p, roles = spend_cut_game(payoffs, actions, spend, tol, batch=True)
    tab = _stage(orient(p, roles.spend))
    th = grim_trigger_threshold(tab["T"], tab["R"], tab["P"])
    th = np.asarray(th, dtype=float)
    k = np.argmax(th, axis=-1)
    binding = np.take_along_axis(th, k[..., None], axis=-1)[..., 0]
    if batch_shape(p):
        return CriticalDiscount(th, binding, k, tab["T"], tab["R"], tab["P"], tab["S"], [], roles)
    n = p.shape[-1]
    names = list(players) if players is not None else [f"Player {j + 1}" for j in range(n)]
    reasons = []
    T, R, P = tab["T"], tab["R"], tab["P"]
    for i in range(n):
        if T[i] <= R[i]:
            reasons.append(f"{names[i]}: spending alone (T={T[i]:.4g}) does not beat "
                           f"all cutting (R={R[i]:.4g}); restraint is self-enforcing")
        elif R[i] <= P[i]:
            reasons.append(f"{names[i]}: all cutting (R={R[i]:.4g}) is no better than "
                           f"all spending (P={P[i]:.4g}); no discount factor sustains "
                           "restraint")
    if roles.inferred:
        reasons.append(roles.note())
    return CriticalDiscount(th, float(binding), int(k), T, R, P, tab["S"], reasons, roles)


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
