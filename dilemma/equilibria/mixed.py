r"""Every extreme Nash equilibrium of a two-player game, degenerate or not.

Method: vertex enumeration of the best-response polytopes (von Stengel 2007,
§3.5; Avis, Rosenberg, Savani and von Stengel 2010). The payoff matrices are
first made positive by a positive affine map (which leaves the equilibria
unchanged): :math:`A' , B' \ge 1`. Then

.. math::

   P = \{x \in \mathbb{R}^m : x \ge 0,\; B'^\top x \le 1\}, \qquad
   Q = \{y \in \mathbb{R}^n : A' y \le 1,\; y \ge 0\}.

Label :math:`i < m` marks a point of :math:`P` with :math:`x_i = 0` and a point
of :math:`Q` where row :math:`i` is a best response; label :math:`m + j` marks
a point of :math:`P` where column :math:`j` is a best response and a point of
:math:`Q` with :math:`y_j = 0`. A pair of non-zero vertices :math:`(x, y)`
whose labels together cover all :math:`m + n` labels is, after normalisation,
an *extreme* Nash equilibrium, and every extreme equilibrium arises this way —
in degenerate games too, **provided each vertex carries its full label set**
(every tight constraint, not just the ones of the basis that produced it).
That is the difference with solvers that read labels off a basis and miss
equilibria of degenerate games.

Vertices are found by brute force over bases: for each support :math:`S` of
size :math:`k` and each set :math:`J` of :math:`k` tight columns, solve
:math:`B'_{S J}{}^\top x_S = 1`, keep the feasible solutions and deduplicate
them. There are :math:`\binom{m+n}{m} - 1` bases. When every payoff is a
rational number with a small denominator and the game is small, the arithmetic
is exact (:class:`fractions.Fraction`); otherwise it is floating point with a
label tolerance of ``1e-9`` on the rescaled game. Above ``max_bases`` bases the
module falls back to Lemke–Howson from every starting label plus the pure
equilibria and says the result may be incomplete.

**Degeneracy.** The game is degenerate when some vertex of :math:`P` has more
than :math:`m` labels or some vertex of :math:`Q` more than :math:`n`
(equivalently, some mixed strategy with support size :math:`k` has more than
:math:`k` pure best responses). Degenerate games can have continua of
equilibria. Two extreme equilibria that share a strategy of one player are
joined by a segment of equilibria (the shared strategy is a best response to
both strategies of the other player, hence to every mix of them), so the
connected components of the bipartite graph "x-vertex — y-vertex when the pair
is an equilibrium" are sets of extreme equilibria lying in one connected
component of the equilibrium set. (In rare games two such groups can also
touch through the interior of their convex hulls; they are then reported as
separate groups.)

A component is *not* convex in general: the midpoint of two extreme
equilibria of one group need not be an equilibrium. The equilibrium set is
the union of the *maximal convex pieces* :math:`\operatorname{conv} X' \times
\operatorname{conv} Y'`, one for each maximal biclique :math:`X' \times Y'`
of that graph (every pair compatible), as computed by ``lrsnash``
(Avis, Rosenberg, Savani and von Stengel 2010, "Extreme equilibria and
cliques"); :attr:`TwoPlayerResult.cliques` lists them.

Examples
--------
A degenerate game whose equilibria form a segment:

>>> A = [[-3, 3], [-3, 5]]
>>> B = [[2, 7], [4, 2]]
>>> res = two_player_equilibria(A, B)
>>> [(x.round(4).tolist(), y.tolist()) for x, y in res]
[([0.0, 1.0], [1.0, 0.0]), ([0.2857, 0.7143], [1.0, 0.0])]
>>> res.degenerate, res.components
(True, [[0, 1]])
>>> [str(v) for v in res.exact[1][0]]
['2/7', '5/7']
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from dilemma.equilibria._arrays import EquilibriumList, check_tol
from dilemma.errors import ParameterError

__all__ = ["TwoPlayerResult", "two_player_equilibria", "is_degenerate", "polytope_vertices",
           "maximal_cliques"]

#: Largest number of bases per polytope for which exact arithmetic is used.
EXACT_MAX_BASES = 5000
#: Largest denominator accepted when reading float payoffs as rationals.
MAX_DENOMINATOR = 10**6
_LABEL_TOL = 1e-9


@dataclass
class TwoPlayerResult(EquilibriumList):
    """Extreme equilibria of a two-player game.

    Attributes
    ----------
    equilibria : list of (numpy.ndarray, numpy.ndarray)
        ``(x, y)`` mixed strategies of the row and the column player.
    exact : list of (tuple of Fraction, tuple of Fraction) or None
        The same equilibria in exact arithmetic, when it was used.
    components : list of list of int
        Groups of indices into ``equilibria`` joined by segments of
        equilibria (see the module docstring).
    degenerate : bool or None
        Whether the game is degenerate; None when it was not checked (the
        Lemke–Howson fallback for large games).
    exhaustive : bool
        Whether every extreme equilibrium was found.
    method : str
    notes : list of str
    cliques : list of list of int
        Maximal convex pieces: groups of indices into ``equilibria`` such that
        every mix of their row strategies against every mix of their column
        strategies is an equilibrium (maximal bicliques of the compatibility
        graph). Every equilibrium of the game lies in one of them.
    """

    equilibria: list
    exact: list | None = None
    components: list = field(default_factory=list)
    degenerate: bool | None = False
    exhaustive: bool = True
    method: str = "vertex-enumeration"
    notes: list = field(default_factory=list)
    cliques: list = field(default_factory=list)


# ----------------------------------------------------------------------------
# input handling


def _as_matrix(M, name: str) -> np.ndarray:
    try:
        arr = np.asarray(M, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "a 2-D array of numbers", type(M).__name__) from None
    if arr.ndim != 2 or min(arr.shape) < 1:
        raise ParameterError(name, "a non-empty 2-D array (rows = player 1's actions)",
                             arr.shape)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "finite numbers", "non-finite entries")
    return arr


def _rationalize(M: np.ndarray):
    """Exact rationals equal to the entries of ``M`` (small denominators), else None."""
    out = []
    for v in M.ravel().tolist():
        f = Fraction(v).limit_denominator(MAX_DENOMINATOR)
        if abs(float(f) - v) > 1e-12 * max(1.0, abs(v)):
            return None
        out.append(f)
    return np.array(out, dtype=object).reshape(M.shape)


def _positive_exact(M):
    lo = min(M.ravel().tolist())
    return M - lo + 1  # object array of Fractions, all >= 1


def _positive_float(M: np.ndarray) -> np.ndarray:
    lo, hi = float(M.min()), float(M.max())
    if hi - lo <= 0:
        return np.ones_like(M)
    return 1.0 + (M - lo) / (hi - lo)


# ----------------------------------------------------------------------------
# vertex enumeration of {x >= 0, C^T x <= 1}; C has shape (dim, ncons)


def _solve_exact(M, b):
    """Gauss–Jordan elimination in Fractions; None if singular."""
    k = len(b)
    aug = [list(M[r]) + [b[r]] for r in range(k)]
    for c in range(k):
        piv = next((r for r in range(c, k) if aug[r][c] != 0), None)
        if piv is None:
            return None
        aug[c], aug[piv] = aug[piv], aug[c]
        pv = aug[c][c]
        row = [v / pv for v in aug[c]]
        aug[c] = row
        for r in range(k):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                aug[r] = [a - f * bb for a, bb in zip(aug[r], row)]
    return [aug[r][k] for r in range(k)]


def _vertices_exact(C):
    """Non-zero vertices of {x >= 0, C^T x <= 1} with full label masks (exact)."""
    dim, ncons = C.shape
    seen = {}
    one = Fraction(1)
    for k in range(1, min(dim, ncons) + 1):
        for S in itertools.combinations(range(dim), k):
            for J in itertools.combinations(range(ncons), k):
                M = [[C[s, j] for s in S] for j in J]
                sol = _solve_exact(M, [one] * k)
                if sol is None or any(v < 0 for v in sol):
                    continue
                x = [Fraction(0)] * dim
                for s, v in zip(S, sol):
                    x[s] = v
                key = tuple(x)
                if key in seen:
                    continue
                vals = [sum((C[r, j] * x[r] for r in S), Fraction(0)) for j in range(ncons)]
                if any(v > 1 for v in vals):
                    continue
                mask = 0
                for r in range(dim):
                    if x[r] == 0:
                        mask |= 1 << r
                for j, v in enumerate(vals):
                    if v == 1:
                        mask |= 1 << (dim + j)
                seen[key] = mask
    return list(seen.items())


def _vertices_float(C: np.ndarray, tol: float = _LABEL_TOL, chunk: int = 20000):
    """Non-zero vertices of {x >= 0, C^T x <= 1} with full label masks (floats)."""
    dim, ncons = C.shape
    found = {}
    for k in range(1, min(dim, ncons) + 1):
        Ss = np.array(list(itertools.combinations(range(dim), k)), dtype=np.intp)
        Js = np.array(list(itertools.combinations(range(ncons), k)), dtype=np.intp)
        pairs = np.array(np.meshgrid(np.arange(len(Ss)), np.arange(len(Js)),
                                     indexing="ij")).reshape(2, -1).T
        for start in range(0, len(pairs), chunk):
            pr = pairs[start:start + chunk]
            S = Ss[pr[:, 0]]
            J = Js[pr[:, 1]]
            # M[b, r, c] = C[S[b, c], J[b, r]]  (rows = tight columns j, cols = x_s)
            M = C[S[:, None, :], J[:, :, None]]
            sv = np.linalg.svd(M, compute_uv=False)
            ok = sv[:, -1] > 1e-12 * sv[:, 0]
            if not ok.any():
                continue
            S, M = S[ok], M[ok]
            sol = np.linalg.solve(M, np.ones((len(M), k, 1)))[..., 0]
            feas = np.all(sol >= -tol, axis=1)
            S, sol = S[feas], sol[feas]
            if not len(S):
                continue
            X = np.zeros((len(S), dim))
            np.put_along_axis(X, S, sol, axis=1)
            X[np.abs(X) <= tol] = 0.0
            vals = X @ C
            feas = np.all(vals <= 1 + tol, axis=1)
            X, vals = X[feas], vals[feas]
            labels = np.concatenate([X == 0.0, np.abs(vals - 1) <= tol], axis=1)
            weights = 1 << np.arange(dim + ncons, dtype=object)
            for x, lab in zip(X, labels):
                key = tuple(np.round(x, 9).tolist())
                if key not in found:
                    found[key] = (x, int(np.dot(lab.astype(object), weights)))
    return list(found.values())


def polytope_vertices(C, exact: bool | None = None):
    """Non-zero vertices of ``{x >= 0, C^T x <= 1}`` with their label masks.

    Parameters
    ----------
    C : array_like, shape (dim, ncons)
        Positive matrix. Label ``r < dim`` means ``x_r = 0``; label
        ``dim + j`` means ``(C^T x)_j = 1``.
    exact : bool, optional
        Force exact (Fraction) or float arithmetic; default: exact when the
        entries are small-denominator rationals and the polytope is small.

    Returns
    -------
    list of (tuple or numpy.ndarray, int)
        Vertex coordinates and the bit mask of all its labels.

    Examples
    --------
    >>> [(tuple(map(str, v)), bin(m)) for v, m in polytope_vertices([[2.0]])]
    [(('1/2',), '0b10')]
    """
    Cf = _as_matrix(C, "C")
    if np.any(Cf <= 0):
        raise ParameterError("C", "a matrix with positive entries", "non-positive entries")
    nb = math.comb(Cf.shape[0] + Cf.shape[1], Cf.shape[0])
    Cx = _rationalize(Cf) if exact is not False and nb <= EXACT_MAX_BASES else None
    if exact and Cx is None:
        Cx = np.array([Fraction(v) for v in Cf.ravel().tolist()], dtype=object).reshape(Cf.shape)
    if Cx is not None:
        return _vertices_exact(Cx)
    return _vertices_float(Cf)


# ----------------------------------------------------------------------------
# the solver


def _n_bases(m: int, n: int) -> int:
    return math.comb(m + n, m) - 1


def _popcount(v: int) -> int:
    return bin(v).count("1")


def _components(pairs: list[tuple[int, int]]) -> list[list[int]]:
    parent: dict = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for xi, yi in pairs:
        ra, rb = find(("x", xi)), find(("y", yi))
        if ra != rb:
            parent[ra] = rb
    groups: dict = {}
    for k, (xi, _) in enumerate(pairs):
        groups.setdefault(find(("x", xi)), []).append(k)
    return sorted(groups.values())


def maximal_cliques(pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Maximal bicliques of the bipartite graph with edges ``pairs``.

    ``pairs[k] = (a, b)`` joins x-vertex ``a`` and y-vertex ``b``. A biclique
    ``X' x Y'`` is a set of x-vertices and a set of y-vertices with every pair
    an edge; it is maximal when no vertex can be added. Returns, per maximal
    biclique, the sorted indices ``k`` of its edges. Method: the closed sets
    ``Y' = N(X')`` are the intersections of neighbourhoods of x-vertices
    (a closure system), each paired with ``X' = N(Y')``.

    Examples
    --------
    A path x0 - y0 - x1 - y1: two maximal bicliques, {x0, x1} x {y0} and
    {x1} x {y0, y1}.

    >>> maximal_cliques([(0, 0), (1, 0), (1, 1)])
    [[0, 1], [1, 2]]
    """
    nbr_x: dict = {}
    nbr_y: dict = {}
    edge = {}
    for k, (a, b) in enumerate(pairs):
        nbr_x.setdefault(a, set()).add(b)
        nbr_y.setdefault(b, set()).add(a)
        edge[a, b] = k
    closed: set = set()
    for a in sorted(nbr_x):
        new = {frozenset(nbr_x[a])}
        for Y in closed:
            inter = Y & nbr_x[a]
            if inter:
                new.add(frozenset(inter))
        closed |= new
    out = set()
    for Y in closed:
        X = set.intersection(*(nbr_y[b] for b in Y))
        Yfull = set.intersection(*(nbr_x[a] for a in X))
        if Yfull == Y:
            out.add(tuple(sorted(edge[a, b] for a in X for b in Y)))
    return sorted(list(c) for c in out)


