r"""Dominated and dominant actions, and iterated elimination.

Action :math:`a` of player :math:`i` is *strictly dominated* by a (possibly
mixed) strategy :math:`\tau` of the same player when

.. math:: \sum_b \tau_b\, u_i(b, s_{-i}) > u_i(a, s_{-i})
          \quad\text{for every pure profile } s_{-i} \text{ of the others,}

and *weakly dominated* when ``>=`` holds everywhere and ``>`` somewhere.
Pure domination compares two actions directly; domination by a mixed strategy
is decided by a linear programme (:func:`scipy.optimize.linprog`):
maximise :math:`\varepsilon` subject to
:math:`\sum_b \tau_b u_i(b, s_{-i}) \ge u_i(a, s_{-i}) + \varepsilon` for all
:math:`s_{-i}`, :math:`\tau \ge 0`, :math:`\sum_b \tau_b = 1`, :math:`\tau_a = 0`;
:math:`a` is strictly dominated iff the optimum exceeds ``tol``. For weak
domination the programme keeps :math:`\varepsilon = 0` and maximises the total
slack. Checking against the others' *pure* profiles is enough, for any number
of players, because payoffs are linear in each opponent's mixed strategy.

Iterated elimination removes, round after round, every action dominated in the
game that survives. For strict domination the surviving game does not depend on
the order of elimination (Gilboa, Kalai and Zemel 1990); for weak domination it
does, and this module's order (all weakly dominated actions of all players at
once, each round) is one convention among several. No Nash equilibrium uses a
strictly dominated action, so the equilibria of the game are those of the
surviving game.

Examples
--------
Prisoner's dilemma (0 = cooperate, 1 = defect):

>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> dominant_actions(pd)
[1, 1]
>>> iterated_elimination(pd).surviving
((1,), (1,))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, binary_gains, check_tol
from dilemma.errors import ParameterError

__all__ = ["dominated_actions", "dominant_actions", "iterated_elimination",
           "EliminationResult", "EliminationStep"]


def _own_matrix(p: np.ndarray, i: int) -> np.ndarray:
    """Player i's payoffs as a matrix (a_i, number of pure profiles of the others)."""
    return np.moveaxis(p[..., i], i, 0).reshape(p.shape[i], -1)


def _mixed_dominator(M: np.ndarray, a: int, strict: bool, tol: float):
    """A mixed strategy (vector over rows of M) dominating row ``a``, or None."""
    from scipy.optimize import linprog

    k, cols = M.shape
    others = [b for b in range(k) if b != a]
    if len(others) < 2:
        return None  # a single alternative: pure domination already decided it
    D = M[others] - M[a]  # (len(others), cols): gain of each alternative
    scale = max(1.0, float(np.abs(D).max()))
    D = D / scale
    if strict:
        # variables (tau, eps): max eps s.t. D^T tau >= eps, sum tau = 1
        c = np.zeros(len(others) + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-D.T, np.ones((cols, 1))])
        b_ub = np.zeros(cols)
        A_eq = np.hstack([np.ones((1, len(others))), np.zeros((1, 1))])
        bounds = [(0, None)] * len(others) + [(None, 1.0)]
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                      method="highs")
        if res.status == 0 and -res.fun > tol / scale:
            tau = np.zeros(k)
            tau[others] = np.clip(res.x[:-1], 0, None)
            return tau / tau.sum()
        return None
    # weak: max sum(D^T tau) s.t. D^T tau >= 0, sum tau = 1
    c = -D.sum(axis=1)
    res = linprog(c, A_ub=-D.T, b_ub=np.full(cols, tol / scale), A_eq=np.ones((1, len(others))),
                  b_eq=[1.0], bounds=[(0, None)] * len(others), method="highs")
    if res.status == 0 and -res.fun > tol / scale:
        tau = np.zeros(k)
        tau[others] = np.clip(res.x, 0, None)
        tau = tau / tau.sum()
        gains = tau @ M - M[a]
        if np.all(gains >= -10 * tol) and np.any(gains > tol):
            return tau
    return None


