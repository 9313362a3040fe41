"""The classroom's error types: one per thing a lecturer or a student can get wrong.

Every one is a :class:`~dilemma.errors.DilemmaError` (a ``ValueError``) whose
message names the field (``room``, ``seat``, ``action``, ``label``,
``lecturer_key`` ...) and what is allowed, so the CLI prints it as one
``error:`` line (exit status 2) and a page shows it with ``st.error``. Raising
one never leaves a half-written change behind: the store raises before it
writes, or inside the transaction it rolls back.
"""

from __future__ import annotations

from dilemma.errors import DilemmaError

__all__ = ["ClassroomError", "UnknownRoom", "SeatError", "RoomFull", "RoundClosed", "AlreadyDecided",
           "LecturerKeyError", "SettingError"]


class ClassroomError(DilemmaError):
    """Base class; ``field`` names the input that was refused."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


class UnknownRoom(ClassroomError):
    """No room has this code (codes are 5 letters/digits, case-insensitive)."""

    def __init__(self, code):
        super().__init__("room", f"there is no room {str(code)[:20]!r} (check the code on the projector)")


class SeatError(ClassroomError):
    """A seat token that no seat of this room has (stale, forged or from another room)."""


class RoomFull(ClassroomError):
    """Every seat of the room is taken."""


class RoundClosed(ClassroomError):
    """A decision arrived when no round is open (not started yet, closed, or over)."""


class AlreadyDecided(ClassroomError):
    """A second, different decision for a round the participant already decided."""


class LecturerKeyError(ClassroomError):
    """A lecturer action without the room's lecturer key, or with a wrong one."""


class SettingError(ClassroomError):
    """A room setting (rounds, group size, matching, bots ...) out of its allowed range."""
