"""dilemma: a game-theory lab for the hyperscaler AI-capex dilemma.

Importing :mod:`dilemma` is light: submodules load on first use (PEP 562), so
``dilemma solve`` never pays for Streamlit or Altair.

>>> import dilemma
>>> g = dilemma.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> g.pure_equilibria()
[(1, 1)]
"""

from __future__ import annotations

from ._lazy import lazy_exports

__version__ = "0.1.0"

# public name -> module that defines it (kept explicit; no import-order tricks)
_EXPORTS = {
    "DilemmaError": "dilemma.errors",
    "ScenarioError": "dilemma.errors",
    "ParameterError": "dilemma.errors",
    "Game": "dilemma.game",
    "Scenario": "dilemma.scenario",
    "Player": "dilemma.scenario",
    "load_scenario": "dilemma.scenario",
    "loads_scenario": "dilemma.scenario",
    "list_presets": "dilemma.scenario",
    "load_preset": "dilemma.scenario",
    "build_game": "dilemma.payoffs",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
