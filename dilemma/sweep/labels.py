"""Compact labels for profiles and equilibrium sets, as a sweep's table shows them.

A profile is named by :func:`dilemma.format.profile_label`, as on every
other screen: ``"all spend"``, ``"all cut"``, ``"Meta cuts, others spend"``
(the smaller group is named). A set of equilibria joins its
profiles with ``" | "`` (Spend-heavy profiles first, in the order of the
payoff array), then the symmetric mixed equilibria as ``"mixed 0.42"`` (the
probability that each firm spends); a game without any is ``"none pure"``.

Examples
--------
>>> profile_label((True, False, True), ("A", "B", "C"))
'B cuts, others spend'
>>> profile_label((False, False), ("A", "B"))
'all cut'
>>> equilibria_label(["all spend", "all cut"], [0.4217])
'all spend | all cut | mixed 0.42'
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..format import profile_label

__all__ = ["profile_label", "equilibria_label", "mask_labels", "NONE_PURE", "EVERY_PROFILE"]

#: Label of a game with neither pure nor symmetric mixed equilibria found.
NONE_PURE = "none pure"
#: Label of a game in which every firm is indifferent everywhere.
EVERY_PROFILE = "every profile (indifferent)"
SEP = " | "


def equilibria_label(pure: Sequence[str], mixed: Sequence[float] = ()) -> str:
    """Join pure-profile labels and symmetric mixed probabilities into one label."""
    items = list(pure) + [f"mixed {p:.2f}" for p in mixed]
    return SEP.join(items) if items else NONE_PURE


def mask_labels(masks: np.ndarray, names: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Labels of the profiles selected by each row of a boolean mask.

    Parameters
    ----------
    masks : ndarray of bool, shape (M, 2**N)
        One row per grid point, columns in C order of the payoff array.
    names : sequence of str
        Firm names.

    Returns
    -------
    labels : list of str
        One label per distinct row (joined with ``" | "``, empty string for none).
    inverse : ndarray of int, shape (M,)
        Index into ``labels`` of each row.
    """
    from ..payoffs import profiles

    n = len(names)
    spend = profiles(n)
    names_of = [profile_label(row, names) for row in spend]
    # list more spenders first, then in the order of the payoff array
    order = np.lexsort((np.arange(len(spend)), -spend.sum(axis=1)))
    masks = np.asarray(masks, dtype=bool)
    packed = np.packbits(masks, axis=1)  # rows as bytes: unique over one key per row
    width = packed.shape[1]
    if width <= 8:
        keys = np.zeros((len(packed), 8), dtype=np.uint8)
        keys[:, :width] = packed
        keys = keys.view(np.uint64).ravel()
    else:
        keys = np.ascontiguousarray(packed).view(np.dtype((np.void, width))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    labels = [SEP.join(names_of[k] for k in order if row[k]) for row in masks[first]]
    return labels, np.asarray(inverse).reshape(-1)
