r"""Every isolated Nash equilibrium of an N-player game, and its continua.

Method: support enumeration (Porter, Nudelman and Shoham 2008; McKelvey and
McLennan 1996, §5) where the polynomial system of each support is solved by
**branch and bound on boxes with exact range bounds and a Krawczyk uniqueness
test** (Krawczyk 1969; Neumaier 1990, ch. 5). Gambit's ``enumpoly`` also
searches each support by subdividing rectangles (its ``max_rectangles``
budget); here the range bounds are exact and come for free from
multilinearity.

**Variables.** For a support profile :math:`S = (S_1, \dots, S_N)` take for
each player :math:`i` the *reference* action :math:`r_i = \max S_i` and one
coordinate :math:`x_{i,a} = \sigma_i(a)` per other action :math:`a \ne r_i`
(:math:`\sigma_i(r_i) = 1 - \sum_a x_{i,a}`). Actions outside the support are
fixed at :math:`x_{i,a} = 0`; those inside range over :math:`[0, 1]`. There are
:math:`D = \sum_i (|A_i| - 1)` coordinates and as many functions

.. math:: F_{i,a}(x) = u_i(a, \sigma_{-i}) - u_i(r_i, \sigma_{-i}),

an *equation* :math:`F_{i,a} = 0` for :math:`a \in S_i` (indifference on the
support) and an *inequality* :math:`F_{i,a} \le 0` for :math:`a \notin S_i`
(no profitable deviation), plus :math:`\sigma_i(r_i) \ge 0`. Every equilibrium
with support :math:`S` is a solution, and every solution is an equilibrium.

**Exact bounds.** :math:`F` is a polynomial of degree at most one in each
coordinate (expected payoffs are multi-affine in the players' mixed
strategies). On a box such a function attains its minimum and maximum at a
vertex — the vertex values are its Bernstein coefficients — so the range over
a box is the min and max of :math:`2^D` vertex values, computed for a whole
batch of boxes by tensor contractions. The partial derivatives are of the
same kind and equal the differences of vertex values along an edge divided by
the edge length, so the *interval Jacobian* comes from the same numbers, and
so does the value at the centre (the mean of the vertex values).

**Search.** Start with one box per support (:math:`\prod_i (2^{|A_i|}-1)`
boxes). A box is discarded when some equation's range misses 0, some
inequality holds strictly the wrong way on the whole box, or the box lies
outside the simplex — tests that cannot discard a solution. A box on which
every equation is identically 0 and every inequality holds is a **continuum**
of equilibria (all of box ∩ simplex; a single point for a pure support). Else
the Krawczyk operator

.. math:: K(X) = m - Y F(m) + (I - Y\,J(X))(X - m), \qquad Y = \operatorname{mid} J(X)^{-1}

either misses :math:`X` (no solution: discard), lies inside :math:`X` while
:math:`\lVert I - Y J(X) \rVert < 1` (exactly one solution, found by
Newton's method or the contracting iteration :math:`x \leftarrow x - Y F(x)`),
or neither:
the box is cut along its widest free coordinates (up to three at once, a
little off the middle so that roots at simple fractions do not sit on a cut).
Before cutting, the box is shrunk to :math:`X \cap K(X)`, which keeps every
zero. A box on which :math:`\lVert I - Y J(X) \rVert < 1` holds at most one
zero (F is injective there); Newton's method from :math:`K`'s centre (run
once per search on all such boxes) either converges inside it — that zero is
then the box's only one — or the box is cut.

**Preconditioned ranges.** Each row of :math:`Y F` is a linear combination
of the equations and so multi-affine too: its exact range over the box is the
range of its vertex values, one matrix product away. A row whose range misses
0 (with the margin scaled by the row of :math:`|Y|`) proves the box has no
zero. Preconditioning makes the system nearly the identity on the box, so
this discards boxes next to a zero that lies just outside them far earlier
than the ranges of :math:`F`'s own rows or the mean-value form of :math:`K`
(the preconditioning of subdivision solvers, Mourrain and Pavone 2009).

**Two actions each.** When every player has two actions (the firms' game),
the corners of a support's first box are pure profiles, so the tests on all
:math:`3^N` first boxes are read off one table of each player's gain over the
others' patterns (each at Spend, at Cut, or free), and the vertex values of a
box are N batched products of the stacked gains.

**Small supports in closed form.** With two actions each, a mixing player's
gain does not depend on its own probability and is affine in each other's.
Supports with two mixing players are then two linear equations, one per
unknown; with three (a, b, c) the first two give :math:`x_b` and :math:`x_a`
as ratios of affine functions of :math:`t = x_c`, and the third, cleared of
denominators, is a quadratic :math:`R(t)` — elimination, as McKelvey and
McLennan (1996, §6) describe for small systems. At a root the Jacobian
determinant of the three equations is :math:`-R'(t)`, so a root is regular
exactly when R's discriminant is not 0. A support goes to the box search
instead when R vanishes identically, has a (near-)double root, or has a root
where a denominator vanishes (a line of solutions may pass there), or a slope
of the two-player case is (near) 0: the closed form only answers where it
cannot miss a root. On the firms' games most surviving supports are of this
kind, so the search is left with the supports of four or more mixing firms.

**Continua.** The search first stops at a coarse width (1/64). Undecided boxes
that touch are grouped; a wide group on which Newton's method finds
equilibria far apart, each with a singular Jacobian, is a continuum (a curve
or surface of equilibria) and is reported by its bounding box and a member
without further cutting. Boxes on which every equation vanishes but an
inequality is undecided lie on the edge of a full-dimensional continuum; next
to boxes made of solutions they are not cut further either. Everything else
is cut down to ``min_width``; a tiny group left then is a singular root
(listed, with a note that its uniqueness was not proved), a wider one a
continuum. A root on the boundary of its support (a zero probability) belongs
to a smaller support and is left to it. Every reported equilibrium passes the
best-response check of :mod:`dilemma.equilibria.check`. A budget on boxes
bounds the work; when it is spent the result says the list may be incomplete.

The arithmetic is floating point without outward rounding: the exclusion
tests keep a margin of ``max(tol / payoff range, 1e-12)`` (payoffs are first
scaled to [0, 1]), so rounding cannot discard a box with a solution, while
the uniqueness proofs hold up to rounding.

References
----------
Krawczyk, R. (1969). Newton-Algorithmen zur Bestimmung von Nullstellen mit
Fehlerschranken. *Computing* 4, 187–201.
McKelvey, R. D. and McLennan, A. (1996). Computation of equilibria in finite
games. *Handbook of Computational Economics* I, 87–142.
Mourrain, B. and Pavone, J.-P. (2009). Subdivision methods for solving
polynomial equations. *Journal of Symbolic Computation* 44(3), 292–306.
Porter, R., Nudelman, E. and Shoham, Y. (2008). Simple search methods for
finding a Nash equilibrium. *Games and Economic Behavior* 63, 642–662.
Neumaier, A. (1990). *Interval Methods for Systems of Equations*. Cambridge.

Examples
--------
Three-player matching pennies (player 1 matches player 2, 2 matches 3, 3
mismatches 1) has one equilibrium, everyone mixing 50:50:

>>> import numpy as np
>>> p = np.zeros((2, 2, 2, 3))
>>> for a in range(2):
...     for b in range(2):
...         for c in range(2):
...             p[a, b, c] = [1 if a == b else -1, 1 if b == c else -1, 1 if c != a else -1]
>>> res = nplayer_equilibria(p)
>>> [s.round(6).tolist() for s in res[0]], len(res), res.exhaustive
([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], 1, True)
"""

from __future__ import annotations

import functools
import itertools
import time
from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import EquilibriumList, as_payoffs, binary_gains, check_tol
from dilemma.errors import ParameterError

__all__ = ["Continuum", "NPlayerResult", "nplayer_equilibria", "rational_payoffs",
           "exact_equilibrium"]

#: Where boxes are cut (fraction of the width; irrational, slightly off 1/2).
CUT = 0.5 + (2 ** 0.5 - 1) / 64
#: Above this many boxes of one support, they are not paired up into connected
#: groups but taken as one group (pairing is quadratic).
GROUP_PAIRS = 1500
#: Boxes are split along up to this many of their widest coordinates at once.
SPLIT = 3
#: Largest number of coordinates D (2**D vertices per box) the solver handles.
MAX_COORDINATES = 16


@dataclass
class Continuum:
    """A set of equilibria that is not a finite list.

    Attributes
    ----------
    support : tuple of tuple of int
        Actions the players may use (per player).
    lower, upper : tuple of numpy.ndarray
        Per player and action, the least and greatest probability of an
        equilibrium of the set (a bounding box).
    example : tuple of numpy.ndarray or None
        One equilibrium of the set (passes the best-response check).
    exact : bool
        True when *every* profile of the box (within the simplex) is an
        equilibrium; False when the set is a curve or surface inside the box
        found by subdivision (the box only bounds it).
    """

    support: tuple
    lower: tuple
    upper: tuple
    example: tuple | None
    exact: bool

    def to_dict(self) -> dict:
        """JSON-ready dictionary."""
        return {"support": [list(s) for s in self.support],
                "lower": [v.tolist() for v in self.lower],
                "upper": [v.tolist() for v in self.upper],
                "example": None if self.example is None else [v.tolist() for v in self.example],
                "exact": self.exact}

    def describe(self) -> str:
        """One line: the probability ranges of the set."""
        parts = []
        for i, (lo, hi) in enumerate(zip(self.lower, self.upper)):
            parts.append(f"player {i}: " + ", ".join(
                f"{l:.4g}" if abs(h - l) < 1e-9 else f"[{l:.4g}, {h:.4g}]"
                for l, h in zip(lo, hi)))
        kind = "every profile with" if self.exact else "a curve/surface of profiles within"
        return f"{kind} " + "; ".join(parts)


