"""Simulated students: a rehearsal of a class and a load generator, through the same store as the pages.

``K`` simulated students take seats in a room and play every round with a
strategy of :mod:`dilemma.repeated.strategies` (drawn per student from
:data:`POOL` by the seed), predicting that their rivals do what they did in
the last round. The lecturer's part is played too: a round is started, closed
when every student has decided, and revealed, until the session is over.

Resuming: the students' seat tokens are derived from the lecturer key, the
room, the seed and the student's number (HMAC-SHA256), and every choice from
the seed, the student and the round, so running the simulation again on an
interrupted room takes the same seats and sends the same decisions. A decision
that already landed is accepted again unchanged (submissions are idempotent)
and the session carries on from where it stopped.
"""

from __future__ import annotations

import hashlib
import hmac
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from dilemma.classroom.rules import bot_cut
from dilemma.classroom.store import Classroom

__all__ = ["POOL", "SimulationReport", "simulate_class", "sim_token"]

#: Strategies simulated students play (drawn by the seed).
POOL = ("tit-for-tat", "always-spend", "always-cut", "random", "grim-trigger", "win-stay-lose-shift",
        "myopic-best-response", "generous-tit-for-tat")


@dataclass
class SimulationReport:
    room: str
    students: int
    rounds_played: int
    decisions_sent: int
    finished: bool


def sim_token(key: str, room: str, seed: int, i: int) -> str:
    """Seat token of simulated student ``i`` (64 hex digits; the same on every run)."""
    return hmac.new(str(key).encode(), f"sim:{room}:{seed}:{i}".encode(), hashlib.sha256).hexdigest()


def simulate_class(store: Classroom, code: str, students: int, key: str, *, seed: int = 0,
                   workers: int = 1, pause=None) -> SimulationReport:
    """Play room ``code`` to its end with ``students`` simulated students.

    Parameters
    ----------
    store : Classroom
    code : str
        The room.
    students : int
        Simulated students (1 to the room's capacity).
    key : str
        The room's lecturer key (checked first).
    seed : int
        Seeds the students' strategies and choices.
    workers : int
        Threads sending decisions at once (a load generator); 1 sends them in turn.
    pause : callable, optional
        Called with ``(phase, round)`` before each lecturer step (tests use it to slow down).
    """
    from dilemma.classroom.errors import SettingError

    room = store.check_key(code, key)
    if not 1 <= int(students) <= room.settings.capacity:
        raise SettingError("students", f"must be from 1 to the room's capacity {room.settings.capacity}, "
                                       f"got {students}")
    rng = np.random.default_rng([seed, 7])
    strategies = [POOL[i] for i in rng.integers(0, len(POOL), size=students)]
    seats = [store.join(code, f"sim-{i + 1:02d}", token=sim_token(key, room.code, seed, i)) for i in range(students)]
    sent = 0
    while True:
        room = store.room(code)
        if room.finished:
            break
        if pause:
            pause(room.phase, room.round)
        if room.phase in ("lobby", "revealed"):
            store.start_round(code, key)
        elif room.phase == "open":
            sent += _play(store, room, seats, strategies, seed, workers)
            store.close_round(code, key)
        elif room.phase == "closed":
            store.reveal(code, key)
    return SimulationReport(room.code, students, room.round, sent, room.finished)


def _play(store, room, seats, strategies, seed, workers) -> int:
    info = room.info
    rows = store.results(room.code)          # the revealed rounds: each student's history
    by_round_group: dict[tuple[int, int], dict[int, bool]] = {}
    mine: dict[str, list[tuple[int, int, int]]] = {}
    for r in rows:
        by_round_group.setdefault((r["round"], r["group"]), {})[r["player"]] = not r["spend"]
        if r["participant"] != "bot":
            mine.setdefault(r["participant"], []).append((r["round"], r["group"], r["player"]))

    def decide(i):
        seat = seats[i]
        view = store.student_view(room.code, seat.token)
        if view.player is None or view.action is not None:
            return 0
        hist = mine.get(seat.code, [])
        own = [by_round_group[(rd, g)][p] for rd, g, p in hist]
        others = [[by_round_group[(rd, g)][q] for q in range(info.n) if q != p] for rd, g, p in hist]
        # the strategy thinks it is player 0 of a canonical game seen from its own seat
        cut = bot_cut(strategies[i], info.canonical, view.player,
                      own, others, seed, (i, room.round))
        action = "Cut" if cut else "Spend"
        pred = None
        if room.settings.predict:
            pred = (info.n - 1) if not others else sum(not c for c in others[-1])
        store.submit(room.code, seat.token, action, prediction=pred)
        return 1

    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            return sum(pool.map(decide, range(len(seats))))
    return sum(decide(i) for i in range(len(seats)))
