r"""The class's play against the theory: equilibrium, social optimum, logit QRE, predictions.

Only the students' own decisions count (bots and timeouts are left out).

* **Share of Spend** per round: decisions to spend / decisions.
* **Equilibrium**: the share of Spend in each Nash equilibrium of the stage
  game (:func:`dilemma.equilibria.equilibria`), averaged over the firms
  (a mixed equilibrium contributes its probabilities of Spend).
* **Social optimum**: the share of Spend in the welfare-maximising profile(s)
  (:func:`dilemma.equilibria.social_optimum`).
* **Logit QRE fit**: the precision :math:`\lambda` (per $B) whose logit
  quantal response equilibrium (:func:`dilemma.equilibria.qre`, principal
  branch) makes the class's choices most likely:

  .. math:: \hat\lambda = \arg\max_\lambda \sum_{\text{decisions } d}
            \log \sigma_{i(d)}(a_d; \lambda),

  where :math:`\sigma_i(\cdot;\lambda)` is firm *i*'s QRE mixture. The
  QRE is solved on :data:`LAMBDA_GRID` (33 values an eighth of a decade
  apart, 0.001 to 10 per $B, plus 0); between them each firm's probability is
  interpolated linearly in :math:`\log\lambda` and the log-likelihood
  maximised over :data:`FINE_POINTS` points. At the ends the fit says so: a
  class that spends no more than a coin flip is fit by :math:`\lambda = 0`
  (the principal branch starts at one half), a class that always plays the
  equilibrium by the top of the grid.
* **Predictions**: per round, the mean predicted number of rivals spending
  against the mean number that did, over the students who predicted.

Examples
--------
>>> rows = [{"round": 1, "player": 0, "spend": True, "decided_by": "student", "prediction": 1,
...          "group": 1, "payoff": 33.9, "participant": "P001"},
...         {"round": 1, "player": 1, "spend": False, "decided_by": "student", "prediction": 0,
...          "group": 1, "payoff": 0.4, "participant": "P002"}]
>>> spend_by_round(rows)
[{'round': 1, 'share_spend': 0.5, 'decisions': 2}]
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["LAMBDA_GRID", "ClassAnalysis", "analyse_class", "spend_by_round", "equilibrium_shares",
           "optimum_shares", "qre_curve", "fit_lambda", "prediction_by_round", "debrief"]

LAMBDA_GRID = (0.0,) + tuple(float(x) for x in np.logspace(-3, 1, 33))
FINE_POINTS = 2001


def _students(rows):
    return [r for r in rows if r["decided_by"] == "student"]


def spend_by_round(rows) -> list[dict]:
    """Share of Spend among the students' decisions, per round."""
    out = {}
    for r in _students(rows):
        k = out.setdefault(r["round"], [0, 0])
        k[0] += bool(r["spend"])
        k[1] += 1
    return [{"round": rd, "share_spend": s / n, "decisions": n} for rd, (s, n) in sorted(out.items())]


def equilibrium_shares(info) -> list[float]:
    """Share of Spend (mean over firms) in each Nash equilibrium, distinct values, ascending."""
    from dilemma.equilibria import equilibria

    res = equilibria(info.game.payoffs)
    shares = {round(float(np.mean([e.strategy[p][info.spend[p]] for p in range(info.n)])), 6)
              for e in res.equilibria}
    return sorted(shares)


def optimum_shares(info) -> list[float]:
    """Share of Spend in each welfare-maximising profile, distinct values, ascending."""
    from dilemma.equilibria import social_optimum

    opt = social_optimum(info.game.payoffs)
    return sorted({round(float(np.mean([prof[p] == info.spend[p] for p in range(info.n)])), 6)
                   for prof in opt.profiles})


@functools.lru_cache(maxsize=32)
def _curve(scenario_toml: str) -> tuple[np.ndarray, np.ndarray]:
    from dilemma.classroom.store import game_info
    from dilemma.equilibria import qre

    info = game_info(scenario_toml)
    probs = np.empty((len(LAMBDA_GRID), info.n))
    for k, lam in enumerate(LAMBDA_GRID):
        res = qre(info.game.payoffs, lam)
        probs[k] = [res.strategy[p][info.spend[p]] for p in range(info.n)]
    return np.asarray(LAMBDA_GRID), probs


def qre_curve(info) -> tuple[np.ndarray, np.ndarray]:
    """``(lambdas, P(Spend) per firm)`` on :data:`LAMBDA_GRID`, shape ``(L,)`` and ``(L, N)`` (cached)."""
    return _curve(info.scenario.to_toml())