def _fmt(v) -> str:
    return "(" + ", ".join(f"{p:.4g}" for p in v) + ")"


def _lemke_howson_fallback(A, B, tol):
    import warnings

    from dilemma.equilibria.pure import pure_equilibria

    m, n = A.shape
    found = []
    stacked = np.stack([A, B], axis=-1)
    for i, j in pure_equilibria(stacked, tol):
        x, y = np.zeros(m), np.zeros(n)
        x[i], y[j] = 1.0, 1.0
        found.append((x, y))
    try:
        import nashpy

        g = nashpy.Game(A, B)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for label in range(m + n):
                try:
                    x, y = g.lemke_howson(initial_dropped_label=label)
                except Exception:  # noqa: BLE001 - degenerate pivoting can fail
                    continue
                if np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and x.shape == (m,):
                    found.append((np.clip(x, 0, None) / np.clip(x, 0, None).sum(),
                                  np.clip(y, 0, None) / np.clip(y, 0, None).sum()))
    except ImportError:  # pragma: no cover - nashpy is a dependency
        pass
    return found


def _sort_and_dedupe(eqs, exact=None, atol=1e-9):
    keyed = []
    for k, (x, y) in enumerate(eqs):
        supp = int(np.sum(x > atol) + np.sum(y > atol))
        keyed.append(((supp, tuple(np.round(-x, 9)), tuple(np.round(-y, 9))), k))
    keyed.sort()
    out, out_exact, order = [], [], []
    for _, k in keyed:
        x, y = eqs[k]
        if any(np.allclose(x, u, atol=1e-8) and np.allclose(y, v, atol=1e-8) for u, v in out):
            continue
        out.append((x, y))
        order.append(k)
        if exact is not None:
            out_exact.append(exact[k])
    return out, (out_exact if exact is not None else None), order


