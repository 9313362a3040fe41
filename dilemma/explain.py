"""Plain-language reading of a Spend/Cut game, for students and slides.

:func:`explain` turns a model game (with its payoff breakdown) into a few
sentences: what cutting alone costs a firm in market value, what spending
costs it in capital charges, financing and burst risk, what the extra capacity
earns, and what that makes of the game. Everything is computed from the
game's arrays; nothing is templated with fixed numbers.

Examples
--------
>>> from dilemma import load_preset, build_game
>>> text = explain(build_game(load_preset("2025-baseline")), firm="Meta")
>>> "Cutting alone would cost Meta" in text
True
"""

from __future__ import annotations

import numpy as np

from .format import money  # the one money formatter (re-exported: explain.money)
from .payoffs import CUT, SPEND

__all__ = ["explain", "deviation_terms", "money", "spend_cut_index"]


def deviation_terms(game, firm: int) -> dict[str, float]:
    """How each payoff term changes when ``firm`` spends instead of cutting alone.

    Compares the profile where everyone spends with the one where only
    ``firm`` cuts: positive values favour spending.
    """
    idx = spend_cut_index(game, infer=True) or [(SPEND, CUT)] * game.n_players
    spend = tuple(s for s, _ in idx)
    cut = list(spend)
    cut[firm] = idx[firm][1]
    cut = tuple(cut)
    return {term: float(arr[spend + (firm,)] - arr[cut + (firm,)]) for term, arr in game.breakdown.items()}


def spend_cut_index(game, infer: bool = False):
    """Per player ``(spend, cut)`` action indices, or None if the game is not read as Spend/Cut.

    The roles come from :meth:`Game.roles` (:func:`dilemma.equilibria.roles.resolve_roles`):
    by default only when the action names say them; with ``infer=True`` also
    when they are inferred from the payoffs. None for games whose players do
    not all have two actions, or whose roles cannot be told.

    Examples
    --------
    >>> from dilemma.game import Game
    >>> g = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> spend_cut_index(g), spend_cut_index(g, infer=True)
    (None, [(1, 0), (1, 0)])
    """
    from .equilibria.roles import resolve_roles
    from .errors import RolesError

    if any(len(a) != 2 for a in game.actions):
        return None
    try:
        roles = resolve_roles(game)
    except RolesError:
        return None
    if roles.inferred and not infer:
        return None
    return roles.pairs()


def explain(game, firm: str | int | None = None, game_type: str | None = None) -> str:
    """A short markdown explanation of why the firms spend (or cut).

    Parameters
    ----------
    game : Game
        A model game (actions Spend/Cut, with a ``breakdown``). Explicit games
        get only the type sentence and the all-cut comparison.
    firm : str or int, optional
        The firm to explain; by default the one punished most for cutting.
    game_type : str, optional
        The type slug if already computed (else ``game.game_type()``).
    """
    n = game.n_players
    pay = np.asarray(game.payoffs)
    slug = game_type or game.game_type()
    lines = []
    if game.breakdown is not None:
        if firm is None:
            pun = [deviation_terms(game, i)["punishment"] for i in range(n)]
            i = int(np.argmax(pun))
        elif isinstance(firm, str):
            i = list(game.players).index(firm)
        else:
            i = int(firm)
        name = game.players[i]
        d = deviation_terms(game, i)
        cost = -(d["capital_charge"] + d["financing"] + d["burst_loss"])
        net = sum(d.values())
        lines.append(
            f"Cutting alone would cost {name} {money(d['punishment'])} a year in market value, "
            f"while spending costs it {money(cost)} more in depreciation, financing and burst risk "
            f"and earns {money(d['revenue'])} more AI revenue. "
            + (f"So against rivals who all spend, {name} gains {money(net)} a year by spending too."
               if net > 0 else
               f"So against rivals who all spend, {name} is {money(-net)} a year better off cutting.")
        )
    from .equilibria.classify import TYPES, describe_type

    lines.append(describe_type(slug if slug in TYPES else "other"))
    idx = spend_cut_index(game, infer=True)
    if idx is not None:
        all_spend = pay[tuple(s for s, _ in idx)]
        all_cut = pay[tuple(c for _, c in idx)]
        gain = all_cut - all_spend
        if (gain > 0).all():
            from .tables import money_change  # totals whose rounded values add up as shown

            before, after, total = money_change(float(all_spend.sum()), float(all_cut.sum()))
            lines.append(
                f"If {'both' if n == 2 else f'all {n}'} cut instead of {'both' if n == 2 else 'all'} spending, "
                f"every firm would gain: {total} a year in total ({before} → {after})."
            )
        elif (gain < 0).all():
            lines.append(f"All spending beats all cutting for every firm, by {money(float(-gain.sum()))} a year in total.")
        else:
            winners = [game.players[k] for k in range(n) if gain[k] > 0]
            lines.append(f"If all cut, only {', '.join(winners) or 'nobody'} would gain; "
                         f"the total changes by {money(float(gain.sum()))} a year.")
    return "\n\n".join(lines)