def fit_lambda(info, rows) -> dict:
    """Maximum-likelihood logit precision for the students' decisions.

    Returns ``{"lam", "loglik", "at_edge", "p_spend"}``: ``at_edge`` is
    ``"low"``/``"high"`` when the best value is an end of the grid, ``p_spend`` the
    fitted QRE's share of Spend (mean over the firms the students played).
    """
    counts = np.zeros((info.n, 2))
    for r in _students(rows):
        counts[r["player"], 0 if r["spend"] else 1] += 1
    lams, probs = qre_curve(info)
    log_grid = np.log(lams[1:])
    fine = np.exp(np.linspace(log_grid[0], log_grid[-1], FINE_POINTS))
    lam_all = np.concatenate([[0.0], fine])
    p_all = np.vstack([probs[:1]] + [np.column_stack([np.interp(np.log(fine), log_grid, probs[1:, q])
                                                      for q in range(info.n)])])
    p = np.clip(p_all, 1e-12, 1 - 1e-12)
    ll = (counts[:, 0] * np.log(p) + counts[:, 1] * np.log1p(-p)).sum(axis=1)
    k = int(np.flatnonzero(ll >= ll.max() - 1e-9)[-1])   # on a plateau (all play the equilibrium) take its far end
    weights = counts.sum(axis=1)
    w = weights / weights.sum() if weights.sum() else np.full(info.n, 1 / info.n)
    edge = "low" if k == 0 else "high" if k == len(lam_all) - 1 else None
    return {"lam": float(lam_all[k]), "loglik": float(ll[k]), "at_edge": edge, "p_spend": float(p_all[k] @ w)}


def prediction_by_round(rows) -> list[dict]:
    """Mean predicted rivals spending vs the mean that did (students who predicted), per round."""
    groups: dict[tuple[int, int], list] = {}
    for r in rows:
        groups.setdefault((r["round"], r["group"]), []).append(r)
    acc: dict[int, list[float]] = {}
    for (rd, _g), members in groups.items():
        spenders = sum(bool(m["spend"]) for m in members)
        for m in members:
            if m["decided_by"] == "student" and m.get("prediction") is not None:
                a = acc.setdefault(rd, [0.0, 0.0, 0])
                a[0] += m["prediction"]
                a[1] += spenders - bool(m["spend"])
                a[2] += 1
    return [{"round": rd, "predicted": p / n, "actual": a / n, "students": n}
            for rd, (p, a, n) in sorted(acc.items())]


@dataclass
class ClassAnalysis:
    """Everything the projector shows after a reveal."""

    by_round: list
    overall_spend: float | None
    decisions: int
    equilibrium: list
    optimum: list
    fit: dict | None
    predictions: list
    payoffs: list = field(default_factory=list)    # per student decision: round, participant, payoff
    debrief: str = ""


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _say(shares: list[float]) -> str:
    return " or ".join(_pct(s) for s in shares) if shares else "nothing"


def debrief(a: ClassAnalysis, rivals: int) -> str:
    """The analysis in words, for the projector."""
    if not a.decisions:
        return "No student decision has been revealed yet."
    eq_word = "the equilibrium says" if len(a.equilibrium) == 1 else "the equilibria say"
    parts = [f"Over {len(a.by_round)} round(s) the class spent {_pct(a.overall_spend)} of the time "
             f"({a.decisions} decisions); {eq_word} {_say(a.equilibrium)}, the social optimum "
             f"{_say(a.optimum)}."]
    if len(a.by_round) > 1:
        first, last = a.by_round[0]["share_spend"], a.by_round[-1]["share_spend"]
        trend = "rose" if last > first + 0.05 else "fell" if last < first - 0.05 else "stayed about the same"
        parts.append(f"Spending {trend} from {_pct(first)} in round {a.by_round[0]['round']} "
                     f"to {_pct(last)} in round {a.by_round[-1]['round']}.")
    if a.fit is not None:
        f = a.fit
        if f["at_edge"] == "low":
            parts.append("A logit QRE fits best with λ = 0: the class spent no more than coin flips would, "
                         "so noisy best responses do not explain it; something else (trust, fairness, "
                         "the hope of a repeated game) kept spending down.")
        elif f["at_edge"] == "high":
            parts.append(f"A logit QRE fits best at the top of the range (λ ≥ {LAMBDA_GRID[-1]:g} per $B): "
                         "the class played like precise best responders.")
        else:
            parts.append(f"The logit QRE that fits best has λ = {f['lam']:.3g} per $B (a $1B advantage "
                         f"multiplies the odds of an action by {math.exp(f['lam']):.3g}); it predicts "
                         f"{_pct(f['p_spend'])} Spend.")
    if a.predictions:
        pred = sum(p["predicted"] * p["students"] for p in a.predictions) / sum(p["students"] for p in a.predictions)
        act = sum(p["actual"] * p["students"] for p in a.predictions) / sum(p["students"] for p in a.predictions)
        gap = "too pessimistic" if pred > act + 0.1 else "too optimistic" if pred < act - 0.1 else "about right"
        parts.append(f"Students expected {pred:.2g} of their {rivals} rival(s) to spend; {act:.2g} did "
                     f"({gap}).")
    return " ".join(parts)


def analyse_class(info, rows, *, fit: bool = True) -> ClassAnalysis:
    """The analysis of revealed rows (from :meth:`Classroom.results`) of a room playing ``info``'s game."""
    students = _students(rows)
    by_round = spend_by_round(rows)
    overall = (sum(bool(r["spend"]) for r in students) / len(students)) if students else None
    a = ClassAnalysis(by_round, overall, len(students), equilibrium_shares(info), optimum_shares(info),
                      fit_lambda(info, rows) if (fit and students) else None, prediction_by_round(rows),
                      [{"round": r["round"], "participant": r["participant"], "payoff": r["payoff"],
                        "action": r["action"]} for r in students])
    a.debrief = debrief(a, info.n - 1)
    return a