@dataclass
class NPlayerResult(EquilibriumList):
    """Isolated equilibria and continua of an N-player game.

    Attributes
    ----------
    equilibria : list of tuple of numpy.ndarray
        One probability vector per player, for every equilibrium that is
        isolated within its support's system (pure ones included).
    certified : list of bool
        Per equilibrium: its uniqueness in a box was proved (Krawczyk); False
        for a singular root or a pure equilibrium on a tie.
    continua : list of Continuum
        Sets of equilibria that are not isolated.
    exhaustive : bool
        Every support was searched to the end within the budget, with no
        undecided region left: every isolated equilibrium is listed and every
        non-isolated one lies in a reported continuum.
    degenerate : bool or None
        Some equilibrium leaves a best response unused, is singular, or lies
        in a continuum; None when the search was not exhaustive and none was
        seen.
    notes : list of str
    boxes : int
        Boxes examined.
    supports : int
        Support profiles searched.
    """

    equilibria: list
    certified: list = field(default_factory=list)
    continua: list = field(default_factory=list)
    exhaustive: bool = True
    degenerate: bool | None = False
    notes: list = field(default_factory=list)
    boxes: int = 0
    supports: int = 0
    method: str = ("support enumeration: small supports in closed form (two actions each), the "
                   "others by interval subdivision (Krawczyk)")


# ----------------------------------------------------------------------------
# the game in coordinates


class _Game:
    """Normalised payoffs and the coordinate layout."""

    def __init__(self, p: np.ndarray):
        self.shape = p.shape[:-1]
        self.n = len(self.shape)
        self._p = p
        self.lo, hi = float(p.min()), float(p.max())
        self.scale = hi - self.lo if hi > self.lo else 1.0
        self.d = [a - 1 for a in self.shape]
        self.off = np.concatenate([[0], np.cumsum(self.d)]).astype(int)
        self.D = int(self.off[-1])
        self._moved: dict = {}
        # bits[i]: (2**d_i, d_i) corner patterns of player i's block
        self.bits = [_bits(d) for d in self.d]
        # binary games: every player's gain u_i(0) - u_i(1) (scaled), constant
        # along i's own axis, stacked as (a_0, ..., a_{N-1}, i) for
        # :meth:`corner_values`
        self.binary = all(a == 2 for a in self.shape)
        if self.binary:
            H = binary_gains(p) / self.scale
            self.gains = H
            self.H = H.reshape(1, 2, -1)

    @functools.cached_property
    def P(self):
        """Per player: payoffs scaled to [0, 1] (the generic layout)."""
        return [np.ascontiguousarray((self._p[..., i] - self.lo) / self.scale)
                for i in range(self.n)]

    def moved(self, i):
        """Player i's payoffs with i's own action axis last, batch axis first."""
        if i not in self._moved:
            self._moved[i] = np.ascontiguousarray(np.moveaxis(self.P[i], i, -1))[None]
        return self._moved[i]

    def corner_values(self, lo, hi, act, ref):
        """F on every corner of each box.

        Generic games: per player (B, d_i, corners of the others). Binary games:
        one array (B, N, 2**N) over every corner of the box (F_i does not depend
        on i's own coordinate, so its values repeat along that axis), which
        :func:`_ranges`, :func:`_jacobian` and :func:`_point_eval` read directly.
        """
        if not self.binary:
            return self.coordinate_values(self.deviations(self.corner_strategies(lo, hi, act, ref)),
                                          act, ref)
        # one coordinate per player, x_j = sigma_j(act_j): contract the stacked
        # gains with each player's (corner, action) matrix in turn, N batched
        # products instead of N(N-1)
        B, n = lo.shape[0], self.n
        x = np.stack([lo, hi], axis=1)  # (B, corner, j)
        s0 = np.where((act == 0)[:, None, :], x, 1.0 - x)  # sigma_j(0) at each corner
        M = np.stack([s0, 1.0 - s0], axis=3)  # (B, corner, j, action)
        T = self.H
        for j in range(n):
            T = np.matmul(M[:, :, j, :], T.reshape(T.shape[0], 2, -1)).transpose(0, 2, 1)
        sign = np.where(act == 0, 1.0, -1.0)  # F = u(act) - u(ref)
        return T.reshape(B, n, 2 ** n) * sign[:, :, None]

    # -- strategies at corners -------------------------------------------------
    def corner_strategies(self, lo, hi, act, ref):
        """Per player: (B, 2**d_i, a_i) strategies at the corners of each box."""
        B = lo.shape[0]
        out = []
        for i, a in enumerate(self.shape):
            sl = slice(self.off[i], self.off[i + 1])
            bits = self.bits[i]
            x = np.where(bits[None], hi[:, None, sl], lo[:, None, sl])  # (B, c, d)
            V = np.zeros((B, bits.shape[0], a))
            if self.d[i]:
                bi = np.arange(B)[:, None, None]
                ci = np.arange(bits.shape[0])[None, :, None]
                V[bi, ci, act[:, None, sl]] = x
            V[np.arange(B), :, ref[:, i]] = 1.0 - x.sum(axis=2)
            out.append(V)
        return out

    def point_strategies(self, x, act, ref):
        """Per player: (B, a_i) strategies at points ``x`` (B, D)."""
        if self.binary:  # x_i is the probability of act_i
            s0 = np.where(act == 0, x, 1.0 - x)
            V = np.stack([s0, 1.0 - s0], axis=2)
            return [V[:, i] for i in range(self.n)]
        B = x.shape[0]
        out = []
        for i, a in enumerate(self.shape):
            sl = slice(self.off[i], self.off[i + 1])
            V = np.zeros((B, a))
            if self.d[i]:
                V[np.arange(B)[:, None], act[:, sl]] = x[:, sl]
            V[np.arange(B), ref[:, i]] = 1.0 - x[:, sl].sum(axis=1)
            out.append(V)
        return out

    # -- deviation payoffs -----------------------------------------------------
    def deviations(self, V):
        """Per player i: (B, a_i, prod of c_j for j != i) payoffs of i's actions at corners.

        ``V[j]`` has shape (B, c_j, a_j); the corner axes of the other players
        come in player order, each player's corners in the order of ``bits``.
        (Measured fastest of a batched matmul with the new corner axis moved
        last, one broadcast over the corner axes, and ``einsum``.)
        """
        B = V[0].shape[0]
        out = []
        for i in range(self.n):
            T = self.moved(i)  # (1, a_others..., a_i)
            for j in range(self.n):
                if j == i:
                    continue
                Vj = V[j]
                T = np.matmul(Vj, T.reshape(T.shape[0], Vj.shape[2], -1)).transpose(0, 2, 1)
            T = T.reshape(T.shape[0], self.shape[i], -1)
            if T.shape[0] != B:
                T = np.broadcast_to(T, (B,) + T.shape[1:])
            out.append(T)
        return out

    def coordinate_values(self, dev, act, ref):
        """F on every corner: list per player of (B, d_i, corners of others)."""
        out = []
        for i in range(self.n):
            T = dev[i]
            B = T.shape[0]
            sl = slice(self.off[i], self.off[i + 1])
            flat = T.reshape(B, T.shape[1], -1)
            r = flat[np.arange(B), ref[:, i]]  # (B, M)
            if self.d[i]:
                g = np.take_along_axis(flat, act[:, sl, None], axis=1) - r[:, None, :]
            else:
                g = np.zeros((B, 0, flat.shape[2]))
            out.append(g)
        return out


# ----------------------------------------------------------------------------
# box evaluation


def _ranges(game, vals):
    """(B, D) min and max of every coordinate function over the corners."""
    if game.binary:
        return vals.min(axis=2), vals.max(axis=2), vals.mean(axis=2)
    fmin = np.concatenate([g.min(axis=2) for g in vals], axis=1)
    fmax = np.concatenate([g.max(axis=2) for g in vals], axis=1)
    fmid = np.concatenate([g.mean(axis=2) for g in vals], axis=1)
    return fmin, fmax, fmid


@functools.lru_cache(maxsize=64)
def _edges(K: int):
    """Flat corner indices of the edges of a K-cube: (K, 2**(K-1)) lower and upper ends.

    Corner ``c`` has bit ``K - 1 - pos`` set when coordinate ``pos`` is at its
    upper end (the first coordinate is the most significant bit).
    """
    c = np.arange(2 ** K)
    lo = np.empty((K, max(1, 2 ** (K - 1))), dtype=np.intp)
    for pos in range(K):
        bit = 1 << (K - 1 - pos)
        lo[pos] = c[(c & bit) == 0]
    hi = lo + (1 << (K - 1 - np.arange(K)))[:, None]
    return lo, hi