def _dominated(p: np.ndarray, strict: bool, mixed: bool, tol: float):
    out = []
    for i in range(p.shape[-1]):
        M = _own_matrix(p, i)
        k = M.shape[0]
        # dom[b, a]: action b dominates action a (all pairs in one array operation)
        diff = M[:, None, :] - M[None, :, :]
        if strict:
            dom = (diff > tol).all(axis=2)
        else:
            dom = (diff >= -tol).all(axis=2) & (diff > tol).any(axis=2)
        dom &= ~np.eye(k, dtype=bool)
        found = []
        for a in range(k):
            if dom[:, a].any():
                found.append((a, int(np.argmax(dom[:, a]))))  # the first dominating action
            elif mixed and k > 2:
                tau = _mixed_dominator(M, a, strict, tol)
                if tau is not None:
                    found.append((a, tau))
        out.append(found)
    return out


def dominated_actions(payoffs, strict: bool = True, mixed: bool = True,
                      tol: float = 1e-9) -> list[list[int]]:
    """Actions of each player dominated in the full game.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    strict : bool, default True
        Strict (``>`` against every profile of the others) or weak domination.
    mixed : bool, default True
        Also look for domination by mixed strategies (linear programme).
    tol : float, default 1e-9
        Payoff differences within ``tol`` count as ties.

    Returns
    -------
    list of list of int
        For each player, the indices of its dominated actions.

    Examples
    --------
    Row 2 is dominated only by the mix (1/2, 1/2) of rows 0 and 1:

    >>> import numpy as np
    >>> A = np.array([[3, 0], [0, 3], [1, 1]], dtype=float)
    >>> g = np.stack([A, np.zeros_like(A)], axis=-1)
    >>> dominated_actions(g, mixed=False)
    [[], []]
    >>> dominated_actions(g)
    [[2], []]
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    return [[a for a, _ in f] for f in _dominated(p, strict, mixed, tol)]


def dominant_actions(payoffs, strict: bool = True, tol: float = 1e-9) -> list[int | None]:
    """The dominant action of each player, or None where there is none.

    A strictly dominant action is strictly better than every other action
    against every pure profile of the others; a weakly dominant action weakly
    dominates every other action (``>=`` everywhere, ``>`` somewhere against
    each). A player with a single action has that action as dominant.

    Examples
    --------
    >>> import numpy as np
    >>> stag = np.array([[[4, 4], [0, 3]], [[3, 0], [3, 3]]], dtype=float)
    >>> dominant_actions(stag)
    [None, None]
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    out: list[int | None] = []
    for i in range(p.shape[-1]):
        M = _own_matrix(p, i)
        winner = None
        for a in range(M.shape[0]):
            ok = True
            for b in range(M.shape[0]):
                if b == a:
                    continue
                diff = M[a] - M[b]
                if strict and not np.all(diff > tol):
                    ok = False
                elif not strict and not (np.all(diff >= -tol) and np.any(diff > tol)):
                    ok = False
                if not ok:
                    break
            if ok:
                winner = a
                break
        out.append(winner)
    return out


@dataclass
class EliminationStep:
    """One eliminated action: ``player`` drops ``action`` in ``round``.

    ``dominated_by`` is an action index (pure domination) or a probability
    vector over the player's *original* actions (mixed domination).
    """

    round: int
    player: int
    action: int
    dominated_by: object

    def describe(self) -> str:
        by = self.dominated_by
        if isinstance(by, (int, np.integer)):
            who = f"action {int(by)}"
        else:
            who = "the mix " + ", ".join(f"{q:.3g}×{k}" for k, q in enumerate(by) if q > 1e-12)
        return (f"round {self.round}: player {self.player}'s action {self.action} "
                f"is dominated by {who}")


@dataclass
class EliminationResult:
    """Outcome of iterated elimination.

    Attributes
    ----------
    surviving : tuple of tuple of int
        Surviving action indices of each player (original numbering).
    steps : list of EliminationStep
    strict : bool
    mixed : bool
    notes : list of str
    """

    surviving: tuple
    steps: list
    strict: bool = True
    mixed: bool = True
    notes: list = field(default_factory=list)

    @property
    def is_solvable(self) -> bool:
        """True when exactly one profile survives (dominance solvable)."""
        return all(len(s) == 1 for s in self.surviving)

    def reduced(self, payoffs) -> np.ndarray:
        """The surviving sub-game of ``payoffs``."""
        p = as_payoffs(payoffs)
        return p[np.ix_(*self.surviving, np.arange(p.shape[-1]))]


