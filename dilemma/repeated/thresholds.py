r"""When is restraint an equilibrium? Critical discount factors of the classic strategies.

For a strategy *s* played by everyone, "everyone cuts" is an equilibrium of
the infinitely repeated game with discount factor :math:`\delta` when no
firm gains by deviating from *s*. With the stage payoffs read as in
``MODEL.md`` -- R (all cut), S (cut while all others spend), T (spend while
all others cut), P (all spend) -- the classic thresholds are:

=========================  =============================================================  ==================
strategy                   :math:`\delta^*`                                                source
=========================  =============================================================  ==================
grim-trigger               :math:`(T-R)/(T-P)`                                             [Friedman1971]_
tit-for-tat                :math:`\max\{(T-R)/(T-P),\ (T-R)/(R-S)\}`                       [Axelrod1984]_ (Prop. 2)
generous-tit-for-tat (q)   :math:`\max\{(T-R)/((1-q)(T-P)),\ (T-R)/((1-q)(R-S))\}`         derived here
win-stay-lose-shift        :math:`(T-R)/(R-P)`                                             [Imhof2007]_
tit-for-two-tats           never (if T > R)                                                 --
follow-the-majority        never (if T > R)                                                 --
always-cut                 never (if T > R)                                                 --
=========================  =============================================================  ==================

Why: grim trigger loses :math:`R - P` per period forever after a gain of
:math:`T - R`. Against tit-for-tat the two best deviations are "spend
forever" (the grim bound) and "spend once, then cut" (gain :math:`T - R`,
loss :math:`\delta(R - S)`). Generous tit-for-tat only answers a spend with a
spend with probability :math:`1 - q`; its move depends only on the deviator's
last move, so the deviator's problem is a two-state Markov decision process
whose stationary policies are: always cut, always spend, alternate -- giving
the two bounds above (q = 0 is tit-for-tat). WSLS punishes a deviation with
one round of mutual spending and then forgives, so a deviation gains
:math:`T - R` and loses :math:`\delta (R - P)`. Tit-for-two-tats, the soft
majority rule and unconditional cutting never punish a firm that alternates
Spend and Cut, so restraint needs :math:`T \le R`.

The grim-trigger row is :func:`dilemma.equilibria.grim.grim_trigger_threshold`,
the package's one implementation of that formula. Edge cases (the same
conventions as :mod:`dilemma.equilibria.grim`): if
:math:`T \le R`, spending alone gains nothing and :math:`\delta^* = 0`; if a
denominator is :math:`\le 0` the punishment does not hurt and
:math:`\delta^* = \infty`. Strategies that never reach mutual cutting
against themselves (always-spend, suspicious tit-for-tat, alternator,
random) get NaN: restraint is not on their path of play. ``sustainable`` is
:math:`\delta^* < 1`. With several firms the binding threshold is the
largest over firms.

Examples
--------
>>> critical_discount("grim-trigger", R=3, S=0, T=5, P=1)
0.5
>>> round(critical_discount("tit-for-tat", R=3, S=0, T=5, P=1), 4)   # max(1/2, 2/3)
0.6667
>>> critical_discount("win-stay-lose-shift", R=3, S=0, T=5, P=1)
1.0
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError

__all__ = ["critical_discount", "critical_discount_table", "FORMULAS"]

#: strategy -> (formula, source)
FORMULAS = {
    "grim-trigger": ("(T-R)/(T-P)", "Friedman (1971); MODEL.md"),
    "tit-for-tat": ("max((T-R)/(T-P), (T-R)/(R-S))", "Axelrod (1984), Proposition 2"),
    "generous-tit-for-tat": ("max((T-R)/((1-q)(T-P)), (T-R)/((1-q)(R-S)))",
                             "derived (two-state MDP; q = 0 gives Axelrod's tit-for-tat bound)"),
    "win-stay-lose-shift": ("(T-R)/(R-P)", "Imhof, Fudenberg and Nowak (2007); Nowak and Sigmund (1993)"),
    "tit-for-two-tats": ("never if T > R (alternating deviator unpunished)", "Axelrod (1984)"),
    "follow-the-majority": ("never if T > R (alternating deviator unpunished)", "this project"),
    "always-cut": ("never if T > R (no punishment)", "-"),
    "always-spend": ("restraint not on the path of play", "-"),
    "suspicious-tit-for-tat": ("restraint not on the path of play (spends first, then copies)", "-"),
    "alternator": ("restraint not on the path of play", "-"),
    "random": ("restraint not on the path of play", "-"),
}


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.inf


def critical_discount(strategy: str, R: float, S: float, T: float, P: float, generosity: float | None = None) -> float:
    """The discount factor above which everyone playing ``strategy`` sustains mutual Cut.

    Parameters
    ----------
    strategy : str
        A key of :data:`FORMULAS`.
    R, S, T, P : float
        Stage payoffs (all cut; cut alone; spend alone; all spend).
    generosity : float, optional
        ``q`` of generous tit-for-tat (default: Axelrod's formula).

    Returns
    -------
    float
        :math:`\\delta^*` (0, a number, ``inf``, or NaN when restraint is not
        on the strategy's path of play).
    """
    for name, v in (("R", R), ("S", S), ("T", T), ("P", P)):
        if not isinstance(v, (int, float, np.floating, np.integer)) or not math.isfinite(v):
            raise ParameterError(name, "a finite number", v)
    key = str(strategy).replace("_", "-")
    if key not in FORMULAS:
        raise ParameterError("strategy", "one of " + ", ".join(FORMULAS), strategy)
    if key in ("always-spend", "suspicious-tit-for-tat", "alternator", "random"):
        return math.nan
    if T <= R:
        return 0.0
    gain = T - R
    if key == "grim-trigger":
        from ..equilibria.grim import grim_trigger_threshold

        return grim_trigger_threshold(T, R, P)
    if key in ("tit-for-tat", "generous-tit-for-tat"):
        q = 0.0
        if key == "generous-tit-for-tat":
            from .strategies import GenerousTitForTat

            q = GenerousTitForTat.generosity_of(R, S, T, P) if generosity is None else float(generosity)
            if not 0.0 <= q <= 1.0:
                raise ParameterError("generosity", "a probability between 0 and 1", generosity)
        if R <= P:
            return math.inf
        return max(_ratio(gain, (1 - q) * (T - P)), _ratio(gain, (1 - q) * (R - S)))
    if key == "win-stay-lose-shift":
        return _ratio(gain, R - P)
    return math.inf          # tit-for-two-tats, follow-the-majority, always-cut


def critical_discount_table(game_or_rstp, strategies=None):
    """Critical discount factors of the classic strategies for one game.

    Parameters
    ----------
    game_or_rstp : Game, ndarray or tuple ``(R, S, T, P)``
        A Spend/Cut game (each firm's R, S, T, P are read as in
        ``MODEL.md`` and the largest threshold over firms is reported) or the
        four payoffs.
    strategies : list of str, optional
        Default: every strategy of :data:`FORMULAS`.

    Returns
    -------
    pandas.DataFrame
        ``strategy, delta_star, sustainable, binding_player, formula, source``.

    Examples
    --------
    >>> t = critical_discount_table((3, 0, 5, 1))
    >>> float(t.set_index("strategy").loc["grim-trigger", "delta_star"])
    0.5
    """
    import pandas as pd

    if isinstance(game_or_rstp, (tuple, list)) and len(game_or_rstp) == 4 and np.ndim(game_or_rstp[0]) == 0:
        rstps = [tuple(float(v) for v in game_or_rstp)]
        names = [None]
    else:
        from ._batch import as_payoffs
        from .strategies import StageTable

        payoffs, players, _ = as_payoffs(game_or_rstp)
        st = StageTable(payoffs)
        rstps = [st.rstp(p) for p in range(payoffs.shape[-1])]
        names = players
    rows = []
    for s in strategies or list(FORMULAS):
        ds = [critical_discount(s, *r) for r in rstps]
        if all(math.isnan(d) for d in ds):
            d, who = math.nan, None
        else:
            k = int(np.nanargmax(ds))
            d, who = ds[k], names[k]
        formula, source = FORMULAS[str(s).replace("_", "-")]
        rows.append({"strategy": s, "delta_star": d, "sustainable": bool(d < 1) if not math.isnan(d) else False,
                     "binding_player": who, "formula": formula, "source": source})
    return pd.DataFrame(rows)
