"""The package's error types.

Every error a user can cause (a bad file, a bad argument) is a ``ValueError``
subclass whose message names the field and what is allowed, so the CLI can
print it on one line and the lab can show it with ``st.error``.
"""

from __future__ import annotations

__all__ = ["DilemmaError", "ScenarioError", "ParameterError", "RolesError"]


class DilemmaError(ValueError):
    """Base class of every user-facing error in :mod:`dilemma`."""


class ScenarioError(DilemmaError):
    """A scenario file or scenario object is invalid.

    Parameters
    ----------
    message : str
        What is wrong and what is allowed.
    source : str, optional
        The file (or ``"<string>"``) the scenario came from.
    field : str, optional
        Dotted path of the offending field, e.g. ``"market.punishment"``.
    """

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None):
        self.source = source
        self.field = field
        self.detail = message
        parts = []
        if source:
            parts.append(str(source))
        if field:
            parts.append(field)
        prefix = ": ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ParameterError(DilemmaError):
    """A function argument is out of its allowed range.

    The message names the parameter and the allowed range, e.g.
    ``"lam: must be a finite number >= 0, got -1"``.
    """

    def __init__(self, name: str, allowed: str, value=None):
        self.name = name
        self.allowed = allowed
        self.value = value
        got = "" if value is None else f", got {value!r}"
        super().__init__(f"{name}: must be {allowed}{got}")


class RolesError(DilemmaError):
    """Which action is Spend (defect) and which is Cut (cooperate) cannot be told.

    Raised when a two-action game's action names do not say it and its
    payoffs do not single it out (see :func:`dilemma.equilibria.roles.resolve_roles`).
    The message says why and how to name the actions.
    """
