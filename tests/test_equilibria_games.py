"""Named games and helpers shared by the equilibrium tests (no tests of its own)."""

from __future__ import annotations

from itertools import product

import numpy as np


def bimatrix(A, B) -> np.ndarray:
    return np.stack([np.asarray(A, dtype=float), np.asarray(B, dtype=float)], axis=-1)


def volunteer(n: int, b: float = 1.0, c: float = 0.25) -> np.ndarray:
    """Volunteer's dilemma: action 0 = volunteer (cost c), everyone gets b if someone does."""
    p = np.zeros((2,) * n + (n,))
    for prof in product(range(2), repeat=n):
        anyone = 0 in prof
        p[prof] = [b * anyone - c * (a == 0) for a in prof]
    return p


def symmetric_two_action(S, C) -> np.ndarray:
    """Symmetric N-player game: S[j] (C[j]) = payoff of action 0 (1) when j others play 0."""
    S, C = np.asarray(S, float), np.asarray(C, float)
    n = len(S)
    p = np.zeros((2,) * n + (n,))
    for prof in product(range(2), repeat=n):
        k = prof.count(0)
        p[prof] = [S[k - 1] if a == 0 else C[k] for a in prof]
    return p


def same_strategies(found, expected, atol=1e-7) -> bool:
    """Set equality of lists of profiles (tuples of probability vectors)."""
    found = [tuple(np.asarray(s, float) for s in e) for e in found]
    expected = [tuple(np.asarray(s, float) for s in e) for e in expected]
    if len(found) != len(expected):
        return False

    def match(a, b):
        return all(x.shape == y.shape and np.allclose(x, y, atol=atol) for x, y in zip(a, b))

    return (all(any(match(f, e) for e in expected) for f in found)
            and all(any(match(f, e) for f in found) for e in expected))