def _cols(game, i):
    return [game.off[j] + k for j in range(game.n) if j != i for k in range(game.d[j])]


def _jacobian(game, vals, lo, hi):
    """Interval Jacobian (B, D, D) lower and upper bounds from corner values.

    ``dF/dx_c`` is constant along the edges in direction ``c``, so its range
    is the range of (value at the upper end - value at the lower end) / width
    over all such edges.
    """
    B = lo.shape[0]
    D = game.D
    width = hi - lo
    ok = width > 0
    winv = np.where(ok, 1.0 / np.where(ok, width, 1.0), 0.0)
    if game.binary:  # vals: (B, N, 2**N) over all corners; F_i's own column is 0
        elo, ehi = _edges(game.n)
        diff = vals[:, :, ehi] - vals[:, :, elo]  # (B, N, N, 2**(N-1))
        return diff.min(axis=3) * winv[:, None, :], diff.max(axis=3) * winv[:, None, :]
    Jlo = np.zeros((B, D, D))
    Jhi = np.zeros((B, D, D))
    for i in range(game.n):
        if not game.d[i]:
            continue
        cols = _cols(game, i)
        if not cols:
            continue
        elo, ehi = _edges(len(cols))
        g = vals[i]
        diff = g[:, :, ehi] - g[:, :, elo]  # (B, d_i, K, 2**(K-1))
        w = winv[:, cols][:, None, :]
        rows = slice(game.off[i], game.off[i + 1])
        Jlo[:, rows, cols] = diff.min(axis=3) * w
        Jhi[:, rows, cols] = diff.max(axis=3) * w
    return Jlo, Jhi


def _full_corners(game, vals):
    """Corner values of every coordinate function on all 2**D corners of each box:
    (B, D, 2**D), the first coordinate the most significant bit (player i's
    values repeat along i's own coordinates, on which they do not depend)."""
    if game.binary:
        return vals
    B = vals[0].shape[0]
    out = []
    for i, g in enumerate(vals):
        if not game.d[i]:
            continue
        before = 2 ** int(game.off[i])
        after = 2 ** int(game.D - game.off[i + 1])
        g = g.reshape(B, game.d[i], before, 1, after)
        out.append(np.broadcast_to(g, (B, game.d[i], before, 2 ** game.d[i], after))
                   .reshape(B, game.d[i], -1))
    return np.concatenate(out, axis=1)


def _point_eval(game, x, act, ref):
    """F (B, D) and Jacobian (B, D, D) at points x (exact: F is affine per coordinate)."""
    B = x.shape[0]
    vals = game.corner_values(x, x + 1.0, act, ref)
    if game.binary:  # corner 0 is x; corner "unit j" is x + e_j
        units = 1 << (game.n - 1 - np.arange(game.n))
        return vals[:, :, 0], vals[:, :, units] - vals[:, :, :1]
    F = np.zeros((B, game.D))
    J = np.zeros((B, game.D, game.D))
    for i in range(game.n):
        if not game.d[i]:
            continue
        cols = _cols(game, i)
        g = vals[i]
        rows = slice(game.off[i], game.off[i + 1])
        F[:, rows] = g[:, :, 0]
        if cols:
            unit = 1 << (len(cols) - 1 - np.arange(len(cols)))
            J[:, rows, cols] = g[:, :, unit] - g[:, :, :1]
    return F, J


# ----------------------------------------------------------------------------
# supports


def _supports(shape):
    per = []
    for a in shape:
        per.append([s for k in range(1, a + 1) for s in itertools.combinations(range(a), k)])
    return itertools.product(*per)


@functools.lru_cache(maxsize=32)
def _roots(shape):
    """Supports and their root boxes for a game shape (cached; read-only arrays)."""
    game = _Game(np.zeros(tuple(shape) + (len(shape),)))
    supports = list(_supports(shape))
    arrays = _root_boxes(game, supports)
    for a in arrays:
        a.setflags(write=False)
    return supports, arrays


@functools.lru_cache(maxsize=32)
def _support_masks(shape):
    """Per player: (n_supports, a_i) booleans, action in the support (cached)."""
    supports, _ = _roots(shape)
    out = []
    for i, a in enumerate(shape):
        m = np.array([[k in S[i] for k in range(a)] for S in supports])
        m.setflags(write=False)
        out.append(m)
    return out


@functools.lru_cache(maxsize=64)
def _bits(d):
    b = np.array(list(itertools.product((0, 1), repeat=d)), dtype=bool).reshape(2 ** d, d)
    b.setflags(write=False)
    return b


@functools.lru_cache(maxsize=16)
def _ternary_index(n):
    """For an n-player binary game: (3**n,) codes of each support profile per
    player (0, 1: that pure action; 2: both), stacked (3**n, n), and (3**n, n)
    flat indices into a (3,)*n table with player i's own code set to 0 (cached)."""
    codes = np.array(list(itertools.product(range(3), repeat=n)), dtype=np.intp).reshape(-1, n)
    weights = 3 ** np.arange(n - 1, -1, -1)
    flat = codes @ weights
    idx = flat[:, None] - codes * weights[None, :]  # own code -> 0
    for a in (codes, idx):
        a.setflags(write=False)
    return codes, idx


def _binary_root_filter(game, eps):
    """Which support profiles survive the exclusion tests on their root box
    (None unless every player has two actions).

    In a binary game the corners of a support's root box are pure profiles:
    the players on the support's mixed side range over both actions, the others
    are fixed. So the range of player i's gain ``u_i(0) - u_i(1)`` over a root
    box is its minimum and maximum over those profiles, read from a table over
    the 3**N patterns (each player at 0, at 1, or free; the gains do not depend
    on the player's own action). The tests are :func:`_step`'s on the root box,
    in a few array operations instead of a batch of vertex evaluations;
    surviving supports go to the search.
    """
    if not game.binary:
        return None
    n = game.n
    codes, idx = _ternary_index(n)
    tmin = tmax = game.gains  # (2,)*n + (n,)
    for ax in range(n):  # along each player: action 0, action 1, free
        tmin = np.concatenate([tmin, tmin.min(axis=ax, keepdims=True)], axis=ax)
        tmax = np.concatenate([tmax, tmax.max(axis=ax, keepdims=True)], axis=ax)
    cols = np.arange(n)
    lo_ = tmin.reshape(-1, n)[idx, cols]
    hi_ = tmax.reshape(-1, n)[idx, cols]
    # mixed: indifference needs 0 in the range; pure action 0: the deviation
    # gain -g must be <= 0 somewhere; pure action 1: g <= 0 somewhere
    ok = np.where(codes == 2, (lo_ <= eps) & (hi_ >= -eps),
                  np.where(codes == 0, hi_ >= -eps, lo_ <= eps))
    return ok.all(axis=1)


#: Supports with up to this many mixing players (at most 3) are solved in
#: closed form when every player has two actions (:func:`_binary_closed_form`).
CLOSED_FORM = 3
#: Below this, a closed-form coefficient (slope, discriminant, Jacobian
#: determinant; scaled gains are in [-1, 1]) counts as zero and the support is
#: left to the search, which handles ties and singular roots.
CLOSED_TOL = 1e-7


#: Three mixing players (a, b, c), action combinations 4a + 2b + c: per
#: player, its gain's values at the other two's combinations 00, 01, 10, 11
_CF_VALUES = np.array([[0, 1, 2, 3], [0, 1, 4, 5], [0, 2, 4, 6]]).T
#: ... turned into e0 + e1 x_j + e2 x_k + e3 x_j x_k (x: probability of action 0)
_CF_COEFS = np.array([[0, 0, 0, 1], [0, 1, 0, -1], [0, 0, 1, -1], [1, -1, -1, 1]], dtype=float)
#: R = c0 p_a p_b - c1 q_b p_a - c2 q_a p_b + c3 q_a q_b: the (coefficient, player)
#: of each factor's constant and t terms (p = e1 + e3 t, q = e0 + e2 t)
_CF_U = (np.array([[1, 3], [0, 2], [0, 2], [0, 2]]), np.array([[0, 0], [1, 1], [0, 0], [0, 0]]))
_CF_V = (np.array([[1, 3], [1, 3], [1, 3], [0, 2]]), np.array([[1, 1], [0, 0], [1, 1], [1, 1]]))
_CF_SIGN = np.array([[1.0], [-1.0], [-1.0], [1.0]])


