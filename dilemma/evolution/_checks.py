"""Input checks shared by the evolution modules (private).

Each check validates one public argument at the boundary and raises
:class:`~dilemma.errors.ParameterError` naming the argument and its allowed
range, so the algorithms behind them can assume clean arrays.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from dilemma.errors import ParameterError


def check_sc(S, C) -> tuple[np.ndarray, np.ndarray]:
    """A Schelling diagram ``S(j), C(j)``: two finite float arrays of one length ``N >= 1``."""
    S = np.asarray(S, dtype=float).ravel()
    C = np.asarray(C, dtype=float).ravel()
    if S.shape != C.shape or S.size < 1:
        raise ParameterError("S, C", "two arrays of the same length N >= 1 (payoffs when j = 0..N-1 others spend)",
                             (S.shape, C.shape))
    if not (np.all(np.isfinite(S)) and np.all(np.isfinite(C))):
        raise ParameterError("S, C", "finite numbers")
    return S, C


def check_share(name: str, x) -> np.ndarray:
    """Shares in [0, 1] (scalar or array)."""
    x = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(x)) or np.any(x < 0) or np.any(x > 1):
        raise ParameterError(name, "shares between 0 and 1", x.tolist() if x.ndim else float(x))
    return x


def check_whole(name: str, value, low: int) -> int:
    """A whole number ``>= low`` (``bool`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ParameterError(name, f"a whole number >= {low}", value)
    return int(value)


def check_w(w) -> float:
    """The intensity of selection: a finite number ``>= 0``."""
    try:
        w = float(w)
    except (TypeError, ValueError):
        raise ParameterError("w", "a finite number >= 0 (intensity of selection)", w) from None
    if not (math.isfinite(w) and w >= 0):
        raise ParameterError("w", "a finite number >= 0 (intensity of selection)", w)
    return w


def check_square(A, name: str = "A") -> np.ndarray:
    """A square matrix of finite payoffs, row strategy against column strategy."""
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1 or not np.isfinite(A).all():
        raise ParameterError(name, "a square matrix of finite payoffs (row against column)", A.shape)
    return A