def two_player_equilibria(A, B=None, tol: float = 1e-9, *,
                          max_bases: int = 2_000_000,
                          exact: bool | None = None) -> TwoPlayerResult:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Payoffs of the row player.
    B : array_like, shape (m, n), optional
        Payoffs of the column player; default ``-A`` (zero-sum).
    tol : float, default 1e-9
        Tolerance (payoff units) of the final best-response check.
    max_bases : int, default 2_000_000
        Above this number of bases, fall back to Lemke–Howson (incomplete).
    exact : bool, optional
        Force exact (True) or floating-point (False) vertex enumeration; by
        default exact arithmetic is used when the payoffs are rationals with
        denominators up to 10**6 and each polytope has at most
        ``EXACT_MAX_BASES`` bases.

    Returns
    -------
    TwoPlayerResult
        Iterable of ``(x, y)`` pairs; pure equilibria first, then by support
        size, deterministic.

    Raises
    ------
    ParameterError
        If the matrices are not finite, 2-D and of the same shape.

    Examples
    --------
    Battle of the sexes:

    >>> res = two_player_equilibria([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> [(x.round(4).tolist(), y.round(4).tolist()) for x, y in res]
    [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]), ([0.6, 0.4], [0.4, 0.6])]
    >>> res.exhaustive, res.degenerate
    (True, False)
    """
    from dilemma.equilibria.check import regrets

    A = _as_matrix(A, "A")
    B = -A if B is None else _as_matrix(B, "B")
    if A.shape != B.shape:
        raise ParameterError("B", f"a matrix of the same shape as A {A.shape}", B.shape)
    tol = check_tol(tol)
    m, n = A.shape
    notes: list[str] = []
    nb = _n_bases(m, n)
    stacked = np.stack([A, B], axis=-1)

    if nb > max_bases or m + n > 62:
        eqs = _lemke_howson_fallback(A, B, tol)
        eqs = [e for e in eqs if np.all(regrets(stacked, e) <= 1e-7 * max(1.0, np.ptp(stacked)))]
        eqs, _, _ = _sort_and_dedupe(eqs)
        notes.append(
            f"game too large for complete vertex enumeration ({nb} bases > {max_bases}); "
            "pure equilibria plus Lemke-Howson from every starting label: the list may be "
            "incomplete and degeneracy was not checked")
        return TwoPlayerResult(eqs, None, [[k] for k in range(len(eqs))], None, False,
                               "lemke-howson", notes, [[k] for k in range(len(eqs))])

    Ax = Bx = None
    if exact is not False and nb <= EXACT_MAX_BASES:
        Ax, Bx = _rationalize(A), _rationalize(B)
        if Ax is None or Bx is None:
            Ax = Bx = None
    if exact and Ax is None:
        Ax = np.array([Fraction(v) for v in A.ravel().tolist()], dtype=object).reshape(A.shape)
        Bx = np.array([Fraction(v) for v in B.ravel().tolist()], dtype=object).reshape(B.shape)
    use_exact = Ax is not None

    if use_exact:
        Ap, Bp = _positive_exact(Ax), _positive_exact(Bx)
        # P: x in R^m with B'^T x <= 1: C = B' (m x n); Q: y in R^n with A' y <= 1: C = A'^T
        vx = _vertices_exact(Bp)
        vy = _vertices_exact(Ap.T)
        method = "vertex-enumeration (exact rational arithmetic)"
    else:
        Ap, Bp = _positive_float(A), _positive_float(B)
        vx = _vertices_float(Bp)
        vy = _vertices_float(Ap.T)
        method = "vertex-enumeration (floating point)"

    # relabel Q so both polytopes share labels 0..m-1 (rows) and m..m+n-1 (columns):
    # in Q's own numbering, labels 0..n-1 are y_j = 0 (-> m + j) and n..n+m-1 are
    # (A' y)_i = 1 (-> i).
    def relabel_q(mask: int) -> int:
        low = mask & ((1 << n) - 1)
        high = mask >> n
        return (low << m) | high

    mx = [mask for _, mask in vx]
    my = [relabel_q(mask) for _, mask in vy]
    degenerate = (any(_popcount(v) > m for v in mx) or any(_popcount(v) > n for v in my))
    full = (1 << (m + n)) - 1

    pairs = []
    if mx and my:
        ax = np.array(mx, dtype=np.uint64)
        ay = np.array(my, dtype=np.uint64)
        hits = np.argwhere((ax[:, None] | ay[None, :]) == np.uint64(full))
        pairs = [(int(a), int(b)) for a, b in hits]

    eqs, exact_eqs = [], []
    for a, b in pairs:
        if use_exact:
            xs, ys = vx[a][0], vy[b][0]
            sx, sy = sum(xs), sum(ys)
            xe = tuple(v / sx for v in xs)
            ye = tuple(v / sy for v in ys)
            exact_eqs.append((xe, ye))
            eqs.append((np.array([float(v) for v in xe]), np.array([float(v) for v in ye])))
        else:
            x, y = vx[a][0], vy[b][0]
            eqs.append((x / x.sum(), y / y.sum()))

    # safety net: every output must pass the best-response check
    scale = max(1.0, float(np.ptp(stacked)))
    good = [k for k, e in enumerate(eqs) if np.all(regrets(stacked, e) <= max(tol, 1e-9) * scale)]
    if len(good) < len(eqs):  # pragma: no cover - would be a numerical failure
        notes.append(f"{len(eqs) - len(good)} candidate(s) failed the best-response check "
                     "and were dropped (numerical trouble)")
    eqs = [eqs[k] for k in good]
    pairs = [pairs[k] for k in good]
    exact_eqs = [exact_eqs[k] for k in good] if use_exact else None
    eqs, exact_eqs, order = _sort_and_dedupe(eqs, exact_eqs)
    pairs = [pairs[k] for k in order]
    components = _components(pairs)
    cliques = maximal_cliques(pairs)

    if degenerate:
        notes.append("the game is degenerate: some mixed strategy has more pure best "
                     "responses than the size of its support")
        for clique in cliques:
            if len(clique) > 1:
                xs = sorted({pairs[k][0] for k in clique})
                ys = sorted({pairs[k][1] for k in clique})
                xk = [next(k for k in clique if pairs[k][0] == a) for a in xs]
                yk = [next(k for k in clique if pairs[k][1] == b) for b in ys]
                px = ", ".join(_fmt(eqs[k][0]) for k in xk)
                py = ", ".join(_fmt(eqs[k][1]) for k in yk)
                notes.append(f"continuum of equilibria: every mix of the row strategies "
                             f"{{{px}}} against every mix of the column strategies {{{py}}} "
                             f"is an equilibrium (convex piece spanned by the extreme "
                             f"equilibria {clique})")
    return TwoPlayerResult(eqs, exact_eqs, components, degenerate, True, method, notes,
                           cliques)


def is_degenerate(A, B=None) -> bool:
    """Whether the bimatrix game ``(A, B)`` is degenerate.

    A game is degenerate when some mixed strategy with support of size ``k``
    has more than ``k`` pure best responses; equivalently some vertex of a
    best-response polytope has more labels than its dimension.

    Examples
    --------
    >>> is_degenerate([[-3, 3], [-3, 5]], [[2, 7], [4, 2]])
    True
    >>> is_degenerate([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    False
    """
    A = _as_matrix(A, "A")
    B = -A if B is None else _as_matrix(B, "B")
    if A.shape != B.shape:
        raise ParameterError("B", f"a matrix of the same shape as A {A.shape}", B.shape)
    m, n = A.shape
    if _n_bases(m, n) > 2_000_000:
        raise ParameterError("A", "a game with at most 2e6 bases for the degeneracy check",
                             A.shape)
    Ax, Bx = _rationalize(A), _rationalize(B)
    if Ax is not None and Bx is not None and _n_bases(m, n) <= EXACT_MAX_BASES:
        vx, vy = _vertices_exact(_positive_exact(Bx)), _vertices_exact(_positive_exact(Ax).T)
    else:
        vx, vy = _vertices_float(_positive_float(B)), _vertices_float(_positive_float(A).T)
    return (any(_popcount(mk) > m for _, mk in vx) or any(_popcount(mk) > n for _, mk in vy))
