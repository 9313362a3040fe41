r"""One entry point for "all the equilibria we can vouch for".

:func:`equilibria` chooses the method by the number of players and says in the
result how complete the list is:

* **one player** — the maximisers (exhaustive);
* **two players** — every extreme equilibrium by vertex enumeration
  (:mod:`dilemma.equilibria.mixed`), exhaustive also for degenerate games,
  with the groups of extreme equilibria that span continua;
* **three or more players** — first iterated elimination of strictly
  dominated actions (pure and mixed dominators). Equilibria never use an
  eliminated action, so when at most two players keep more than one action
  the surviving game is solved exactly (a single profile, or a two-player
  game with the other players' actions fixed) — that covers the five-firm
  capex baseline, where Spend is strictly dominant. Otherwise the surviving
  game goes to the support search of :mod:`dilemma.equilibria.nplayer`, which
  finds every isolated equilibrium (pure, partly and fully mixed) and reports
  sets of non-isolated equilibria as ``continua``; ``exhaustive`` is False
  only when its box budget ran out or a small region stayed undecided.

``degenerate`` is True, False, or None when it was not checked (the
Lemke–Howson fallback for large two-player games, an unfinished N-player
search that saw no sign of degeneracy).

Every reported profile passes the best-response check of
:mod:`dilemma.equilibria.check`.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> res = equilibria(pd)
>>> len(res), res.exhaustive, res[0].kind, res[0].profile
(1, True, 'pure', (1, 1))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import EquilibriumList, as_payoffs, check_tol
from dilemma.equilibria.check import _deviation_payoffs_batch

__all__ = ["Equilibrium", "EquilibriumResult", "equilibria"]


@dataclass
class Equilibrium:
    """One Nash equilibrium.

    Attributes
    ----------
    strategy : tuple of numpy.ndarray
        One probability vector per player, in the game's action order.
    payoffs : numpy.ndarray, shape (N,)
        Expected payoff of each player.
    kind : {"pure", "mixed"}
    is_symmetric : bool
        Every player uses the same probability vector.
    component : int or None
        Index of the group of extreme equilibria this one belongs to (two
        players); equilibria of one group span a continuum.
    exact : tuple of tuple of str or None
        Exact probabilities (fractions as strings) when exact arithmetic was used.
    regret : float or None
        The verification: the most any player could gain by switching to
        another action (0 up to rounding at an equilibrium; every listed
        equilibrium passed the check ``regret <= tol`` in payoff units).
    """

    strategy: tuple
    payoffs: np.ndarray
    kind: str
    is_symmetric: bool = False
    component: int | None = None
    exact: tuple | None = None
    regret: float | None = None

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The pure profile (action index per player) of a pure equilibrium, else None."""
        if self.kind != "pure":
            return None
        return tuple(int(np.argmax(s)) for s in self.strategy)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Actions played with positive probability, per player."""
        return tuple(tuple(int(k) for k in np.flatnonzero(s > 1e-12)) for s in self.strategy)

    def to_dict(self) -> dict:
        """JSON-ready dictionary."""
        d = {"kind": self.kind,
             "strategy": [s.tolist() for s in self.strategy],
             "payoffs": self.payoffs.tolist(),
             "is_symmetric": self.is_symmetric}
        if self.profile is not None:
            d["profile"] = list(self.profile)
        if self.component is not None:
            d["component"] = self.component
        if self.exact is not None:
            d["exact"] = [list(s) for s in self.exact]
        if self.regret is not None:
            d["regret"] = self.regret
        return d


@dataclass
class EquilibriumResult(EquilibriumList):
    """Equilibria of a game and how far to trust the list.

    Attributes
    ----------
    equilibria : list of Equilibrium
        Pure equilibria first (lexicographic), then mixed ones.
    exhaustive : bool
        Every (extreme) equilibrium is listed, and every other one lies in a
        reported convex piece (two players) or continuum (N players).
    degenerate : bool or None
        The game is degenerate (continua of equilibria may exist); None when
        this was not checked.
    method : str
    notes : list of str
        Plain-language caveats: degeneracy, continua, incompleteness.
    components : list of list of int
        Connected groups of indices into ``equilibria`` (two players).
    cliques : list of list of int
        Maximal convex pieces (two players): every mix of the row strategies
        of the listed equilibria against every mix of their column
        strategies is an equilibrium; the equilibrium set is their union.
    continua : list of dilemma.equilibria.nplayer.Continuum
        Non-isolated sets of equilibria found by the N-player search
        (bounding box per player and action, and one member).
    """

    equilibria: list
    exhaustive: bool
    degenerate: bool | None
    method: str
    notes: list = field(default_factory=list)
    components: list = field(default_factory=list)
    cliques: list = field(default_factory=list)
    continua: list = field(default_factory=list)

    @property
    def pure(self) -> list[Equilibrium]:
        """The pure equilibria."""
        return [e for e in self.equilibria if e.kind == "pure"]

    @property
    def mixed(self) -> list[Equilibrium]:
        """The properly mixed equilibria."""
        return [e for e in self.equilibria if e.kind == "mixed"]

    def to_dict(self) -> dict:
        """JSON-ready dictionary."""
        return {"equilibria": [e.to_dict() for e in self.equilibria],
                "exhaustive": self.exhaustive, "degenerate": self.degenerate,
                "method": self.method, "notes": list(self.notes),
                "components": [list(c) for c in self.components],
                "cliques": [list(c) for c in self.cliques],
                "continua": [c.to_dict() for c in self.continua]}


def _make_all(p: np.ndarray, items) -> list[Equilibrium]:
    """Equilibrium objects for ``items`` (strategy, component, exact), from one batch
    of deviation payoffs: expected payoffs, regret, pure and symmetric flags."""
    if not items:
        return []
    n = p.shape[-1]
    S = [np.array([np.asarray(strat[i], dtype=float) for strat, _, _ in items]) for i in range(n)]
    dev = _deviation_payoffs_batch(p, S)
    values = np.stack([np.einsum("ba,ba->b", d, s) for d, s in zip(dev, S)], axis=1)
    regret = (np.stack([d.max(axis=1) for d in dev], axis=1) - values).max(axis=1)
    # pure: every player's largest probability is 1; symmetric: every player
    # plays player 0's vector (numpy.allclose(atol=1e-9))
    pure = np.stack([np.abs(s.max(axis=1) - 1.0) <= 1e-12 for s in S]).all(axis=0)
    sym = (np.stack([np.abs(s - S[0]) <= 1e-9 + 1e-5 * np.abs(S[0]) for s in S]).all(axis=(0, 2))
           if len(set(p.shape[:-1])) == 1 else np.zeros(len(items), dtype=bool))
    if pure.any():  # exact 0/1 vectors for the pure ones (S holds copies)
        for s in S:
            s[pure] = s[pure] == s[pure].max(axis=1, keepdims=True)
    out = []
    for k, (_, comp, ex) in enumerate(items):
        st = tuple(s[k] for s in S)
        out.append(Equilibrium(st, values[k], "pure" if pure[k] else "mixed", bool(sym[k]),
                               comp, ex, max(float(regret[k]), 0.0)))
    return out


def _sorted(eqs: list[Equilibrium]) -> list[int]:
    """Output order: pure first, then fewest actions played, then by
    probabilities, largest first."""
    if not eqs:
        return []
    M = np.array([np.concatenate(e.strategy) for e in eqs])
    keys = list(zip([e.kind != "pure" for e in eqs], (M > 1e-12).sum(axis=1).tolist(),
                    np.round(-M, 9).tolist()))
    return sorted(range(len(eqs)), key=keys.__getitem__)


def _unit(a: int, k: int) -> np.ndarray:
    v = np.zeros(a)
    v[k] = 1.0
    return v


def _two_player(p: np.ndarray, tol: float, embed=None) -> EquilibriumResult:
    """Two-player solve; ``embed`` maps (x, y) of the sub-game to full strategies."""
    from dilemma.equilibria.mixed import two_player_equilibria

    A, B = p[..., 0], p[..., 1]
    res = two_player_equilibria(A, B, tol)
    comp_of = {k: c for c, comp in enumerate(res.components) for k in comp}
    eqs = []
    for k, (x, y) in enumerate(res.equilibria):
        ex = None
        if res.exact is not None:
            ex = tuple(tuple(str(v) for v in s) for s in res.exact[k])
        strat = (x, y) if embed is None else embed(x, y)
        eqs.append((strat, comp_of.get(k), ex))
    return res, eqs


def _large_game(p: np.ndarray, tol: float, notes: list) -> EquilibriumResult:
    """Games too large for the support search: every pure equilibrium and, for
    symmetric two-action games, every symmetric mixed one (not exhaustive)."""
    from dilemma.equilibria.pure import pure_equilibria
    from dilemma.equilibria.symmetric import is_symmetric, symmetric_mixed_equilibria

    shape = p.shape[:-1]
    n = len(shape)
    notes = list(notes)
    strategies = [tuple(_unit(shape[k], a) for k, a in enumerate(prof))
                  for prof in pure_equilibria(p, tol)]
    method = "pure enumeration"
    degenerate = None
    if all(a == 2 for a in shape) and is_symmetric(p, tol=max(tol, 1e-9)):
        sym = symmetric_mixed_equilibria(p, tol)
        method += " + symmetric mixed equilibria (roots of the indifference polynomial)"
        strategies += [tuple(np.array([q, 1 - q]) for _ in range(n)) for q in sym.probabilities]
        notes.extend(sym.notes)
        if sym.indifferent_everywhere:
            degenerate = True
        notes.append(f"{n}-player game: all pure and all symmetric mixed equilibria are "
                     "listed; asymmetric mixed equilibria were not searched")
    else:
        notes.append(f"{n}-player game: only pure equilibria are listed; mixed equilibria "
                     "were not searched")
    out = _make_all(p, [(s, None, None) for s in strategies])
    out = [out[k] for k in _sorted(out)]
    return EquilibriumResult(out, False, degenerate, method, notes)


def equilibria(payoffs, tol: float = 1e-9) -> EquilibriumResult:
    """All equilibria this package can certify, with a statement of completeness.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
        Stacked payoff array (or a :class:`dilemma.game.Game`).
    tol : float, default 1e-9
        Payoff tolerance for best responses and ties.

    Returns
    -------
    EquilibriumResult

    Raises
    ------
    ParameterError
        If ``payoffs`` is not a finite array of shape ``(a_1, ..., a_N, N)``.

    Examples
    --------
    Stag hunt: two pure equilibria and one mixed.

    >>> import numpy as np
    >>> stag = np.array([[[4, 4], [0, 3]], [[3, 0], [3, 3]]], dtype=float)
    >>> res = equilibria(stag)
    >>> [e.kind for e in res], res[2].strategy[0].round(3).tolist()
    (['pure', 'pure', 'mixed'], [0.75, 0.25])
    """
    from dilemma.equilibria.pure import pure_equilibria

    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    shape = p.shape[:-1]
    n = len(shape)
    notes: list[str] = []
    items: list = []  # (strategy, component, exact)
    degenerate: bool | None = False
    exhaustive = True
    components: list = []
    cliques_in: list = []
    continua: list = []

    if n == 1:
        best = pure_equilibria(p, tol)
        items = [((_unit(shape[0], prof[0]),), None, None) for prof in best]
        method = "maximisation (one player)"
        if len(best) > 1:
            degenerate = True
            notes.append("the player is indifferent between several best actions: every "
                         "mix of them is an equilibrium")
    elif n == 2:
        res, items = _two_player(p, tol)
        degenerate, exhaustive, method = res.degenerate, res.exhaustive, res.method
        cliques_in = res.cliques
        notes.extend(res.notes)
        # pure profiles that are equilibria only thanks to ``tol`` (payoff
        # differences below tol, invisible to the rescaled vertex enumeration)
        have = {tuple(int(np.argmax(s)) for s in strat) for strat, _, _ in items
                if all(abs(s.max() - 1.0) <= 1e-12 for s in strat)}
        extra = [prof for prof in pure_equilibria(p, tol) if prof not in have]
        if extra:
            base = 1 + max((c for _, c, _ in items if c is not None), default=-1)
            for k, prof in enumerate(extra):
                cliques_in = list(cliques_in) + [[len(items)]]
                items.append((tuple(_unit(shape[i], a) for i, a in enumerate(prof)),
                              base + k, None))
            notes.append(f"{len(extra)} pure equilibri{'um' if len(extra) == 1 else 'a'} "
                         f"added that hold only within the tolerance tol={tol:g}")
    else:
        from dilemma.equilibria.dominance import iterated_elimination

        elim = iterated_elimination(p, strict=True, mixed=True, tol=tol)
        surv = elim.surviving
        free = [i for i, s in enumerate(surv) if len(s) > 1]
        if len(free) <= 2:
            sub = elim.reduced(p)
            if len(free) <= 1:
                method = "iterated elimination of strictly dominated actions"
                for prof in pure_equilibria(sub, tol):
                    strat = tuple(_unit(shape[i], surv[i][k]) for i, k in enumerate(prof))
                    items.append((strat, 0 if len(free) == 1 else None, None))
                if len(items) > 1:
                    degenerate = True
                    components = [list(range(len(items)))]
                    notes.append("after elimination one player is indifferent between "
                                 "several actions: every mix of them is an equilibrium")
            else:
                i, j = free
                fixed = {k: surv[k][0] for k in range(n) if k not in free}
                idx = tuple(slice(None) if k in free else 0 for k in range(n))
                two = sub[idx][..., [i, j]]

                def embed(x, y, i=i, j=j, fixed=fixed):
                    strat = []
                    for k in range(n):
                        v = np.zeros(shape[k])
                        if k == i:
                            v[list(surv[i])] = x
                        elif k == j:
                            v[list(surv[j])] = y
                        else:
                            v[fixed[k]] = 1.0
                        strat.append(v)
                    return tuple(strat)

                res, items = _two_player(two, tol, embed)
                degenerate, exhaustive = res.degenerate, res.exhaustive
                cliques_in = res.cliques
                method = ("iterated elimination of strictly dominated actions, then "
                          + res.method + f" on players {i} and {j}")
                notes.extend(res.notes)
            if elim.steps:
                notes.insert(0, f"iterated strict dominance removed {len(elim.steps)} "
                             "action(s); no equilibrium uses a strictly dominated action, so "
                             "solving the surviving game finds them all")
        else:
            from dilemma.equilibria.nplayer import Continuum, nplayer_equilibria

            # the players left with one action are fixed: solve the game of the others
            fixed = {k: surv[k][0] for k in range(n) if k not in free}
            idx = tuple(slice(None) if k in free else 0 for k in range(n))
            sub = elim.reduced(p)[idx][..., free]

            def embed(strat):
                out = []
                for k in range(n):
                    v = np.zeros(shape[k])
                    if k in fixed:
                        v[fixed[k]] = 1.0
                    else:
                        v[list(surv[k])] = strat[free.index(k)]
                    out.append(v)
                return tuple(out)

            def embed_support(support):
                return tuple((fixed[k],) if k in fixed
                             else tuple(surv[k][a] for a in support[free.index(k)])
                             for k in range(n))

            res = nplayer_equilibria(sub, tol)
            if res.boxes == 0:  # too large to search: pure + symmetric mixed, as before
                return _large_game(p, tol, res.notes)
            method = ("support enumeration: small supports in closed form, the others by interval "
                      "subdivision (Krawczyk)")
            if elim.steps:
                method = "iterated elimination of strictly dominated actions, then " + method
            from dilemma.equilibria.nplayer import exact_equilibrium, rational_payoffs

            P = rational_payoffs(sub) if np.prod(sub.shape[:-1]) <= 4096 else None
            items = []
            for e in res.equilibria:
                ex = None if P is None else exact_equilibrium(P, e)
                if ex is not None:  # exact rational polish, proved in fractions
                    e = tuple(np.array([float(v) for v in s]) for s in ex)
                    full = []
                    for k in range(n):
                        row = ["0"] * shape[k]
                        if k in fixed:
                            row[fixed[k]] = "1"
                        else:
                            for a, v in zip(surv[k], ex[free.index(k)]):
                                row[a] = str(v)
                        full.append(tuple(row))
                    ex = tuple(full)
                items.append((embed(e), None, ex))
            exhaustive, degenerate = res.exhaustive, res.degenerate
            notes.extend(res.notes)
            if not res.exhaustive:  # keep what the symmetric method would have found
                extra = _large_game(p, tol, [])
                have = [s for s, _, _ in items]
                for e in extra.equilibria:
                    if not any(all(np.allclose(u, v, atol=1e-7) for u, v in zip(e.strategy, h))
                               for h in have):
                        items.append((e.strategy, None, None))
            continua = [Continuum(embed_support(c.support),
                                  embed(c.lower), embed(c.upper),
                                  None if c.example is None else embed(c.example), c.exact)
                        for c in res.continua]
            if elim.steps:
                notes.insert(0, f"iterated strict dominance removed {len(elim.steps)} "
                             "action(s); no equilibrium uses a strictly dominated action")

    # final check, build, sort
    scale = max(1.0, float(np.ptp(p)))
    out, kept = [], []
    for k, e in enumerate(_make_all(p, items)):
        if e.regret <= max(tol, 1e-9) * scale:
            out.append(e)
            kept.append(k)
        else:  # pragma: no cover - a numerical failure, reported rather than hidden
            notes.append("a candidate equilibrium failed the best-response check and was dropped")
    order = _sorted(out)
    out = [out[k] for k in order]
    # cliques: indices into the vertex-enumeration list -> indices into ``out``
    pos = {kept[k]: i for i, k in enumerate(order)}
    cliques = sorted(sorted(pos[k] for k in c if k in pos) for c in cliques_in)
    cliques = [c for c in cliques if c]
    if n == 2:
        groups: dict = {}
        for k, e in enumerate(out):
            if e.component is not None:
                groups.setdefault(e.component, []).append(k)
        # renumber components in output order
        remap = {}
        for k, e in enumerate(out):
            if e.component is not None and e.component not in remap:
                remap[e.component] = len(remap)
        for e in out:
            if e.component is not None:
                e.component = remap[e.component]
        components = sorted(groups.values())
    return EquilibriumResult(out, exhaustive, degenerate, method, notes, components, cliques,
                             continua)
