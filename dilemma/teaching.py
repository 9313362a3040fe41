"""Teaching material as data: the glossary and the guided tour (no Streamlit).

The lab's *Glossary* page renders :data:`GLOSSARY`; every page that uses one
of its words links there (``glossary#<anchor>``) or shows the definition in
a tooltip (:func:`define`). The *Guided tour* page renders :data:`TOUR`: each
step asks the student for a prediction (a choice or a number) *before* it
shows the answer, as Nicky Case's "The Evolution of Trust" does, then says
how close the guess was (:func:`score`).

The answers are never typed in: each step's :attr:`TourStep.solve` computes
its answer from a preset with the package's own functions, so the tour stays
right when the model or the presets change.

Examples
--------
>>> define("delta")[:40]
'The discount factor δ: how much a firm’s'
>>> score(1.0, 1.21, "years").verdict
'close'
>>> score("Spend", "Spend").verdict
'right'
>>> [s.number for s in TOUR] == list(range(1, len(TOUR) + 1))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Term", "GLOSSARY", "define", "glossary_link", "Answer", "Score", "score", "TourStep", "TOUR",
           "tour_step"]


@dataclass(frozen=True)
class Term:
    """One glossary entry: the word, its anchor on the Glossary page, a definition and where to see it."""

    anchor: str
    word: str
    text: str
    see: str = ""        # url path of the lab page where the idea is on screen ("" = page 1)
    see_title: str = ""


def _type_text(slug: str, word: str) -> str:
    """A game type's glossary text: the one description, :func:`dilemma.equilibria.classify.describe_type`.

    Without its leading label; where the screens name the type otherwise
    than the glossary ``word`` (:data:`~dilemma.equilibria.classify.TYPE_LABELS`:
    harmony is "No dilemma: bust (harmony)"), that name is added, so a
    student can match the two.

    >>> _type_text("harmony", "Harmony")
    'Cutting is best whatever the others do, so everyone cuts and the build-out simply stops. The screens call it “No dilemma: bust (harmony)”.'
    """
    from .equilibria.classify import TYPE_LABELS, describe_type

    body = describe_type(slug).partition(": ")[2]
    text = body[:1].upper() + body[1:]
    if not TYPE_LABELS[slug].startswith(word):
        text += f" The screens call it “{TYPE_LABELS[slug]}”."
    return text


GLOSSARY: dict[str, Term] = {t.anchor: t for t in (
    Term("nash-equilibrium", "Nash equilibrium",
         "A choice for every firm such that no firm gains by changing its own choice alone. In the payoff "
         "matrix: a cell where both payoffs are underlined (each a best response to the other).",
         "", "The dilemma (one year)"),
    Term("best-response", "Best response",
         "The action that pays a firm most, given what the others do. The payoff matrix underlines it.",
         "", "The dilemma (one year)"),
    Term("prisoners-dilemma", "Prisoner's dilemma", _type_text("prisoners-dilemma", "Prisoner's dilemma") +
         " Individually rational, collectively wasteful.", "", "The dilemma (one year)"),
    Term("stag-hunt", "Stag hunt", _type_text("stag-hunt", "Stag hunt"), "regime-map", "Regime map"),
    Term("chicken", "Chicken", _type_text("chicken", "Chicken"), "regime-map", "Regime map"),
    Term("harmony", "Harmony", _type_text("harmony", "Harmony"), "regime-map", "Regime map"),
    Term("deadlock", "Deadlock", _type_text("deadlock", "Deadlock"), "regime-map", "Regime map"),
    Term("other-type", "Other (no single type)",
         "On the regime map: the firms differ so much that they do not all face the same kind of game, "
         "for example one firm's choice looks like chicken while another's is a prisoner's dilemma. "
         "Hover over a cell to see its equilibria.", "regime-map", "Regime map"),
    Term("restraint", "Restraint",
         "All firms cut (scale back their AI capex plans) although each could gain by spending alone.",
         "repeated", "Repeated play"),
    Term("delta", "δ (discount factor)",
         "The discount factor δ: how much a firm’s managers value next year’s payoff compared with this "
         "year’s (between 0 and 1). With a management horizon of H years and a discount rate r, "
         "δ = exp(−(r + 1/H)): a 10-year horizon at r = 9 % gives δ ≈ 0.83; a 1-year horizon δ ≈ 0.33. "
         "Restraint lasts when δ is at least the threshold δ* of the most tempted firm.",
         "repeated", "Repeated play"),
    Term("tempted", "Most tempted firm",
         "The firm that needs the most patience for restraint: the largest δ* = (T − R)/(T − P), where "
         "T − R is its one good year from spending while the others cut and T − P what the spending war "
         "costs it each year after. Not always the firm with the most dollars at stake.",
         "repeated", "Repeated play"),
    Term("grim-trigger", "Grim trigger",
         "A strategy: cut as long as everyone has cut; once anyone spends, spend forever. The harshest "
         "threat, so it gives the lowest δ at which restraint can last.", "repeated", "Repeated play"),
    Term("tit-for-tat", "Tit for tat",
         "A strategy: cut in the first year, then do what the others did last year. Forgiving, but a "
         "single mistake can start an echo of punishments.", "repeated", "Repeated play"),
    Term("noise", "Mistakes (noise)",
         "The chance that a firm does the opposite of what its strategy says in a year (a misread signal, "
         "a board overruling management).", "repeated", "Repeated play"),
    Term("schelling-diagram", "Schelling diagram",
         "For one firm, two lines against how many rivals spend: its payoff if it spends and if it cuts. "
         "Where the Spend line is above, spending pays; where the lines cross is a tipping point "
         "(Thomas Schelling, 1973).", "", "The dilemma (one year)"),
    Term("qre", "QRE (quantal response equilibrium)",
         "An equilibrium of firms that make errors: better actions are chosen more often, not always "
         "(logit choice). As the firms grow more precise it approaches a Nash equilibrium.",
         "tournament", "Tournament and evolution"),
    Term("replicator", "Replicator dynamics",
         "A model of habits spreading in a large population: the share of firms that spend grows when "
         "spending earns more than the average, and shrinks when it earns less.",
         "tournament", "Tournament and evolution"),
    Term("moran", "Moran process",
         "A model of a small population of N firms: each step one firm copies another, chosen with a "
         "chance that grows with its payoff. It asks whether a single newcomer can take over.",
         "tournament", "Tournament and evolution"),
)}


def define(anchor: str) -> str:
    """The glossary's definition of a word (for a ``help=`` tooltip).

    Raises
    ------
    KeyError
        No glossary entry has that anchor.
    """
    return GLOSSARY[anchor].text


def glossary_link(anchor: str, text: str | None = None) -> str:
    """A markdown link to the word on the Glossary page: ``[δ](glossary#delta)``.

    >>> glossary_link("delta")
    '[δ (discount factor)](glossary#delta)'
    """
    term = GLOSSARY[anchor]
    return f"[{text or term.word}](glossary#{anchor})"


# ---- the guided tour ---------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A step's answer: the value, how it reads, and the lesson."""

    value: object
    shown: str
    lesson: str


@dataclass(frozen=True)
class Score:
    """How close a prediction was."""

    verdict: str      # right / wrong for a choice; spot on / close / same ballpark / far off for a number
    text: str


def score(guess, truth, unit: str = "") -> Score:
    """How close ``guess`` is to ``truth``: a choice is right or wrong; a number is graded by its error.

    For a number the error is relative to the answer (at least 1 unit of
    it): within 5 % "spot on", 30 % "close", 60 % and the same sign "same
    ballpark", else "far off".

    >>> score(70, 71.5, "$B").text
    'Spot on: you said 70 $B, the answer is 71.5 $B (off by 1.5 $B).'
    >>> score(0, 5, "firms").verdict
    'far off'
    """
    if isinstance(truth, str):
        ok = str(guess) == truth
        return Score("right" if ok else "wrong",
                     f"{'Right' if ok else 'Not quite'}: you said {guess}, the answer is {truth}.")
    g, t = float(guess), float(truth)
    err = abs(g - t)
    rel = err / max(abs(t), 1.0)
    if rel <= 0.05:
        verdict = "spot on"
    elif rel <= 0.30:
        verdict = "close"
    elif rel <= 0.6 and (g > 0) == (t > 0):
        verdict = "same ballpark"
    else:
        verdict = "far off"
    u = f" {unit}" if unit else ""
    return Score(verdict, f"{verdict[0].upper() + verdict[1:]}: you said {_num(g)}{u}, the answer is "
                          f"{_num(t)}{u} (off by {_num(err)}{u}).")


def _num(x: float) -> str:
    x = round(float(x), 2)
    if x == 0:
        return "0"
    if float(x).is_integer():
        return str(int(x)).replace("-", "−")
    return f"{x:.2f}".rstrip("0").rstrip(".").replace("-", "−")


@dataclass(frozen=True)
class TourStep:
    """One step of the tour: a question to answer before the reveal.

    ``kind`` is ``"choice"`` (pick one of ``options``) or ``"number"``
    (type a number in ``unit``, between ``low`` and ``high``). ``solve()``
    computes the :class:`Answer` with the package; ``page`` is where the
    student sees it in the lab (url path), ``preset`` the scenario it uses.
    """

    number: int
    title: str
    setup: str
    question: str
    kind: str
    solve: Callable[[], Answer] = field(repr=False, compare=False)
    options: tuple = ()
    unit: str = ""
    low: float = 0.0
    high: float = 100.0
    page: str = ""
    preset: str = "2025-baseline"
    words: tuple = ()     # glossary anchors this step uses


def _game(name: str):
    from dilemma.scenario import load_preset

    return load_preset(name).build_game()


def _solve_choice() -> Answer:
    from dilemma.explain import money

    g = _game("classroom-two-player")
    pay = g.payoffs  # Alpha is the row player; Beta spends = column 0
    spend, cut = float(pay[0, 0, 0]), float(pay[1, 0, 0])
    best = "Spend" if spend > cut else "Cut"
    return Answer(best, best,
                  f"If Beta spends, Alpha earns {money(spend)} a year by spending and {money(cut)} by cutting. "
                  f"And if Beta cuts, Alpha still earns more by spending ({money(float(pay[0, 1, 0]))} against "
                  f"{money(float(pay[1, 1, 0]))}): spending is a dominant action.")


def _solve_equilibrium() -> Answer:
    g = _game("2025-baseline")
    eq = g.pure_equilibria()
    k = sum(1 for a in eq[0] if a == 0) if eq else 0
    return Answer(k, f"{k} of {g.n_players}",
                  f"In the one equilibrium {k} of the {g.n_players} firms spend: whatever the others do, "
                  "spending pays each firm more than cutting.")


def _solve_punishment() -> Answer:
    from dilemma.explain import deviation_terms, money

    g = _game("2025-baseline")
    i = list(g.players).index("Microsoft")
    d = deviation_terms(g, i)
    cost = -(d["capital_charge"] + d["financing"] + d["burst_loss"])
    return Answer(round(d["punishment"], 1), money(d["punishment"]),
                  f"Cutting alone would cost Microsoft {money(d['punishment'])} a year in market value (the "
                  f"punishment leg), while spending costs it {money(cost)} more in depreciation, financing and "
                  f"burst risk (the cost leg). The punishment leg is the larger, so Microsoft spends.")


def _solve_all_cut() -> Answer:
    from dilemma.explain import money

    g = _game("2025-baseline")
    n = g.n_players
    all_spend = g.payoffs[(0,) * n].sum()
    all_cut = g.payoffs[(1,) * n].sum()
    gain = float(all_cut - all_spend)
    return Answer(round(gain, 1), money(gain),
                  f"All five firms together earn {money(float(all_spend))} a year when all spend and "
                  f"{money(float(all_cut))} when all cut: restraint would be worth {money(gain)} a year, yet no "
                  "firm can get there alone.")


def tipping_punishment(tol: float = 1e-5) -> float:
    """The smallest market punishment (share of market value per year) at which the baseline is a prisoner's dilemma.

    Bisection on ``market.punishment`` between 0 and the baseline's value.
    """
    from dilemma.scenario import load_preset

    base = load_preset("2025-baseline")

    def is_pd(x):
        return base.with_values({"market.punishment": x}).build_game().game_type() == "prisoners-dilemma"

    lo, hi = 0.0, float(base.values["market.punishment"])
    if is_pd(lo) or not is_pd(hi):
        raise ValueError("the baseline is not a prisoner's dilemma at its punishment, or is one at 0")
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if is_pd(mid) else (mid, hi)
    return hi


def _solve_tipping() -> Answer:
    x = tipping_punishment()
    return Answer(round(100 * x, 2), f"{100 * x:.2f} %",
                  f"Below a punishment of about {100 * x:.2f} % of market value a year, cutting alone stops "
                  "being punished enough: the dilemma gives way to chicken (some firms spend, some cut), "
                  "through a band where the firms differ (“Other”).")


def _solve_horizon() -> Answer:
    from dilemma.verdicts import restraint_verdict
    from dilemma.scenario import load_preset

    s = load_preset("2025-baseline")
    v = restraint_verdict(s.build_game(), horizon=10.0, rate=s.values["demand.discount_rate"])
    h = v.horizon_needed
    return Answer(round(h, 1), f"{h:.1f} years",
                  f"Restraint with grim-trigger threats needs δ ≥ {v.needed:.2f} (for {v.firm}, the most "
                  f"tempted firm): managers who look at least {h:.1f} years ahead. Short, because the spending war "
                  "costs every firm far more each year than one good year of spending alone brings.")


TOURNAMENT_POOL = ("always-spend", "always-cut", "tit-for-tat", "grim-trigger", "win-stay-lose-shift",
                   "random")


def _solve_tournament() -> Answer:
    from dilemma.repeated import round_robin
    from dilemma.repeated.strategies import STRATEGIES

    g = _game("classroom-two-player")
    t = round_robin(g, list(TOURNAMENT_POOL), rounds=20, repetitions=5, noise=0.0, seed=0, self_play=True)
    win = t.frame["strategy"].iloc[0]
    label = STRATEGIES[win].label
    return Answer(label, label,
                  f"{label} wins: 20 rounds per match, every pair five times, no mistakes. Strategies that "
                  "cut with those who cut and punish those who spend earn well against many opponents, "
                  "although they never beat anyone head to head.")


def _tournament_options() -> tuple:
    from dilemma.repeated.strategies import STRATEGIES

    return tuple(STRATEGIES[s].label for s in TOURNAMENT_POOL)


TOUR: list[TourStep] = [
    TourStep(1, "What would you do?",
             "Two identical firms, Alpha and Beta, each decide whether to keep their AI capex plan (Spend) or "
             "scale it back (Cut). You run Alpha.",
             "Beta has announced it will spend. What pays Alpha more this year?", "choice", _solve_choice,
             options=("Spend", "Cut"), page="", preset="classroom-two-player", words=("best-response",)),
    TourStep(2, "The equilibrium",
             "Now the five 2025 hyperscalers (baseline preset), each deciding for itself.",
             "In equilibrium, how many of the five firms spend?", "number", _solve_equilibrium,
             unit="firms", low=0, high=5, page="", words=("nash-equilibrium",)),
    TourStep(3, "The punishment leg against the cost leg",
             "A firm that cuts alone is punished by the market (its share price falls); a firm that spends "
             "pays depreciation, interest and the risk of a burst.",
             "How much market value a year ($B) would Microsoft lose by cutting alone while the others spend?",
             "number", _solve_punishment, unit="$B", low=0, high=200, page=""),
    TourStep(4, "All cut",
             "Suppose all five firms could agree to cut together.",
             "How much more would the five earn together per year ($B) if all cut instead of all spending?",
             "number", _solve_all_cut, unit="$B", low=-200, high=300, page="",
             words=("prisoners-dilemma",)),
    TourStep(5, "The tipping point",
             "The market punishment for cutting is 0.9 % of market value a year in the baseline. Lower it and "
             "the game changes.",
             "Below what punishment (% of market value per year) does the prisoner's dilemma stop?", "number",
             _solve_tipping, unit="%", low=0, high=3, page="regime-map", words=("chicken", "other-type")),
    TourStep(6, "Repeated play: the δ a firm needs",
             "Firms meet again every year. If all threaten to spend forever once anyone spends (grim trigger), "
             "restraint can last when managers care enough about the future.",
             "How many years ahead must managers look for restraint to last?", "number", _solve_horizon,
             unit="years", low=0, high=30, page="repeated", words=("delta", "grim-trigger", "tempted")),
    TourStep(7, "A tournament",
             "Six strategies play the two-firm game against each other (and a copy of themselves), 20 rounds "
             "per match, as in Axelrod's tournaments.",
             "Which strategy earns the most on average?", "choice", _solve_tournament,
             options=(), page="tournament", preset="classroom-two-player", words=("tit-for-tat",)),
]


def tour_step(number: int) -> TourStep:
    """The tour step with this number (1-based); ``ValueError`` naming the range otherwise."""
    if not isinstance(number, int) or not 1 <= number <= len(TOUR):
        raise ValueError(f"step must be a whole number from 1 to {len(TOUR)}, got {number!r}")
    return TOUR[number - 1]


def options_of(step: TourStep) -> tuple:
    """The choices of a choice step (the tournament's are the strategies' labels)."""
    return step.options or (_tournament_options() if step.kind == "choice" else ())

