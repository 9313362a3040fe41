"""Test helper: two-player Spend/Cut games as payoff arrays (imported by the repeated-play tests)."""

import numpy as np

#: Axelrod's payoffs: R (both cut), S (cut alone), T (spend alone), P (both spend).
R, S, T, P = 3.0, 0.0, 5.0, 1.0


def pd_array(r=R, s=S, t=T, p=P):
    """Two-player Spend/Cut game; index 0 Spend (Axelrod's D), 1 Cut (C)."""
    g = np.empty((2, 2, 2))
    g[1, 1] = (r, r)
    g[1, 0] = (s, t)
    g[0, 1] = (t, s)
    g[0, 0] = (p, p)
    return g