def _binary_closed_form(game, sid):
    """Roots of the binary supports with 0, 2 or 3 mixing players, in closed form.

    Returns ``(x, sid_of_x, rest)``: the roots (K, N) in the search's
    coordinates (a mixing player's probability of action 0; 0 for the others),
    the support of each, and a mask over ``sid`` of the supports left to the
    box search (one mixing player or more than three, or a case below
    :data:`CLOSED_TOL`).

    With the others' actions fixed, a mixing player's gain is multi-affine in
    the other mixing players' probabilities and does not depend on its own.
    Two mixing players: each gain is affine in the other's probability, so
    each equation fixes the other's probability. Three (a, b, c), with t the
    probability of c: g_a = q_a(t) + p_a(t) x_b and g_b = q_b(t) + p_b(t) x_a
    give x_b = -q_a/p_a and x_a = -q_b/p_b; putting them into g_c and
    multiplying by p_a p_b gives a quadratic R(t) whose roots hold every
    solution with p_a, p_b != 0 (elimination; McKelvey and McLennan 1996, §6).
    At a root, the Jacobian determinant of the three equations is -R'(t), so
    the root is regular exactly when R's discriminant is not 0. A support is
    left to the search when R vanishes identically, has a (near-)double root,
    or a root in [0, 1] where p_a or p_b vanishes (a line of solutions may pass
    there): every root returned is regular, and a support not left to the
    search has no other root.
    """
    n = game.n
    codes = _ternary_index(n)[0][sid]  # (B, n): 0, 1 pure; 2 mixing
    mix = codes == 2
    m = mix.sum(axis=1)
    rest = (m == 1) | (m > CLOSED_FORM)
    pure = np.flatnonzero(m == 0)  # they passed the root tests: pure equilibria
    xs, ss = [np.zeros((len(pure), n))], [sid[pure]]
    table = game.gains.reshape(-1, n)
    weights = 1 << (n - 1 - np.arange(n))
    d = CLOSED_TOL
    for k in range(2, CLOSED_FORM + 1):
        rows = np.flatnonzero(m == k)
        if not len(rows):
            continue
        players = np.nonzero(mix[rows])[1].reshape(-1, k)  # (B, k), ascending
        # each action combination of the mixing players (the first the most
        # significant bit) on top of the pure players' actions
        base = (np.where(codes[rows] == 1, weights, 0)).sum(axis=1)
        combos = _bits(k).astype(np.intp) @ weights[players].T  # (2**k, B)
        T = table[(base + combos)[:, :, None], players[None]]  # (2**k, B, k)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if k == 2:
                # g_a(x_b) = T_a[b=1] + (T_a[b=0] - T_a[b=1]) x_b, combos (a, b) = 2a + b
                slope = np.stack([T[0, :, 1] - T[2, :, 1], T[0, :, 0] - T[1, :, 0]], axis=1)
                bad = (np.abs(slope) <= d).any(axis=1)
                X = (-np.stack([T[2, :, 1], T[1, :, 0]], axis=1) / slope)[None]  # (1, B, 2)
            else:
                E = (_CF_COEFS @ T[_CF_VALUES, :, np.arange(3)].reshape(4, -1)).reshape(4, 3, -1)
                U, V = E[_CF_U], E[_CF_V]  # (4, 2, B): constant and t terms
                W = E[:, 2] * _CF_SIGN  # c0, -c1, -c2, c3
                r0 = (W * U[:, 0] * V[:, 0]).sum(axis=0)
                r1 = (W * (U[:, 0] * V[:, 1] + U[:, 1] * V[:, 0])).sum(axis=0)
                r2 = (W * U[:, 1] * V[:, 1]).sum(axis=0)
                disc = r1 * r1 - 4 * r2 * r0
                bad = ((np.maximum(np.maximum(np.abs(r0), np.abs(r1)), np.abs(r2)) <= d)
                       | (np.abs(disc) <= np.maximum(d * (r1 * r1 + 4 * np.abs(r2 * r0)), d * d)))
                sq = np.sqrt(np.maximum(disc, 0.0))
                q = -(r1 + np.copysign(sq, r1)) / 2
                t = np.stack([q / r2, r0 / q])  # (2, B): the roots, without cancellation
                t[:, disc < 0] = np.nan
                p_ = E[1, None, :2] + E[3, None, :2] * t[:, None]  # (2, 2, B): p_a, p_b
                q_ = E[0, None, :2] + E[2, None, :2] * t[:, None]
                inside = (t >= -d) & (t <= 1 + d)
                bad |= (inside & (np.abs(p_) <= d).any(axis=1)).any(axis=0)
                X = np.stack([-q_[:, 1] / p_[:, 1], -q_[:, 0] / p_[:, 0], t], axis=2)
            ok = (X >= -d).all(axis=2) & (X <= 1 + d).all(axis=2) & ~bad  # NaN fails
        c_, b_ = np.nonzero(ok)
        x = np.zeros((len(b_), n))
        x[np.arange(len(b_))[:, None], players[b_]] = X[c_, b_]
        xs.append(x)
        ss.append(sid[rows[b_]])
        rest[rows[bad]] = True
    return np.concatenate(xs), np.concatenate(ss), rest


def _root_boxes(game, supports):
    """lo, hi, act, ref, free for the root box of each support."""
    B = len(supports)
    D = game.D
    lo = np.zeros((B, D))
    hi = np.zeros((B, D))
    act = np.zeros((B, D), dtype=np.intp)
    ref = np.zeros((B, game.n), dtype=np.intp)
    for b, S in enumerate(supports):
        for i, Si in enumerate(S):
            r = max(Si)
            ref[b, i] = r
            others = [a for a in range(game.shape[i]) if a != r]
            for k, a in enumerate(others):
                c = game.off[i] + k
                act[b, c] = a
                if a in Si:
                    hi[b, c] = 1.0
    return lo, hi, act, ref


# ----------------------------------------------------------------------------
# the solver


