r"""Verdicts on restraint: can "everyone cuts" last, and how does that square with a simulation?

The lab's Repeated play page (and page 1's headline number) need a plain
verdict on the grim-trigger threshold of :mod:`dilemma.equilibria.grim`: with
a management horizon of :math:`H` years and a discount rate :math:`r`,
managers weigh next year by :math:`\delta = e^{-(r + 1/H)}`; restraint (every
firm cuts, and threatens to spend forever once anyone spends) lasts when
:math:`\delta \ge \delta^* = \max_i \delta^*_i` with
:math:`\delta^*_i = (T_i - R_i)/(T_i - P_i)`.

:func:`restraint_verdict` returns that reading as data (which case, the
numbers, the firm that needs the most patience and *why* in terms of its own
T, R, P), so a page renders it and a test checks it without parsing text.
:func:`simulation_summary` reads one simulated run (a
:func:`dilemma.charts.repeated.play_frame`) and says when restraint held and
what broke it, so the page can put the theory next to what the student just
watched instead of contradicting it.

"Most tempted" is defined once, here: the firm with the largest
:math:`\delta^*_i`, i.e. whose one good year from breaking ranks
(:math:`T_i - R_i`) is the largest share of what the spending war then costs
it every year (:math:`T_i - P_i`). It is not the firm with the largest gap in
$B: a big firm can gain more and still need less patience.

Examples
--------
The textbook prisoner's dilemma T=5, R=3, P=1 needs δ ≥ (5−3)/(5−1) = 0.5:

>>> import numpy as np
>>> from dilemma.game import Game
>>> g = Game.from_arrays([[1, 5], [0, 3]], [[1, 0], [5, 3]],
...                      actions=[["Spend", "Cut"], ["Spend", "Cut"]])
>>> v = restraint_verdict(g, horizon=10, rate=0.0)
>>> v.kind, v.needed, round(v.delta, 3), round(v.horizon_needed, 3)
('holds', 0.5, 0.905, 1.443)
>>> restraint_verdict(g, horizon=1, rate=0.0).kind
'fails'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["RestraintVerdict", "restraint_verdict", "threshold_text", "horizon_text", "SimulationSummary",
           "simulation_summary", "forced_cuts", "TEMPTED"]

#: What "the most tempted firm" means, for a tooltip or a caption.
TEMPTED = ("the firm that needs the most patience: the largest δ*ᵢ = (T − R)/(T − P), where T − R is its one "
           "good year from spending while the others cut and T − P what the spending war then costs it each "
           "year. It is not always the firm with the most $B at stake.")

KINDS = ("self-enforcing", "impossible", "holds", "fails")


@dataclass(frozen=True)
class RestraintVerdict:
    """Whether grim-trigger restraint lasts at a horizon, as data.

    Attributes
    ----------
    kind : {"self-enforcing", "impossible", "holds", "fails"}
        No firm gains by spending alone; no δ < 1 is enough; δ ≥ δ*; δ < δ*.
    delta : float
        Today's discount factor, ``exp(-(rate + 1/horizon))``.
    needed : float
        The binding threshold δ* (0 when self-enforcing, ``inf`` when impossible).
    horizon, rate : float
        The management horizon (years) and discount rate used.
    horizon_needed : float
        Shortest horizon (years) that sustains restraint: 0 when
        self-enforcing, ``inf`` when no horizon does.
    firm : str
        The firm with the largest δ*ᵢ (see :data:`TEMPTED`).
    thresholds : dict of str to float
        δ*ᵢ per firm.
    T, R, P : float
        The binding firm's payoffs: spending alone, all cutting, all spending ($B/yr).
    """

    kind: str
    delta: float
    needed: float
    horizon: float
    rate: float
    horizon_needed: float
    firm: str
    thresholds: dict = field(default_factory=dict)
    T: float = math.nan
    R: float = math.nan
    P: float = math.nan

    @property
    def holds(self) -> bool:
        """Restraint lasts at this horizon."""
        return self.kind in ("self-enforcing", "holds")

    @property
    def headline(self) -> str:
        """One bold sentence for the page (in theory: the stage game forever, grim trigger, no mistakes)."""
        return {
            "self-enforcing": "In theory restraint holds by itself.",
            "impossible": "In theory restraint cannot hold, however patient the managers.",
            "holds": "In theory restraint can hold at this horizon.",
            "fails": "In theory restraint cannot hold at this horizon.",
        }[self.kind]

    @property
    def reason(self) -> str:
        """Why, in plain words with the numbers."""
        from dilemma.explain import money

        f = self.firm
        if self.kind == "self-enforcing":
            return ("No firm gains by spending while the others cut, so “everyone cuts” needs no threat "
                    "and no patience.")
        if self.kind == "impossible":
            return (f"For {f}, everyone spending ({money(self.P)} a year) is no worse than everyone cutting "
                    f"({money(self.R)}), so the threat of a spending war scares no one.")
        gain, loss = self.T - self.R, self.R - self.P
        if math.isfinite(self.horizon_needed):
            reach = f"i.e. unless managers look at least {horizon_text(self.horizon_needed)} ahead."
        else:
            reach = (f"which no horizon reaches at a discount rate of {self.rate:.0%} (δ stays below "
                     f"{math.exp(-self.rate):.2f}).")
        common = (f"{f} needs the most patience: spending first would bring it {money(gain)} once "
                  f"({money(self.T)} instead of {money(self.R)}), then cost it {money(loss)} every later year "
                  f"of the spending war. That is worth it unless next year counts at least δ* = {self.needed:.2f} "
                  f"as much as this year, " + reach)
        if self.kind == "holds":
            return (f"With a {self.horizon:g}-year horizon, δ = {self.delta:.2f} ≥ {self.needed:.2f}. " + common)
        return f"With a {self.horizon:g}-year horizon, δ = {self.delta:.2f} < {self.needed:.2f}. " + common


def horizon_text(years: float) -> str:
    """A horizon in words; never "inf years".

    >>> horizon_text(1.21), horizon_text(float("inf")), horizon_text(0.01)
    ('1.2 years', 'forever (no finite horizon is enough)', 'less than a month')
    """
    if not math.isfinite(years):
        return "forever (no finite horizon is enough)"
    if years < 1 / 12:
        return "less than a month"
    return f"{years:.1f} years"


def threshold_text(needed: float) -> str:
    """How a threshold δ* reads on a screen: never ``δ ≥ 0.00`` or ``δ ≥ inf``.

    >>> threshold_text(0.0), threshold_text(0.403), threshold_text(float("inf")), threshold_text(1.0)
    ('always (no threat needed)', 'δ ≥ 0.40', 'never', 'never')
    """
    if needed is None or not math.isfinite(needed) or needed >= 1:
        return "never"
    if needed <= 0:
        return "always (no threat needed)"
    if needed < 0.005:
        return "δ > 0"
    return f"δ ≥ {needed:.2f}"


def restraint_verdict(game, horizon: float, rate: float) -> RestraintVerdict:
    """The grim-trigger verdict for ``game`` at a management horizon and discount rate.

    Parameters
    ----------
    game : Game
        A Spend/Cut game (any number of firms).
    horizon : float
        Management horizon H in years (> 0).
    rate : float
        Discount rate r per year (≥ 0), e.g. ``scenario.values["demand.discount_rate"]``.

    Raises
    ------
    ParameterError
        Bad horizon or rate (from :func:`dilemma.equilibria.horizon_to_delta`).
    """
    from dilemma.equilibria import delta_to_horizon, horizon_to_delta

    cdf = game.critical_discount_factor()
    delta = horizon_to_delta(horizon, rate)
    th = [float(x) for x in cdf.thresholds]
    i = int(cdf.binding_player)
    needed = float(cdf.binding)
    if needed <= 0:
        kind, h_need = "self-enforcing", 0.0
    elif not math.isfinite(needed) or needed >= 1:
        kind, h_need = "impossible", math.inf
    else:
        h_need = delta_to_horizon(needed, rate)
        kind = "holds" if delta >= needed else "fails"
    return RestraintVerdict(kind=kind, delta=delta, needed=needed, horizon=float(horizon), rate=float(rate),
                            horizon_needed=h_need, firm=str(game.players[i]),
                            thresholds=dict(zip(map(str, game.players), th)),
                            T=float(cdf.T[i]), R=float(cdf.R[i]), P=float(cdf.P[i]))


@dataclass(frozen=True)
class SimulationSummary:
    """What one simulated run shows about restraint.

    Attributes
    ----------
    years : int
        Years shown.
    all_cut_years : int
        Years in which every firm cut.
    first_break : int or None
        First year some firm spent after a year in which all cut (None: never).
    forced : int
        Firm-years in which a firm rated BB (junk) had to cut whatever its plan.
    noise : float
        Chance per decision of a mistake (the action flips).
    mistakes : int or None
        Firm-years whose move was a mistake (noise flipped the intended move);
        None if the run did not record them.
    broken_by_mistake : bool
        Restraint first broke by a mistake: in ``first_break`` every Spend was one.
    """

    years: int
    all_cut_years: int
    first_break: int | None
    forced: int
    noise: float
    mistakes: int | None = None
    broken_by_mistake: bool = False

    @property
    def text(self) -> str:
        """A sentence for under the verdict."""
        out = (f"In the run shown above, every firm cut in {self.all_cut_years} of {self.years} "
               f"year{'s' if self.years != 1 else ''}")
        if self.first_break is not None:
            out += f"; restraint first broke in year {self.first_break}"
            if self.broken_by_mistake:
                out += ", by a mistake (a firm that meant to cut spent)"
        out += "."
        if self.noise > 0:
            here = ""
            if self.mistakes is not None:
                here = (f" (in this run {self.mistakes} move{'s' if self.mistakes != 1 else ''}, marked ×)"
                        if self.mistakes else " (none in this run)")
            out += (f" Mistakes flip {self.noise:.0%} of decisions{here}: one accidental Spend makes tit-for-tat "
                    "firms punish each other, which the theory (no mistakes) leaves out.")
        if self.forced:
            out += (f" {self.forced} firm-year(s) were forced cuts: a firm rated BB cannot borrow and must cut, "
                    "whatever its strategy says.")
        return out


def simulation_summary(frame, noise: float = 0.0) -> SimulationSummary:
    """Summarise a :func:`dilemma.charts.repeated.play_frame` of one run.

    A forced cut is a Cut in a year that started with the firm rated BB (its
    rating at the end of the previous year), as in :mod:`dilemma.repeated.state`.
    A mistake is a row whose ``flipped`` column is True (counted only if the
    frame has that column).
    """
    if frame is None or len(frame) == 0:
        return SimulationSummary(0, 0, None, 0, float(noise), 0 if frame is not None and "flipped" in frame else None)
    role = frame["role"] if "role" in frame else frame["action"]
    cut = (role == "Cut")
    by_year = cut.groupby(frame["year"]).all().sort_index()
    years = int(by_year.index.max())
    first_break = None
    prev = False
    for year, all_cut in by_year.items():
        if prev and not all_cut:
            first_break = int(year)
            break
        prev = bool(all_cut)
    forced = int(forced_cuts(frame).sum())
    mistakes = int(frame["flipped"].astype(bool).sum()) if "flipped" in frame else None
    by_mistake = False
    if first_break is not None and mistakes:
        spent = (frame["year"] == first_break) & ~cut
        by_mistake = bool(frame.loc[spent, "flipped"].astype(bool).all())
    return SimulationSummary(years, int(by_year.sum()), first_break, forced, float(noise), mistakes, by_mistake)


def forced_cuts(frame):
    """Per row of a :func:`~dilemma.charts.repeated.play_frame`: a Cut the firm was forced into.

    A firm that starts a year rated BB (its rating at the end of the previous
    year) cannot borrow and must cut, as :mod:`dilemma.repeated.state` plays
    it. All False for runs without ratings (the one-year game repeated).
    """
    import pandas as pd

    if "rating" not in frame or len(frame) == 0:
        return pd.Series(False, index=frame.index)
    f = frame.sort_values(["player", "year"])
    start_bb = f.groupby("player")["rating"].shift(1) == "BB"
    role = f["role"] if "role" in f else f["action"]
    return (start_bb & (role == "Cut")).reindex(frame.index)
