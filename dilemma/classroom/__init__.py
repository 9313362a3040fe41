"""Classroom mode: a class plays a capex game live on phones, then sees its play against the theory.

=============== ==============================================================
module          what
=============== ==============================================================
``store``       :class:`Classroom`: rooms, seats, decisions, rounds, export
``db``          the database URL, engine, schema and its migrations
``rules``       settings, groups and matching, bots (pure functions)
``analysis``    the class's play against equilibrium, optimum and logit QRE
``simulate``    simulated students through the same store (rehearsal, load)
``errors``      one error type per refused input
=============== ==============================================================

This package never imports Streamlit; the pages in :mod:`dilemma.lab.pages`
call it.
"""

from __future__ import annotations

from dilemma._lazy import lazy_exports

_EXPORTS = {
    "Classroom": "dilemma.classroom.store",
    "Room": "dilemma.classroom.store",
    "Seat": "dilemma.classroom.store",
    "ClassroomError": "dilemma.classroom.errors",
    "analyse_class": "dilemma.classroom.analysis",
    "simulate_class": "dilemma.classroom.simulate",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