def nplayer_equilibria(payoffs, tol: float = 1e-9, *, max_boxes: int = 200_000,
                       min_width: float = 2.0 ** -14,
                       max_seconds: float = 5.0) -> NPlayerResult:
    """Every isolated Nash equilibrium of a finite N-player game, and its continua.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
        Stacked payoff array (or a :class:`dilemma.game.Game`).
    tol : float, default 1e-9
        Payoff tolerance (payoff units) for ties and the best-response check.
    max_boxes : int, default 200_000
        Budget of boxes; when spent the result is marked not exhaustive.
    min_width : float, default 2**-14
        Boxes narrower than this (probability units) are not bisected further.
    max_seconds : float, default 5.0
        Time budget (wall clock) of the search; when spent the result is
        marked not exhaustive, like the box budget.

    Returns
    -------
    NPlayerResult

    Raises
    ------
    ParameterError
        If ``payoffs`` is not a finite array of shape ``(a_1, ..., a_N, N)``,
        or a budget parameter is out of range.

    Examples
    --------
    A three-firm stag hunt (each firm gets 3 by cutting, 4 by spending when
    both others spend, else 0) has two pure equilibria and one symmetric mixed
    equilibrium where each firm spends with probability sqrt(3)/2:

    >>> import numpy as np
    >>> p = np.zeros((2, 2, 2, 3))
    >>> for prof in np.ndindex(2, 2, 2):
    ...     for i in range(3):
    ...         others = [prof[j] for j in range(3) if j != i]
    ...         p[prof + (i,)] = 3.0 if prof[i] == 1 else (4.0 if others == [0, 0] else 0.0)
    >>> res = nplayer_equilibria(p)
    >>> len(res), res.exhaustive, round(float(res[2][0][0]), 6)
    (3, True, 0.866025)
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    if not isinstance(max_boxes, (int, np.integer)) or max_boxes < 1:
        raise ParameterError("max_boxes", "an integer >= 1", max_boxes)
    if not 0 < float(min_width) < 1:
        raise ParameterError("min_width", "a number in (0, 1)", min_width)
    if not float(max_seconds) > 0:
        raise ParameterError("max_seconds", "a number > 0 (seconds)", max_seconds)
    return _solve(p, tol, int(max_boxes), float(min_width), float(max_seconds))


def _solve(p, tol, max_boxes, min_width, max_seconds=5.0):
    from dilemma.equilibria.check import _regrets as regrets

    game = _Game(p)
    n, D = game.n, game.D
    notes: list[str] = []
    if D > MAX_COORDINATES:
        return NPlayerResult([], [], [], False, None,
                             [f"game too large for the support search ({D} probability "
                              f"coordinates > {MAX_COORDINATES}): nothing searched"], 0, 0)
    n_supports = int(np.prod([2 ** a - 1 for a in game.shape], dtype=float))
    if n_supports > max_boxes:
        return NPlayerResult([], [], [], False, None,
                             [f"game too large for the support search ({n_supports} support "
                              f"profiles > the budget of {max_boxes} boxes): nothing searched"],
                             0, n_supports)
    eps = max(tol / game.scale, 1e-12)
    supports, (lo, hi, act, ref) = _roots(tuple(game.shape))
    sid = np.arange(len(supports))
    free_all = hi > lo  # which coordinates are free, per support
    keep = _binary_root_filter(game, eps)
    closed = None
    if keep is not None:  # the root boxes' tests, read off the pure profiles
        sid = np.flatnonzero(keep)
        # supports with at most three mixing players: in closed form
        cx, csid, rest = _binary_closed_form(game, sid)
        closed = (cx, act[csid], ref[csid], csid)
        sid = sid[rest]
        lo, hi, act, ref = lo[sid], hi[sid], act[sid], ref[sid]
    chunk = max(1, int(2 ** 21 // (2 ** D * max(game.shape))))
    check_tol_abs = max(tol, 1e-9) * max(1.0, game.scale)
    supp_mask = _support_masks(tuple(game.shape))

    def to_strategy(x, a, r):
        V = game.point_strategies(x[None], a[None], r[None])
        return tuple(np.clip(v[0], 0.0, None) / np.clip(v[0], 0.0, None).sum() for v in V)

    unique = []    # (lo, hi, act, ref, sid, Y) of boxes with one certified root
    points = []    # pure / point solutions: (x, act, ref, sid)
    cont_boxes = []  # (lo, hi, act, ref, sid) boxes made entirely of solutions
    leaves = []    # (lo, hi, act, ref, sid)
    partial = []   # (lo, hi, act, ref, sid) boxes on the edge of a continuum
    state = {"boxes": len(supports) - len(sid), "budget_hit": False}
    started = time.perf_counter()
    coarse = max(min_width, 2.0 ** -6)

    def search(lo, hi, act, ref, sid, width, out_leaves, part_width=None):
        part_width = coarse if part_width is None else part_width
        pending = []  # injective boxes, for one batched Newton run
        while len(lo):
            if (state["boxes"] + len(lo) > max_boxes
                    or time.perf_counter() - started > max_seconds):
                state["budget_hit"] = True
                break
            state["boxes"] += len(lo)
            nxt = []
            for s in range(0, len(lo), chunk):
                sl = slice(s, s + chunk)
                out = _step(game, lo[sl], hi[sl], act[sl], ref[sl], sid[sl], free_all, eps,
                            width, part_width)
                partial.extend(out["partial"])
                unique.extend(out["unique"])
                points.extend(out["points"])
                cont_boxes.extend(out["cont"])
                out_leaves.extend(out["leaves"])
                pending.extend(out["inj"])
                if out["next"] is not None:
                    nxt.append(out["next"])
            if not nxt and pending:
                # Newton from K's centre on every injective box found so far; a
                # box where it does not converge inside is cut and searched on
                ilo, ihi, iact, iref, isid, ikc, islo, ishi, ifree, iin, iY = _joined(pending)
                pending = []
                x, conv = _newton_points(game, ikc, iact, iref, ifree, lo=ilo, hi=ihi)
                within = conv & ((x >= ilo - 1e-12) & (x <= ihi + 1e-12)).all(axis=1)
                for b in np.flatnonzero(within):
                    points.append((x[b], iact[b], iref[b], int(isid[b])))
                u_ = ~within & iin  # one zero proved: found by the end
                if u_.any():
                    unique.append((ilo[u_], ihi[u_], iact[u_], iref[u_], isid[u_], iY[u_]))
                if not (within | iin).all():
                    f_ = ~within & ~iin
                    out = {"leaves": [], "next": None}
                    _split(islo[f_], ishi[f_], iact[f_], iref[f_], isid[f_], width, out)
                    out_leaves.extend(out["leaves"])
                    if out["next"] is not None:
                        nxt.append(out["next"])
            if not nxt:
                break
            lo, hi, act, ref, sid = _joined(nxt)

    # Phase 1 stops at a coarse width; wide groups of coarse leaves on which
    # Newton finds equilibria far apart are continua (curves, surfaces) and are
    # not refined; the other coarse leaves are refined down to ``min_width``.
    coarse_leaves: list = []
    search(lo, hi, act, ref, sid, coarse, coarse_leaves)
    wide_continua = []  # (lo, hi, act, ref, sid, examples)
    refine = []
    if coarse_leaves and not state["budget_hit"]:
        pieces = [q + (np.zeros(len(q[0]), dtype=bool),) for q in coarse_leaves]
        for g in _group_boxes(pieces):
            glo, ghi, gact, gref, gsid = g[:5]
            width = float((ghi.max(axis=0) - glo.min(axis=0)).max())
            sols = []
            if width > 4 * coarse and coarse > min_width:
                sols = _leaf_solutions(game, p, glo, ghi, gact, gref, check_tol_abs,
                                       to_strategy, tries=12)
            # a continuum: equilibria far apart, each with a singular Jacobian
            # (a regular root is isolated; along a continuum the tangent is a
            # null vector)
            spread = (len(sols) >= 2 and all(sv < 1e-7 for _, sv in sols) and max(
                max(np.abs(u - v).max() for u, v in zip(a[0], b[0])) for a in sols for b in sols)
                > 4 * coarse)
            sols = [q[0] for q in sols]
            if spread:
                wide_continua.append((glo, ghi, gact, gref, gsid, sols[0]))
            else:
                refine.append((glo, ghi, gact, gref, gsid))
        for glo, ghi, gact, gref, gsid in refine:
            if coarse > min_width:
                search(glo, ghi, gact, gref, gsid, min_width, leaves)
            else:
                leaves.append((glo, ghi, gact, gref, gsid))
    # Boxes on the edge of a continuum stop at the coarse width only next to boxes
    # made of solutions (a full-dimensional continuum); alone, they may be a
    # single tied point, so they are refined like the rest.
    if partial and not state["budget_hit"] and coarse > min_width:
        sol_pieces = [q + (np.ones(len(q[0]), dtype=bool),) for q in cont_boxes]
        part_pieces = [q + (np.zeros(len(q[0]), dtype=bool),) for q in partial]
        again = []
        kept = []
        for g in _group_boxes(sol_pieces + part_pieces):
            glo, ghi, gact, gref, gsid, gsol = g
            if gsol.any():
                if (~gsol).any():
                    kept.append((glo[~gsol], ghi[~gsol], gact[~gsol], gref[~gsol], gsid[~gsol]))
            else:
                again.append((glo, ghi, gact, gref, gsid))
        partial[:] = kept
        for glo, ghi, gact, gref, gsid in again:
            search(glo, ghi, gact, gref, gsid, min_width, leaves, part_width=min_width)
    boxes = state["boxes"]
    budget_hit = state["budget_hit"]

    # --- roots of certified boxes --------------------------------------------
    xs, acts, refs, sids = [], [], [], []
    if closed is not None and len(closed[0]):
        for lst, a in zip((xs, acts, refs, sids), closed):
            lst.append(a)
    if unique:
        ulo, uhi, uact, uref, usid, uY = _joined(unique)
        xs.append(_newton(game, (ulo + uhi) / 2, ulo, uhi, uact, uref, uY, free_all[usid]))
        acts.append(uact)
        refs.append(uref)
        sids.append(usid)
    if points:
        xs.append(np.array([q[0] for q in points]))
        acts.append(np.array([q[1] for q in points]))
        refs.append(np.array([q[2] for q in points]))
        sids.append(np.array([q[3] for q in points]))

    eqs, cert, flat, idle = [], [], [], []  # idle: a best response left unplayed
    seen: dict = {}

    def add(strat, certified, passes=None, key=None, unused=None):
        v = np.concatenate(strat)
        key = tuple(np.round(v, 7).tolist()) if key is None else key
        k = seen.get(key)
        if k is not None:
            cert[k] = cert[k] and certified
            return True
        if passes is None:
            passes = bool(np.all(regrets(p, strat) <= check_tol_abs))
        if not passes:
            return False
        near = np.flatnonzero(_near(v, np.array(flat))) if flat else ()
        k = int(near[0]) if len(near) else None
        if k is not None:
            cert[k] = cert[k] and certified
            return True
        seen[key] = len(eqs)
        eqs.append(strat)
        flat.append(v)
        cert.append(certified)
        idle.append(unused)
        return True

    if xs:
        X = np.concatenate(xs)
        A_, R_, S_ = np.concatenate(acts), np.concatenate(refs), np.concatenate(sids)
        V = game.point_strategies(X, A_, R_)
        inside = np.stack([v.min(axis=1) >= -1e-9 for v in V]).all(axis=0)
        # a root with a zero probability on its support belongs to a smaller
        # support (found there, as an isolated root or in a continuum); 1e-13,
        # rounding noise only: ties broken by tiny payoff noise give genuine
        # equilibria with probabilities like 5e-12, which the smaller support
        # holds only within the tolerance
        positive = np.stack([(~supp_mask[i][S_] | (V[i] > 1e-13)).all(axis=1)
                             for i in range(n)]).all(axis=0)
        inside &= positive
        k_in = np.flatnonzero(inside)  # roots outside the simplex are dropped
        if len(k_in):
            V = [np.clip(v[k_in], 0.0, None) for v in V]
            V = [v / v.sum(axis=1, keepdims=True) for v in V]
            passes, unused, regret = _best_response_check(p, V, tol, check_tol_abs)
            # one row per profile (the same root is often found in several boxes),
            # picked among the rows that pass the check, the smallest regret
            # first: a near-copy from another support that is an equilibrium only
            # within the tolerance (a pure player off by 1e-9) must not hide or
            # stand for the exact root
            ok = np.flatnonzero(passes)
            ok = ok[np.argsort(regret[ok], kind="stable")]
            V, unused = [v[ok] for v in V], unused[ok]
            keys = map(tuple, np.round(np.concatenate(V, axis=1), 7).tolist())
            for k, key in enumerate(keys):  # the first of near-equal rows stands for them
                add(tuple(v[k] for v in V), True, passes=True, key=key, unused=bool(unused[k]))

    # --- continua and leaves ------------------------------------------------------
    # Boxes made entirely of solutions, and undecided leaves, are grouped by
    # support and by touching: a group is one connected set of equilibria (or
    # one singular root, or an undecided spot).
    pieces = []  # (lo, hi, act, ref, sid, is_solution_box)
    for clo, chi, cact, cref, csid in cont_boxes:
        pieces.append((clo, chi, cact, cref, csid, np.ones(len(clo), dtype=bool)))
    if budget_hit:
        undecided = True
    else:
        undecided = False
        for llo, lhi, lact, lref, lsid in leaves + partial:
            pieces.append((llo, lhi, lact, lref, lsid, np.zeros(len(llo), dtype=bool)))
    found_regions = []  # (lower, upper, S, example, exact)
    for glo, ghi, gact, gref, gsid, example in wide_continua:
        bnd = _bounds(game, glo, ghi, gact, gref)
        if bnd is not None:
            found_regions.append(bnd + (supports[int(gsid[0])], example, False))
    for glo, ghi, gact, gref, gsid, gsol in (_group_boxes(pieces) if pieces else []):
        S = supports[int(gsid[0])]
        bnd = _bounds(game, glo, ghi, gact, gref)
        if bnd is None:
            continue
        lower, upper = bnd
        if gsol.any():
            k0 = int(np.flatnonzero(gsol)[0])
            ex = to_strategy(_into_simplex(game, (glo[k0] + ghi[k0]) / 2, glo[k0], ghi[k0]),
                             gact[k0], gref[k0])
            example = ex if np.all(regrets(p, ex) <= check_tol_abs) else None
        width = float((ghi.max(axis=0) - glo.min(axis=0)).max())
        if not gsol.any():
            example = _leaf_solution(game, p, glo, ghi, gact, gref, check_tol_abs, to_strategy,
                                     snap=width <= 4 * min_width)
        # a single point (a pure support); rtol=0: numpy's default relative
        # tolerance took a tiny box around a mixed root for a point, and its
        # corner, not the root, failed the check and was dropped unseen
        if all(np.allclose(l, u, rtol=0.0, atol=1e-12) for l, u in zip(lower, upper)):
            add(tuple(l.copy() for l in lower), True)
            continue
        if not gsol.any() and width <= 4 * min_width:
            if example is not None:
                before = len(eqs)
                add(example, False)
                if len(eqs) > before:
                    notes.append("a singular equilibrium (its uniqueness in a small box "
                                  "could not be proved; two roots closer than "
                                  f"{4 * min_width:.1g} would be listed as one)")
            else:
                undecided = True
            continue
        if example is None:
            undecided = True
        free = ghi > glo
        vol = np.prod(np.where(free, ghi - glo, 1.0), axis=1).sum()
        span = np.where(free.any(axis=0), ghi.max(axis=0) - glo.min(axis=0), 1.0)
        exact = bool(gsol.all() and abs(vol - np.prod(span)) <= 1e-9 * np.prod(span))
        found_regions.append((lower, upper, S, example, exact))
    # drop sets contained in a larger one (faces of a flat box, pieces of a curve)
    continua = []
    def nested(small, big):  # support of ``small`` within that of ``big``
        return all(set(a) <= set(b) for a, b in zip(small[2], big[2]))

    for k, reg in enumerate(found_regions):
        inside = any(m_ != k and (other[4] or nested(reg, other)) and _contains(other, reg)
                     and (not _contains(reg, other) or m_ < k)
                     for m_, other in enumerate(found_regions))
        if not inside:
            lower, upper, S, example, exact = reg
            continua.append(Continuum(S, lower, upper, example, exact))

    # --- order, degeneracy, notes ------------------------------------------------
    keys = _sort_keys(flat)
    order = sorted(range(len(eqs)), key=keys.__getitem__)
    eqs = [eqs[k] for k in order]
    cert = [cert[k] for k in order]
    exhaustive = not budget_hit and not undecided
    # an unplayed best response (known for the roots checked in one batch above)
    todo = [k for k, u in enumerate(idle) if u is None]
    if todo:
        idle_ = _best_response_check(p, [np.array([eqs[k][i] for k in todo]) for i in range(n)],
                                     tol, check_tol_abs)[1]
        for k, u in zip(todo, idle_):
            idle[k] = bool(u)
    degenerate = bool(continua) or not all(cert) or any(idle)
    if not degenerate and not exhaustive:
        degenerate = None
    if budget_hit:
        notes.append(f"search budget spent ({boxes} boxes of {max_boxes}, or "
                     f"{max_seconds:g} s): the list may be incomplete")
    elif undecided:
        notes.append("some small regions could be neither excluded nor resolved: the list "
                     "may be incomplete")
    for c in continua:
        notes.append("continuum of equilibria: " + c.describe())
    return NPlayerResult(eqs, cert, continua, exhaustive, degenerate, notes, boxes,
                         len(supports))


def _step(game, lo, hi, act, ref, sid, free_all, eps, min_width, partial_width=0.0):
    """Evaluate a batch of boxes: sort them into discarded/unique/continua/leaves/next."""
    out = {"unique": [], "points": [], "cont": [], "leaves": [], "partial": [], "inj": [],
           "next": None}
    free = hi > lo
    vals = game.corner_values(lo, hi, act, ref)
    fmin, fmax, fmid = _ranges(game, vals)
    eq = free_all[sid]  # coordinates whose action is in the support: equations
    # simplex: sigma_ref = 1 - sum(x) over each player's coordinates
    bad = ((eq & ((fmin > eps) | (fmax < -eps))).any(axis=1)
           | (~eq & (fmin > eps)).any(axis=1))
    if not game.binary:  # one coordinate per binary player: always inside the simplex
        smax = np.stack([1 - lo[:, game.off[i]:game.off[i + 1]].sum(axis=1)
                         for i in range(game.n)], axis=1)
        bad |= (smax < -1e-12).any(axis=1)
    allsol = (~bad & (~eq | ((fmin >= -eps) & (fmax <= eps))).all(axis=1)
              & (eq | (fmax <= eps)).all(axis=1))
    point = allsol & ~free.any(axis=1)
    if point.any():
        for k in np.flatnonzero(point):
            out["points"].append((lo[k].copy(), act[k], ref[k], int(sid[k])))
    box = allsol & ~point
    if box.any():
        out["cont"].append((lo[box], hi[box], act[box], ref[box], sid[box]))
    live = ~bad & ~allsol
    # every equation vanishes on the box but an inequality is undecided: the box
    # lies on the edge of a full-dimensional continuum; not refined below
    # ``partial_width``
    eqzero = live & (~eq | ((fmin >= -eps) & (fmax <= eps))).all(axis=1)
    if eqzero.any():
        wmax = np.max(np.where(free, hi - lo, 0.0), axis=1)
        part = eqzero & (wmax < partial_width)
        if part.any():
            out["partial"].append((lo[part], hi[part], act[part], ref[part], sid[part]))
            live &= ~part
    if not live.any():
        return out
    idx = np.flatnonzero(live)
    lo, hi, act, ref, sid, free = lo[idx], hi[idx], act[idx], ref[idx], sid[idx], free[idx]
    vals = vals[idx] if game.binary else [v[idx] for v in vals]
    fmid = fmid[idx]
    Jlo, Jhi = _jacobian(game, vals, lo, hi)
    B, D = lo.shape
    eye = np.eye(D)
    fr = free[:, :, None] & free[:, None, :]
    # the free block of the interval Jacobian, the identity on fixed coordinates
    Jc = np.where(fr, (Jlo + Jhi) / 2, 0.0) + (~free[:, :, None] & np.eye(D, dtype=bool))
    Jr = np.where(fr, (Jhi - Jlo) / 2, 0.0)
    m = (lo + hi) / 2
    Fm = np.where(free, fmid, 0.0)
    rad = (hi - lo) / 2
    det = np.linalg.det(Jc)
    okY = np.isfinite(det) & (np.abs(det) > 1e-14)
    if okY.all():
        Y = np.linalg.inv(Jc)
    else:
        Y = np.zeros_like(Jc)
        if okY.any():
            Y[okY] = np.linalg.inv(Jc[okY])
    # |I - Y J(X)| <= |I - Y mid J| + |Y| rad J (zero outside the free block:
    # Y and mid J are block-diagonal with the identity on fixed coordinates)
    A = np.abs(eye[None] - Y @ Jc) + np.abs(Y) @ Jr
    krad = np.einsum("bij,bj->bi", A, rad)
    kc = m - np.einsum("bij,bj->bi", Y, Fm)
    slack = 1e-12 + 1e-9 * rad
    klo, khi = kc - krad - slack, kc + krad + slack
    # K(X) inside X proves a zero exists (Brouwer); ||I - Y J(X)|| < 1 proves F
    # is injective on X, so the zero is unique (closed containment suffices, which
    # certifies roots on the simplex's faces too)
    contr = np.where(fr, A, 0.0).sum(axis=2).max(axis=1)
    inside = (okY & (contr < 1.0)
              & (~free | ((klo >= lo - 1e-12) & (khi <= hi + 1e-12))).all(axis=1))
    miss = okY & (free & ((khi < lo) | (klo > hi))).any(axis=1)
    # Preconditioned range test: each row of Y F is a linear combination of the
    # equations, multi-affine like them, so its exact range over the box is the
    # range of its vertex values; a row whose range misses 0 proves there is no
    # zero in the box. Much sharper than the rows of F alone (or the mean-value
    # form of K) near a zero just outside the box.
    if okY.any():
        G = Y @ _full_corners(game, vals)  # (B, D, 2**D); Y is block-diagonal
        margin = (eps + 1e-12) * np.abs(Y).sum(axis=2)
        miss |= okY & (free & ((G.min(axis=2) > margin) | (G.max(axis=2) < -margin))).any(axis=1)
    # Injective boxes (||I - Y J(X)|| < 1: at most one zero): Newton from the
    # centre of K(X), run by the caller once for a whole search; a zero it
    # converges to inside the box is the box's only zero, else the box is cut.
    # (a box where K(X) lies inside X holds exactly one zero: if Newton fails
    # there, the contracting iteration of :func:`_newton` finds it)
    inj = (okY & (contr < 1.0) & ~miss
           & (~free | ((kc >= lo - 1e-9) & (kc <= hi + 1e-9))).all(axis=1))
    todo = inside & ~inj
    if todo.any():
        out["unique"].append((lo[todo], hi[todo], act[todo], ref[todo], sid[todo], Y[todo]))
    rest = ~inside & ~miss
    if not (rest | inj).any():
        return out
    # every zero of F in X lies in K(X): shrink X to X ∩ K(X) before bisecting
    shrink = okY[:, None] & free
    slo = np.where(shrink, np.maximum(lo, klo), lo)
    shi = np.where(shrink, np.minimum(hi, khi), hi)
    if inj.any():
        out["inj"].append((lo[inj], hi[inj], act[inj], ref[inj], sid[inj], kc[inj],
                           slo[inj], shi[inj], free[inj], inside[inj], Y[inj]))
    rest &= ~inj
    if rest.any():
        _split(slo[rest], shi[rest], act[rest], ref[rest], sid[rest], min_width, out)
    return out


def _split(lo, hi, act, ref, sid, min_width, out):
    """Cut boxes along their widest coordinates (``out["next"]``); boxes
    narrower than ``min_width`` are leaves (``out["leaves"]``)."""
    w = hi - lo
    leaf = w.max(axis=1) < min_width
    if leaf.any():
        out["leaves"].append((lo[leaf], hi[leaf], act[leaf], ref[leaf], sid[leaf]))
    sp = ~leaf
    if sp.any():
        # split along up to SPLIT of the widest coordinates at once (2**k
        # children): fewer, larger batches — the cost per level is mostly fixed
        lo, hi, act, ref, sid, w = lo[sp], hi[sp], act[sp], ref[sp], sid[sp], w[sp]
        D = w.shape[1]
        k = min(SPLIT, D)
        cols = np.argsort(-w, axis=1)[:, :k]
        cw = np.take_along_axis(w, cols, axis=1)
        use = cw >= np.maximum(min_width, cw[:, :1] / 2)  # split only the wide ones
        # pos[b, d]: which of the k cuts runs along coordinate d (k: none)
        pos = np.full(w.shape, k)
        pos[np.arange(len(w))[:, None], cols] = np.where(use, np.arange(k), k)
        # split a little off the middle, at an irrational fraction: payoffs with
        # small denominators put roots at dyadic points like 3/4, and a root on
        # a cut cannot be certified inside either half
        mid = lo + CUT * w
        # child c takes the upper part along cols[:, j] where bit j of c is set
        # (the first coordinate is the most significant bit), else the lower
        bits = _bits(k)
        none = np.zeros((len(bits), 1), dtype=bool)
        up = np.concatenate([bits, none], axis=1)[:, pos]  # (2**k, B, D)
        down = np.concatenate([~bits, none], axis=1)[:, pos]
        L = np.where(up, mid[None], lo[None])
        H = np.where(down, mid[None], hi[None])
        # children that did not split along a coordinate are duplicates: drop them
        keep = (~bits[:, None, :] | use[None, :, :]).all(axis=2)
        b_ = np.nonzero(keep)[1]
        out["next"] = (L[keep], H[keep], act[b_], ref[b_], sid[b_])


def _newton_points(game, x, act, ref, free, iters=8, lo=None, hi=None):
    """Newton's method on the support systems; returns (x, converged).

    Rows stop when converged, or when they leave ``[lo, hi]`` by more than its
    width (then they count as not converged).
    """
    B, D = x.shape
    eye = np.where(~free[:, :, None] & (np.eye(D)[None] > 0), 1.0, 0.0)
    fr2 = free[:, :, None] & free[:, None, :]
    x = x.copy()
    conv = np.zeros(B, dtype=bool)
    dead = np.zeros(B, dtype=bool)
    last = np.full(B, np.inf)
    for _ in range(iters + 1):
        F, J = _point_eval(game, x, act, ref)
        F = np.where(free, F, 0.0)
        res = np.abs(F).max(axis=1)
        conv |= ~dead & (res < 1e-13)
        # Newton converges quadratically near a regular root: a residual that
        # does not at least halve marks a start too far away
        dead |= ~conv & ((res > 0.5 * last) | ~np.isfinite(res))
        last = res
        live = ~conv & ~dead
        if not live.any():
            break
        J = np.where(fr2, J, 0.0) + eye
        det = np.linalg.det(J)
        good = np.isfinite(det) & (np.abs(det) > 1e-300)
        dead |= live & ~good
        live &= good
        J[~good] = np.eye(D)  # keeps the batched solve well posed; those rows stay put
        x = np.where(live[:, None], x - np.linalg.solve(J, F[..., None])[..., 0], x)
        if lo is not None:
            w = hi - lo
            dead |= live & ((x < lo - w) | (x > hi + w)).any(axis=1)
    return x, conv


def _newton(game, x, lo, hi, act, ref, Y, free, iters=8):
    """Newton's method from the centre of each certified box; where it leaves the
    box or stalls, the contracting iteration x <- x - Y F(x) (Krawczyk's Y)."""
    x0 = x.copy()
    eye = np.where(~free[:, :, None] & (np.eye(game.D)[None] > 0), 1.0, 0.0)
    fr2 = free[:, :, None] & free[:, None, :]
    for _ in range(iters):
        F, J = _point_eval(game, x, act, ref)
        F = np.where(free, F, 0.0)
        if np.abs(F).max() < 1e-14:
            break
        J = np.where(fr2, J, 0.0) + eye
        try:
            step = np.linalg.solve(J, F[..., None])[..., 0]
        except np.linalg.LinAlgError:
            break
        x = x - step
    F, _ = _point_eval(game, x, act, ref)
    F = np.where(free, F, 0.0)
    bad = ~(((x >= lo - 1e-9) & (x <= hi + 1e-9)).all(axis=1)
            & (np.abs(F).max(axis=1) < 1e-12)) if len(x) else np.zeros(0, bool)
    if bad.any():
        xs, sl, sh, sa, sr, sY, sf = x0[bad], lo[bad], hi[bad], act[bad], ref[bad], Y[bad], free[bad]
        for _ in range(200):
            F, _ = _point_eval(game, xs, sa, sr)
            F = np.where(sf, F, 0.0)
            step = np.einsum("bij,bj->bi", sY, F)
            xs = np.clip(xs - step, sl, sh)
            if np.abs(step).max() < 1e-15:
                break
        x[bad] = xs
    return x


def _region(game, lo, hi, act, ref, clip=False):
    """Per-player probability bounds of box ∩ simplex (None if empty)."""
    L, U, ok = _regions(game, lo[None], hi[None], act[None], ref[None])
    if not ok[0]:
        return None
    return tuple(v[0] for v in L), tuple(v[0] for v in U)


def _regions(game, lo, hi, act, ref):
    """Vectorised :func:`_region`: per player (B, a_i) lower and upper bounds, and
    which boxes meet the simplex."""
    B = lo.shape[0]
    rows = np.arange(B)
    lower, upper = [], []
    ok = np.ones(B, dtype=bool)
    for i, a in enumerate(game.shape):
        sl = slice(game.off[i], game.off[i + 1])
        l, h = lo[:, sl], hi[:, sl]
        ls = l.sum(axis=1)
        ok &= 1 - ls >= -1e-12
        Lo, Up = np.zeros((B, a)), np.zeros((B, a))
        if game.d[i]:
            Lo[rows[:, None], act[:, sl]] = l
            Up[rows[:, None], act[:, sl]] = np.minimum(h, 1 - (ls[:, None] - l))
        Lo[rows, ref[:, i]] = np.maximum(0.0, 1 - h.sum(axis=1))
        Up[rows, ref[:, i]] = 1 - ls
        lower.append(Lo)
        upper.append(Up)
    return lower, upper, ok


def _bounds(game, lo, hi, act, ref):
    """Bounding box (per player lower, upper) of a group of boxes ∩ simplex, or None."""
    L, U, ok = _regions(game, lo, hi, act, ref)
    if not ok.any():
        return None
    return (tuple(v[ok].min(axis=0) for v in L), tuple(v[ok].max(axis=0) for v in U))


def _contains(big, small):
    return all(np.all(bl <= sl + 1e-12) and np.all(su <= bu + 1e-12)
               for bl, bu, sl, su in zip(big[0], big[1], small[0], small[1]))


def _into_simplex(game, x, lo, hi):
    """Shrink each player's coordinates towards lo until sigma_ref >= 0."""
    x = x.copy()
    for i in range(game.n):
        sl = slice(game.off[i], game.off[i + 1])
        s = x[sl].sum()
        if s > 1:
            base = lo[sl]
            extra = x[sl] - base
            t = (1 - base.sum()) / max(extra.sum(), 1e-300)
            x[sl] = base + extra * min(1.0, t)
    return x


def _near(v, rows):
    """Which of ``rows`` equal ``v`` as numpy.allclose(v, row, atol=1e-7) says."""
    return (np.abs(v - rows) <= 1e-7 + 1e-5 * np.abs(rows)).all(axis=-1)


def _joined(parts):
    """Batches of boxes given as tuples of arrays (lo, hi, act, ref, sid, ...), joined
    field by field into one tuple."""
    return tuple(np.concatenate(field) for field in zip(*parts))


def _group_boxes(pieces):
    """Group boxes by support and by touching (union-find).

    ``pieces`` holds tuples ``(lo, hi, act, ref, sid, flag)`` of arrays; returns
    one such tuple per group.
    """
    lo, hi, act, ref, sid, flag = _joined(pieces)
    groups = []
    for s in np.unique(sid):
        k = np.flatnonzero(sid == s)
        parent = list(range(len(k)))

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        L, H = lo[k], hi[k]
        big = len(k) > GROUP_PAIRS
        if big:  # too many to pair up: one group per support (its bounds stay valid)
            parent = [0] * len(k)
        for start in range(0, 0 if big else len(k), 1000):
            blk = slice(start, start + 1000)
            touch = ((L[blk, None, :] <= H[None, :, :] + 1e-12)
                           & (L[None, :, :] <= H[blk, None, :] + 1e-12)).all(axis=2)
            for a, b in zip(*np.nonzero(touch)):
                ra, rb = find(a + start), find(b)
                if ra != rb:
                    parent[ra] = rb
        comp = {}
        for a in range(len(k)):
            comp.setdefault(find(a), []).append(a)
        for members in comp.values():
            g = k[members]
            groups.append((lo[g], hi[g], act[g], ref[g], sid[g], flag[g]))
    return groups


def _leaf_solutions(game, p, lo, hi, act, ref, check_abs, to_strategy, tries=8):
    """Equilibria Newton (least squares) finds from the centres of a group of boxes.

    Starts from ``tries`` boxes spread over the group (by their residual at the
    centre, then evenly); returns the distinct equilibria found.
    """
    from dilemma.equilibria.check import _regrets as regrets

    m = (lo + hi) / 2
    F, _ = _point_eval(game, m, act, ref)
    free = hi > lo
    score = np.abs(np.where(free, F, 0.0)).max(axis=1)
    best = list(np.argsort(score)[: max(1, tries // 2)])
    spread = list(np.linspace(0, len(m) - 1, num=min(len(m), tries - len(best))).astype(int))
    found = []
    for k in dict.fromkeys(best + spread):
        x = m[k:k + 1].copy()
        fr = free[k:k + 1]
        for _ in range(30):
            Fx, Jx = _point_eval(game, x, act[k:k + 1], ref[k:k + 1])
            Fx = np.where(fr, Fx, 0.0)
            Jx = np.where(fr[:, :, None] & fr[:, None, :], Jx, 0.0)
            step = np.linalg.lstsq(Jx[0], Fx[0], rcond=None)[0]
            x = x - step[None]
            if not np.all(np.isfinite(x)) or np.abs(step).max() < 1e-14:
                break
        if not np.all(np.isfinite(x)):
            continue
        V = game.point_strategies(x, act[k:k + 1], ref[k:k + 1])
        if any(v.min() < -1e-9 for v in V):
            continue
        s = to_strategy(x[0], act[k], ref[k])
        if np.all(regrets(p, s) <= check_abs):
            if not any(all(np.allclose(u, v, atol=1e-9) for u, v in zip(s, t[0]))
                       for t in found):
                _, Jx = _point_eval(game, x, act[k:k + 1], ref[k:k + 1])
                idx = np.flatnonzero(fr[0])
                sub = Jx[0][np.ix_(idx, idx)]
                sv = np.linalg.svd(sub, compute_uv=False) if len(idx) else np.array([1.0])
                found.append((s, float(sv.min() / max(1.0, sv.max()))))
    return found


def _leaf_solution(game, p, lo, hi, act, ref, check_abs, to_strategy, snap=False):
    """One equilibrium inside a group of boxes: Newton from the centres, else a
    box corner that passes the best-response check (on the edge of a continuum
    the equations hold everywhere and only the inequalities decide). With
    ``snap`` (a tiny group) the simplest fractions in each box are tried first:
    with payoffs that are small integers, as sliders at an edge give, such a
    spot is often a single equilibrium like 1/2, pinned by two inequalities,
    that no corner of a box around it meets.)"""
    from dilemma.equilibria.check import _regrets as regrets

    found = _leaf_solutions(game, p, lo, hi, act, ref, check_abs, to_strategy)
    if found:
        return found[0][0]
    pick = np.linspace(0, len(lo) - 1, num=min(len(lo), 40)).astype(int)
    for k in pick:
        snapped = [_simplest_in(lo[k], hi[k], den) for den in (12, 120, 1200)] if snap else []
        for x in [q for q in snapped if q is not None] + [lo[k], hi[k], (lo[k] + hi[k]) / 2]:
            x = _into_simplex(game, x, lo[k], hi[k])
            V = game.point_strategies(x[None], act[k][None], ref[k][None])
            if any(v.min() < -1e-12 for v in V):
                continue
            s = to_strategy(x, act[k], ref[k])
            if np.all(regrets(p, s) <= check_abs):
                return s
    return None


def _simplest_in(lo, hi, max_den):
    """The fractions with denominator <= ``max_den`` nearest the centre of the
    box, per coordinate, or None if one of them falls outside the box."""
    from fractions import Fraction

    x = np.array([float(Fraction(float(v)).limit_denominator(max_den))
                  for v in (lo + hi) / 2])
    return x if np.all((x >= lo - 1e-15) & (x <= hi + 1e-15)) else None


def _best_response_check(p, S, tol, check_abs):
    """For B profiles (``S[i]`` of shape (B, a_i)): which pass the best-response
    check (every regret <= ``check_abs``), which leave a best response unplayed
    (a sign of degeneracy), and the largest regret of each, from one batch of
    deviation payoffs."""
    from dilemma.equilibria.check import _deviation_payoffs_batch

    scale = max(1.0, float(np.ptp(p)))
    B = S[0].shape[0]
    regret = np.zeros(B)
    unused = np.zeros(B, dtype=bool)
    for s, d in zip(S, _deviation_payoffs_batch(p, S)):
        best = d.max(axis=1)
        regret = np.maximum(regret, best - np.einsum("ba,ba->b", d, s))
        tied = d >= best[:, None] - max(tol, 1e-9) * scale
        unused |= (tied & (s <= 1e-12)).any(axis=1)
    return regret <= check_abs, unused, regret


def _sort_keys(flat):
    """Sort keys of profiles (each concatenated into one vector): fewest
    actions played first, then by probabilities, largest first."""
    if not flat:
        return []
    M = np.array(flat)
    return list(zip((M > 1e-12).sum(axis=1).tolist(), np.round(-M, 9).tolist()))


def rational_payoffs(payoffs, max_denominator: int = 10**6):
    """The payoffs as exact fractions when every one is (the float nearest to) a
    rational with a small denominator (object array), else None."""
    from fractions import Fraction

    p = np.asarray(getattr(payoffs, "payoffs", payoffs), dtype=float)
    flat = []
    for v in p.ravel().tolist():
        f = Fraction(v).limit_denominator(max_denominator)
        if float(f) != v:  # the fraction must round to this very float
            return None
        flat.append(f)
    return np.array(flat, dtype=object).reshape(p.shape)


def exact_equilibrium(P, strategy, max_denominator: int = 10**4):
    """Round an equilibrium to fractions and prove it exactly, or return None.

    Each probability is replaced by the nearest fraction with denominator at
    most ``max_denominator`` (the last one on the support by 1 minus the
    others); the result is kept only if, in exact rational arithmetic, every
    action on the support earns the same and no action earns more.

    Parameters
    ----------
    P : numpy.ndarray of Fraction, shape (a_1, ..., a_N, N)
        Exact payoffs (see :func:`rational_payoffs`).
    strategy : sequence of numpy.ndarray
        A (floating-point) equilibrium.

    Returns
    -------
    tuple of tuple of fractions.Fraction or None

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> exact_equilibrium(rational_payoffs(pd), (np.array([0.0, 1.0]), np.array([0.0, 1.0])))
    ((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))
    """
    from fractions import Fraction

    q = []
    for s in strategy:
        supp = [k for k, v in enumerate(s) if v > 1e-12]
        fr = [Fraction(0)] * len(s)
        for k in supp[:-1]:
            fr[k] = Fraction(float(s[k])).limit_denominator(max_denominator)
        fr[supp[-1]] = 1 - sum(fr)
        if fr[supp[-1]] <= 0 or any(abs(float(f) - v) > 1e-8 for f, v in zip(fr, s)):
            return None
        q.append((fr, supp))
    n = len(q)
    shape = P.shape[:-1]
    for i in range(n):
        vals = []
        for a in range(shape[i]):
            total = Fraction(0)
            for prof in itertools.product(*[[k for k in q[j][1]] if j != i else [a]
                                            for j in range(n)]):
                w = Fraction(1)
                for j in range(n):
                    if j != i:
                        w *= q[j][0][prof[j]]
                total += w * P[prof + (i,)]
            vals.append(total)
        best = max(vals)
        if any(vals[k] != best for k in q[i][1]):
            return None
    return tuple(tuple(f for f in fr) for fr, _ in q)
