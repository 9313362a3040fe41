r"""Logit quantal response equilibrium (McKelvey and Palfrey 1995).

Players best-respond with noise: player :math:`i` plays action :math:`a` with
probability proportional to :math:`\exp(\lambda\, u_i(a, \sigma_{-i}))`. At
:math:`\lambda = 0` everyone plays uniformly; as :math:`\lambda \to \infty`
the *principal branch* of logit equilibria converges to a Nash equilibrium
(the logit-selected one). :math:`\lambda` has units of 1/payoff: with payoffs
in $B/yr, :math:`\lambda = 1` means a $1B advantage multiplies the odds by
:math:`e`.

Method: predictor–corrector continuation along the branch in the variables
:math:`w = (v, \lambda)` with :math:`v = \log \sigma` (all players' log
probabilities). The branch is the zero set of

.. math:: H(v, \lambda) = v - \operatorname{logsoftmax}_i(\lambda\, U_i(e^v)),

where :math:`U_i(\sigma)` is the vector of player :math:`i`'s pure-action
payoffs against :math:`\sigma_{-i}`. Steps follow the tangent (null vector of
the Jacobian :math:`[H_v\; H_\lambda]`) by arc length, so the trace survives
turning points where :math:`\lambda` is not monotone along the branch; each
step is corrected by Newton's method on :math:`H = 0` plus the arc-length
constraint, and step sizes adapt. The reported QRE is the first point of the
branch at the requested :math:`\lambda`. The procedure is deterministic (no
random starts).

Along the way the sign of :math:`\det H_v` is watched. It changes where the
branch folds back in :math:`\lambda` (a turning point: for some
:math:`\lambda` there are then several QRE on the branch) and where another
branch crosses it (a bifurcation, as at :math:`\lambda = 2` in the 2×2 pure
coordination game); either is said in ``notes`` — the result is then one QRE
among several at that :math:`\lambda`, even when ``converged`` is True.

Examples
--------
Matching pennies stays at one half for every lambda:

>>> import numpy as np
>>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)
>>> res = qre(mp, 5.0)
>>> res.converged, res.strategy[0].round(6).tolist()
(True, [0.5, 0.5])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import as_payoffs
from dilemma.errors import ParameterError

__all__ = ["QREResult", "qre", "logit_response"]


@dataclass
class QREResult:
    """A logit quantal response equilibrium.

    Attributes
    ----------
    lam : float
        Precision parameter lambda (1/payoff units).
    strategy : tuple of numpy.ndarray
        One probability vector per player.
    payoffs : numpy.ndarray, shape (N,)
        Expected payoffs.
    converged : bool
        Whether the continuation reached ``lam`` and the final residual is small.
    steps : int
        Continuation steps taken.
    residual : float
        Max-norm of ``sigma - logit_response(sigma)`` at the result.
    notes : list of str
    """

    lam: float
    strategy: tuple
    payoffs: np.ndarray
    converged: bool
    steps: int
    residual: float
    notes: list = field(default_factory=list)


class _Problem:
    def __init__(self, p: np.ndarray):
        self.p = p
        self.shape = p.shape[:-1]
        self.n = len(self.shape)
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)])
        self.M = int(self.offsets[-1])

    def split(self, x):
        return [x[self.offsets[i]:self.offsets[i + 1]] for i in range(self.n)]

    def _contract(self, arr, sig, keep):
        for k in range(self.n - 1, -1, -1):
            if k not in keep:
                arr = np.tensordot(arr, sig[k], axes=([k], [0]))
        return arr

    def payoff_vectors(self, sig):
        return [np.asarray(self._contract(self.p[..., i], sig, (i,)), dtype=float)
                for i in range(self.n)]

    def pair_blocks(self, sig):
        G = {}
        for i in range(self.n):
            for j in range(self.n):
                if i == j:
                    continue
                m = np.asarray(self._contract(self.p[..., i], sig, (i, j)), dtype=float)
                G[i, j] = m if i < j else m.T  # rows: i's actions, cols: j's actions
        return G

    def residual_and_jac(self, w, need_jac=True):
        v, lam = w[:-1], w[-1]
        sig = [np.exp(x) for x in self.split(v)]
        U = self.payoff_vectors(sig)
        H = np.empty(self.M)
        soft = []
        for i in range(self.n):
            z = lam * U[i]
            zmax = z.max()
            lse = zmax + math.log(np.exp(z - zmax).sum())
            s = np.exp(z - lse)
            soft.append(s)
            sl = slice(self.offsets[i], self.offsets[i + 1])
            H[sl] = v[sl] - (z - lse)
        if not need_jac:
            return H, None
        G = self.pair_blocks(sig) if self.n > 1 else {}
        J = np.zeros((self.M, self.M + 1))
        for i in range(self.n):
            si = slice(self.offsets[i], self.offsets[i + 1])
            L = np.eye(self.shape[i]) - np.outer(np.ones(self.shape[i]), soft[i])
            J[si, si] = np.eye(self.shape[i])
            for j in range(self.n):
                if j == i:
                    continue
                sj = slice(self.offsets[j], self.offsets[j + 1])
                J[si, sj] = -lam * L @ G[i, j] * sig[j][None, :]
            J[si, -1] = -L @ U[i]
        return H, J


def _tangent(J, prev=None):
    _, _, vt = np.linalg.svd(J)
    t = vt[-1]
    if prev is None:
        if t[-1] < 0:
            t = -t
    elif t @ prev < 0:
        t = -t
    return t / np.linalg.norm(t)


def _det_sign(J) -> float:
    """det H_v (the Jacobian without the lambda column); 0 if numerically 0.

    Only its sign and, for locating a sign change by linear interpolation, its
    value are used.
    """
    sign, logdet = np.linalg.slogdet(J[:, :-1])
    if not np.isfinite(logdet) or logdet < -30:
        return 0.0
    return float(sign * np.exp(min(logdet, 700.0)))


def _crossing(lam0, d0, lam1, d1) -> float:
    """Lambda where det H_v crosses zero, by linear interpolation."""
    return float(lam0 + (lam1 - lam0) * d0 / (d0 - d1)) if d0 != d1 else float(lam1)


def _correct(prob, w_pred, t, tol, max_iter=10):
    w = w_pred.copy()
    last = math.inf
    for it in range(1, max_iter + 1):
        H, J = prob.residual_and_jac(w)
        F = np.concatenate([H, [t @ (w - w_pred)]])
        err = np.abs(F).max()
        if err < tol:
            return w, True, it
        if err > 2 * last and it > 2:
            return w, False, it
        last = err
        K = np.vstack([J, t])
        try:
            dw = np.linalg.solve(K, -F)
        except np.linalg.LinAlgError:
            return w, False, it
        w = w + dw
    H, _ = prob.residual_and_jac(w, need_jac=False)
    return w, bool(np.abs(H).max() < tol), max_iter


def _solve_fixed(prob, v0, lam, tol, max_iter=30):
    w = np.concatenate([v0, [lam]])
    for _ in range(max_iter):
        H, J = prob.residual_and_jac(w)
        if np.abs(H).max() < tol:
            return w, True
        try:
            dv = np.linalg.solve(J[:, :-1], -H)
        except np.linalg.LinAlgError:
            return w, False
        w[:-1] = w[:-1] + dv
        if not np.all(np.isfinite(w)):
            return w, False
    H, _ = prob.residual_and_jac(w, need_jac=False)
    return w, bool(np.abs(H).max() < tol)


def logit_response(payoffs, strategies, lam: float) -> tuple[np.ndarray, ...]:
    """Each player's logit response to the others' strategies.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> logit_response(pd, ([0.5, 0.5], [0.5, 0.5]), 0.0)[0].tolist()
    [0.5, 0.5]
    """
    from dilemma.equilibria._arrays import as_strategies

    p = as_payoffs(payoffs)
    lam = _check_lam(lam)
    sig = as_strategies(p, strategies)
    prob = _Problem(p)
    out = []
    for u in prob.payoff_vectors(sig):
        z = lam * u
        e = np.exp(z - z.max())
        out.append(e / e.sum())
    return tuple(out)


def _check_lam(lam) -> float:
    try:
        x = float(lam)
    except (TypeError, ValueError):
        raise ParameterError("lam", "a finite number >= 0 (precision, 1/payoff units)",
                             lam) from None
    if not math.isfinite(x) or x < 0:
        raise ParameterError("lam", "a finite number >= 0 (precision, 1/payoff units)", lam)
    return x


def qre(payoffs, lam: float, *, tol: float = 1e-10, max_steps: int = 20000) -> QREResult:
    """Logit QRE on the principal branch at precision ``lam``.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    lam : float
        Precision lambda >= 0 (1/payoff units); 0 gives uniform play.
    tol : float, default 1e-10
        Residual tolerance of the Newton corrector (log-probability units).
    max_steps : int, default 20000
        Continuation steps before giving up (``converged=False``).

    Returns
    -------
    QREResult

    Raises
    ------
    ParameterError
        If ``lam`` is negative or not finite.

    Examples
    --------
    In the prisoner's dilemma (0 = cooperate) a precise player mostly defects:

    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> res = qre(pd, 10.0)
    >>> res.converged, res.strategy[0].round(4).tolist()
    (True, [0.0, 1.0])
    """
    p = as_payoffs(payoffs)
    lam = _check_lam(lam)
    if not isinstance(max_steps, int) or max_steps < 1:
        raise ParameterError("max_steps", "an integer >= 1", max_steps)
    prob = _Problem(p)
    v0 = np.concatenate([np.full(a, -math.log(a)) for a in prob.shape])
    notes: list[str] = []
    w = np.concatenate([v0, [0.0]])
    steps = 0
    converged = True
    if lam > 0:
        _, J = prob.residual_and_jac(w)
        t = _tangent(J)
        sign_prev = _det_sign(J)
        events: list = []
        h = min(0.1, lam)
        h_max = max(1.0, lam)
        done = False
        while not done:
            if steps >= max_steps:
                converged = False
                notes.append(f"continuation stopped after {max_steps} steps at "
                             f"lambda = {w[-1]:.4g}")
                break
            if h < 1e-12:
                converged = False
                notes.append(f"continuation step collapsed at lambda = {w[-1]:.4g} "
                             "(bifurcation or numerical trouble)")
                break
            w_pred = w + h * t
            w_new, ok, iters = _correct(prob, w_pred, t, tol)
            if ok:
                _, J = prob.residual_and_jac(w_new)
                t_new = _tangent(J, t)
                if t_new @ t < 0.9:  # turned too sharply: take a smaller step
                    ok = False
            if not ok:
                h /= 2
                continue
            steps += 1
            if w_new[-1] >= lam:
                frac = (lam - w[-1]) / (w_new[-1] - w[-1])
                v_start = w[:-1] + frac * (w_new[:-1] - w[:-1])
                w_fin, ok_fin = _solve_fixed(prob, v_start, lam, tol)
                if ok_fin:
                    _, J_fin = prob.residual_and_jac(w_fin)
                    sign = _det_sign(J_fin)
                    if sign_prev and sign and (sign > 0) != (sign_prev > 0):
                        lam_at = _crossing(w[-1], sign_prev, w_fin[-1], sign)
                        events.append(("fold" if t_new[-1] * t[-1] < 0 else "branch", lam_at))
                    w, done = w_fin, True
                    break
                h /= 2
                continue
            sign = _det_sign(J)
            if sign_prev and sign and (sign > 0) != (sign_prev > 0):
                # det H_v changed sign between w and w_new: a fold if lambda
                # turned back, otherwise a branch point (bifurcation)
                lam_at = _crossing(w[-1], sign_prev, w_new[-1], sign)
                events.append(("fold" if t_new[-1] * t[-1] < 0 else "branch", lam_at))
            sign_prev = sign if sign else sign_prev
            w, t = w_new, t_new
            if iters <= 3:
                h = min(2 * h, h_max)
        for kind, at in events:
            if kind == "fold":
                notes.append(f"the branch turns back near lambda = {at:.4g} (a fold): for "
                             "some lambda there are several logit equilibria; this one is "
                             "the first reached along the principal branch")
            else:
                notes.append(f"the branch passes a bifurcation point near lambda = {at:.4g} "
                             "(the Jacobian's determinant changes sign without a turn): "
                             "another branch of logit equilibria crosses there, so other "
                             "QRE exist at this lambda")
    sig = tuple(np.exp(x) / np.exp(x).sum() for x in prob.split(w[:-1]))
    resp = []
    for u in prob.payoff_vectors(sig):
        e = np.exp(lam * u - (lam * u).max())
        resp.append(e / e.sum())
    resid = float(np.abs(np.concatenate(sig) - np.concatenate(resp)).max())
    from dilemma.equilibria.check import expected_payoffs

    return QREResult(lam, sig, expected_payoffs(p, sig), converged, steps, resid, notes)