def _iterated_binary(p: np.ndarray, tol: float, max_rounds):
    """Iterated strict dominance when every player has two actions (the firms'
    game): a mixed strategy over two actions cannot dominate one of them unless
    the other does, and action 0 strictly dominates action 1 exactly when
    player i's gain ``u_i(0) - u_i(1)`` exceeds ``tol`` at every surviving
    profile of the others, so each round is one minimum and one maximum over
    the stacked gains of all players (constant along each player's own axis)."""
    n = p.shape[-1]
    gains = binary_gains(p)
    alive = np.ones((n, 2), dtype=bool)
    steps: list[EliminationStep] = []
    rnd = 0
    while max_rounds is None or rnd < max_rounds:
        sub = gains[np.ix_(*[np.flatnonzero(a) for a in alive], np.arange(n))].reshape(-1, n)
        both = alive.all(axis=1)
        drop1 = both & (sub.min(axis=0) > tol)  # action 0 strictly dominates action 1
        drop0 = both & (sub.max(axis=0) < -tol)
        if not (drop0 | drop1).any():
            break
        rnd += 1
        for i in np.flatnonzero(drop0 | drop1):
            a = 0 if drop0[i] else 1
            steps.append(EliminationStep(rnd, int(i), a, 1 - a))
            alive[i, a] = False
    return tuple(tuple(int(k) for k in np.flatnonzero(a)) for a in alive), steps


def iterated_elimination(payoffs, strict: bool = True, mixed: bool = True,
                         tol: float = 1e-9, max_rounds: int | None = None) -> EliminationResult:
    """Iterated elimination of dominated actions.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    strict : bool, default True
        Strict domination (order-independent result) or weak domination
        (order-dependent: here every weakly dominated action of every player is
        removed at once in each round).
    mixed : bool, default True
        Allow domination by mixed strategies.
    tol : float, default 1e-9
    max_rounds : int, optional
        Stop after this many rounds (default: until nothing is dominated).

    Returns
    -------
    EliminationResult

    Examples
    --------
    A game solved by three rounds of strict dominance:

    >>> import numpy as np
    >>> A = np.array([[1, 1, 0], [0, 0, 2]], dtype=float)
    >>> B = np.array([[0, 2, 1], [3, 1, 0]], dtype=float)
    >>> res = iterated_elimination(np.stack([A, B], axis=-1))
    >>> res.surviving
    ((0,), (1,))
    >>> print(res.steps[0].describe())
    round 1: player 1's action 2 is dominated by action 1
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    if max_rounds is not None and (not isinstance(max_rounds, int) or max_rounds < 0):
        raise ParameterError("max_rounds", "an integer >= 0 or None", max_rounds)
    n = p.shape[-1]
    if strict and all(a == 2 for a in p.shape[:-1]):
        alive, steps = _iterated_binary(p, tol, max_rounds)
        return EliminationResult(alive, steps, strict, mixed, [])
    alive = [list(range(a)) for a in p.shape[:-1]]
    steps: list[EliminationStep] = []
    rnd = 0
    while max_rounds is None or rnd < max_rounds:
        sub = p[np.ix_(*alive, np.arange(n))]
        found = _dominated(sub, strict, mixed, tol)
        if not any(found):
            break
        rnd += 1
        for i, f in enumerate(found):
            drop = set()
            for a, by in f:
                if not strict and len(alive[i]) - len(drop) <= 1:
                    break
                if isinstance(by, (int, np.integer)):
                    by_orig = alive[i][int(by)]
                else:
                    by_orig = np.zeros(p.shape[i])
                    by_orig[alive[i]] = by
                steps.append(EliminationStep(rnd, i, alive[i][a], by_orig))
                drop.add(a)
            alive[i] = [x for k, x in enumerate(alive[i]) if k not in drop]
    notes = []
    if not strict:
        notes.append("iterated weak dominance depends on the order of elimination; here "
                     "all weakly dominated actions are removed simultaneously each round, "
                     "and equilibria of the full game may be lost")
    return EliminationResult(tuple(tuple(a) for a in alive), steps, strict, mixed, notes)
