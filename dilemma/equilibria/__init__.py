"""Equilibrium solvers and game diagnostics: plain functions on payoff arrays.

Each module holds one algorithm; :class:`dilemma.game.Game` delegates to them.
All functions take the stacked payoff array of shape ``(a_1, ..., a_N, N)``
(or a ``Game``). The array-valued ones -- ``pure_equilibrium_mask``,
``welfare``, ``social_optimum_mask``, ``game_type``/``type_codes``,
``stage_payoffs``, ``critical_discount_factor``, ``is_symmetric``,
``schelling_delta``, ``symmetric_mixed_roots``, ``resolve_roles`` -- also take
a leading batch of games, shape ``(B..., a_1, ..., a_N, N)`` (the number of
players is the length of the last axis); :mod:`dilemma.sweep` calls them on a
whole grid at once. Which action is Spend and which is Cut is decided in one
place, :mod:`~dilemma.equilibria.roles`.

=============== ==========================================================
module          what
=============== ==========================================================
``pure``        pure equilibria by vectorised best-response masks
``mixed``       every extreme equilibrium of a two-player game (degenerate too),
                its maximal convex pieces (cliques)
``nplayer``     every isolated equilibrium of an N-player game (support
                enumeration, exact corner bounds, Krawczyk test) and its continua
``symmetric``   symmetry test; symmetric mixed equilibria of 2-action games
``solve``       :func:`equilibria`: the right method per game, with caveats
                (``exhaustive``; ``degenerate`` True/False/None; ``continua``)
``dominance``   dominated/dominant actions, iterated elimination
``efficiency``  Pareto efficiency, social optimum, price of anarchy
``qre``         logit quantal response equilibrium (continuation; notes folds
                and bifurcations passed)
``schelling``   Schelling diagrams of two-action games
``classify``    prisoner's dilemma / stag hunt / chicken / harmony / deadlock
``grim``        grim-trigger critical discount factor, horizon <-> delta
``roles``       which action is Spend and which is Cut (named or inferred)
``check``       expected payoffs and the best-response check
=============== ==========================================================
"""

from __future__ import annotations

from dilemma.equilibria.check import (best_responses, deviation_payoffs, expected_payoffs,
                                      is_nash, regrets)
from dilemma.equilibria.classify import (TYPE_LABELS, TYPES, describe_type, game_type,
                                         two_player_types)
from dilemma.equilibria.dominance import dominant_actions, dominated_actions, iterated_elimination
from dilemma.equilibria.efficiency import (pareto_efficient_profiles, price_of_anarchy,
                                           social_optimum, welfare)
from dilemma.equilibria.grim import (critical_discount_factor, delta_to_horizon,
                                     horizon_to_delta, stage_payoffs)
from dilemma.equilibria.mixed import is_degenerate, two_player_equilibria
from dilemma.equilibria.nplayer import Continuum, nplayer_equilibria
from dilemma.equilibria.pure import is_pure_equilibrium, pure_equilibria
from dilemma.equilibria.qre import qre
from dilemma.equilibria.roles import Roles, resolve_roles
from dilemma.equilibria.schelling import schelling, schelling_table
from dilemma.equilibria.solve import Equilibrium, EquilibriumResult, equilibria
from dilemma.equilibria.symmetric import (is_symmetric, schelling_delta,
                                          symmetric_mixed_equilibria)

__all__ = [
    "Equilibrium", "EquilibriumResult", "Roles", "TYPES", "TYPE_LABELS", "best_responses",
    "critical_discount_factor", "delta_to_horizon", "describe_type", "deviation_payoffs",
    "dominant_actions", "dominated_actions", "equilibria", "expected_payoffs", "game_type",
    "horizon_to_delta", "is_degenerate", "is_nash", "is_pure_equilibrium", "is_symmetric",
    "iterated_elimination", "nplayer_equilibria", "pareto_efficient_profiles", "price_of_anarchy", "pure_equilibria",
    "qre", "regrets", "resolve_roles", "schelling", "schelling_delta", "schelling_table", "social_optimum",
    "stage_payoffs", "symmetric_mixed_equilibria", "two_player_equilibria",
    "two_player_types", "welfare",
]
