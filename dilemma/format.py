"""How the package writes money and Spend/Cut profiles for people: one home for each.

Every screen, report and chart label that shows a dollar amount calls
:func:`money`, and every place that names a pure Spend/Cut profile (the
one-shot page, ``dilemma solve``, the sweep's ``equilibria`` column and the
regime map) calls :func:`profile_label`, so one equilibrium reads the same
everywhere. (The plain-language names and sentences of the game *types* live
with their classifier: :data:`dilemma.equilibria.classify.TYPE_LABELS` and
:func:`dilemma.equilibria.classify.describe_type`.)

Rules for money (amounts are $B):

* one decimal from $1B up, two below, so small amounts never read ``$0.0B``;
* thousands separators; a true minus sign (``−``, U+2212);
* no minus zero: an amount that rounds to zero is written without a sign;
* in text (with the unit, default decimals) an amount that rounds to zero
  is ``"about $0"``: ``$0.00B`` in a sentence reads like a result when the
  figure is only rounding noise; chart labels and fixed-decimal table
  columns keep the digits;
* ``None``, NaN and infinities are ``"n/a"``.

Examples
--------
>>> money(12.345), money(-0.024), money(-0.0004), money(float("nan"))
('$12.3B', '−$0.02B', 'about $0', 'n/a')
>>> money(-1234.56, unit=False)
'−1,234.6'
>>> profile_label([True, True, False, True], ["Microsoft", "Alphabet", "Meta", "Oracle"])
'Meta cuts, others spend'
"""

from __future__ import annotations

import math
from typing import Sequence

__all__ = ["ABOUT_ZERO", "MINUS", "money", "profile_label"]

#: The minus sign of every formatted amount (U+2212, as in typeset text).
MINUS = "\u2212"
#: How text writes an amount that rounds to zero ("$0.00B" reads like a result).
ABOUT_ZERO = "about $0"


def money(x, unit: bool = True, decimals: int | None = None) -> str:
    """An amount of $B as text: ``'$12.3B'``, ``'−$0.02B'``; ``unit=False`` drops ``$`` and ``B``.

    Parameters
    ----------
    x : float or None
        Amount in billions of dollars.
    unit : bool
        Write ``$`` and ``B`` (text and metrics) or only the number (chart
        labels whose axis already says $B).
    decimals : int, optional
        A fixed number of decimals (a table column that must line up);
        by default one from $1B up and two below.

    Returns
    -------
    str
        One decimal for ``|x| >= 1``, two below; no sign on an amount that
        rounds to zero; ``"about $0"`` for one that rounds to zero with the
        unit and the default decimals; ``"n/a"`` for None, NaN or an
        infinity.

    Examples
    --------
    >>> [money(v) for v in (0.004, -0.005, 0.994, 0.996, -1.05, 2500)]
    ['about $0', '−$0.01B', '$0.99B', '$1.00B', '−$1.1B', '$2,500.0B']
    >>> money(None), money(float("-inf"), unit=False)
    ('n/a', 'n/a')
    >>> money(-0.0001, unit=False), money(-0.04, unit=False, decimals=1), money(-3.26, decimals=0)
    ('0.00', '0.0', '−$3B')
    >>> money(0.004, decimals=2)
    '$0.00B'
    """
    if x is None:
        return "n/a"
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    in_text = unit and decimals is None
    if decimals is None:
        decimals = 1 if abs(x) >= 1 else 2
    text = f"{abs(x):,.{int(decimals)}f}"
    zero = all(c in "0.," for c in text)
    if zero and in_text:
        return ABOUT_ZERO
    sign = MINUS if x < 0 and not zero else ""
    return f"{sign}${text}B" if unit else f"{sign}{text}"


def profile_label(spend: Sequence[bool], names: Sequence[str]) -> str:
    """Name a pure Spend/Cut profile by the smaller group: ``'Meta cuts, others spend'``.

    Parameters
    ----------
    spend : sequence of bool
        Per firm: True if it plays Spend (the action with the Spend role,
        whatever the game calls it), False if Cut.
    names : sequence of str
        Firm names, same length.

    Returns
    -------
    str
        ``"all spend"`` / ``"all cut"`` when the firms agree; otherwise the
        smaller group is named (the cutters on a tie) and the rest are
        ``"others"``, or named too when the rest is a single firm. One firm
        alone is ``"<name> spends"`` / ``"<name> cuts"``.

    Raises
    ------
    ValueError
        If ``spend`` and ``names`` differ in length.

    Examples
    --------
    >>> profile_label([True, False], ["Alpha", "Beta"])
    'Beta cuts, Alpha spends'
    >>> profile_label([False, True, True, False, False], ["A", "B", "C", "D", "E"])
    'B, C spend, others cut'
    >>> profile_label([True, True, False, False], ["A", "B", "C", "D"])
    'C, D cut, others spend'
    >>> profile_label([False, False, False], ["A", "B", "C"]), profile_label([True], ["A"])
    ('all cut', 'A spends')
    """
    spend = [bool(s) for s in spend]
    names = [str(n) for n in names]
    if len(spend) != len(names):
        from dilemma.errors import ParameterError

        raise ParameterError("spend", f"one flag per firm ({len(names)})", len(spend))
    spenders = [n for n, s in zip(names, spend) if s]
    cutters = [n for n, s in zip(names, spend) if not s]
    if len(names) == 1:
        return f"{names[0]} {'spends' if spend[0] else 'cuts'}"
    if not cutters:
        return "all spend"
    if not spenders:
        return "all cut"
    if len(cutters) <= len(spenders):
        few, verb, rest, rest_verb = cutters, "cut", spenders, "spend"
    else:
        few, verb, rest, rest_verb = spenders, "spend", cutters, "cut"
    first = f"{', '.join(few)} {verb}{'s' if len(few) == 1 else ''}"
    if len(rest) == 1:
        return f"{first}, {rest[0]} {rest_verb}s"
    return f"{first}, others {rest_verb}"
