"""Repeated play: strategies, the stateless and state-carrying engines, tournaments.

Submodules load on first use (PEP 562) so ``dilemma tournament`` stays light:

* :mod:`.strategies` -- the strategy registry (one small class per strategy);
* :mod:`.engine` -- :func:`play`, stateless repeated play of any Spend/Cut game;
* :mod:`.tournament` -- :func:`round_robin`;
* :mod:`.state` -- year-by-year play of a model scenario with balance sheets;
* :mod:`.montecarlo` -- many seeded state runs, percentile bands;
* :mod:`.thresholds` -- critical discount factors of the classic strategies.
"""

from __future__ import annotations

from .._lazy import lazy_exports

_EXPORTS = {
    "Strategy": "dilemma.repeated.strategies",
    "STRATEGIES": "dilemma.repeated.strategies",
    "CLASSICS": "dilemma.repeated.strategies",
    "get_strategy": "dilemma.repeated.strategies",
    "list_strategies": "dilemma.repeated.strategies",
    "play": "dilemma.repeated.engine",
    "PlayResult": "dilemma.repeated.engine",
    "round_robin": "dilemma.repeated.tournament",
    "TournamentResult": "dilemma.repeated.tournament",
    "simulate_state": "dilemma.repeated.state",
    "StateResult": "dilemma.repeated.state",
    "monte_carlo": "dilemma.repeated.montecarlo",
    "MonteCarloResult": "dilemma.repeated.montecarlo",
    "critical_discount": "dilemma.repeated.thresholds",
    "critical_discount_table": "dilemma.repeated.thresholds",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
