"""The classroom store: every seat, prediction and decision goes to the database at once.

:class:`Classroom` is the one API the lecturer's page, the student's page and
the ``dilemma classroom`` command share. It keeps nothing in memory that the
database does not hold (a restarted server, or a second server process on the
same database, carries on where the first stopped), and each student action is
one short transaction.

Who may do what:

* anyone with the room code may **join** (take a seat; gets a secret seat token)
  and read the room's public **status**;
* the seat token's holder may **submit** one decision per round (and read what
  their seat sees);
* the **lecturer key** (chosen or generated when the room is created; only a
  salted PBKDF2 hash is stored) is needed to start, close and reveal rounds
  and to export.

Guarantees (tested under threads, processes, a SIGKILL and PostgreSQL): one
decision per participant and round (a unique constraint, so even two racing
requests cannot both land), submissions are idempotent (sending the same
decision twice is not an error), no decision lands in a round after it closed,
and one room never reads another's rows.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from dilemma.classroom import db
from dilemma.classroom.db import decisions, outcomes, participants, places, read, rooms, write
from dilemma.classroom.errors import (AlreadyDecided, ClassroomError, LecturerKeyError, RoomFull,
                                      RoundClosed, SeatError, SettingError, UnknownRoom)
from dilemma.classroom.rules import Settings, bot_cut, check_label, check_settings, form_groups, spend_index

__all__ = ["Classroom", "Room", "Seat", "StudentView", "LECTURER_KEY_ENV", "CODE_ALPHABET", "GameInfo",
           "game_info", "PHASES"]

#: Environment variable holding the lecturer key for new rooms (else one is generated).
LECTURER_KEY_ENV = "DILEMMA_LECTURER_KEY"
#: Room codes: 5 characters without look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
PHASES = ("lobby", "open", "closed", "revealed")
_PBKDF2_ROUNDS = 60_000


# ---- the game a room plays ---------------------------------------------------------------


@dataclass(frozen=True)
class GameInfo:
    """A room's game, read once per scenario text and process.

    Attributes
    ----------
    scenario, game
        The :class:`~dilemma.scenario.Scenario` and its :class:`~dilemma.game.Game`.
    spend : ndarray of int, shape (N,)
        Index of each player's Spend action.
    canonical : ndarray, shape (2,)*N + (N,)
        The payoffs with Spend first for every player (what the bots' strategies read).
    """

    scenario: Any
    game: Any
    spend: np.ndarray
    canonical: np.ndarray

    @property
    def n(self) -> int:
        return self.game.n_players

    def action_name(self, player: int, action: int) -> str:
        return self.game.actions[player][action]

    def is_spend(self, player: int, action: int) -> bool:
        return int(action) == int(self.spend[player])

    def own_table(self, player: int) -> list[dict]:
        """A firm's payoffs in its own terms: per number of rivals spending, its payoff if it spends / cuts.

        With unequal rivals the payoff depends on *which* rivals spend; the
        table then gives the mean over them and the range (``*_low``, ``*_high``).
        """
        import itertools

        rows = []
        others = [q for q in range(self.n) if q != player]
        for k in range(self.n):
            vals = {"spend": [], "cut": []}
            for spenders in itertools.combinations(others, k):
                prof = [int(1 - self.spend[q]) for q in range(self.n)]
                for q in spenders:
                    prof[q] = int(self.spend[q])
                for own, a in (("spend", int(self.spend[player])), ("cut", int(1 - self.spend[player]))):
                    prof[player] = a
                    vals[own].append(float(self.game.payoffs[tuple(prof) + (player,)]))
            if vals["spend"]:
                rows.append({"rivals_spending": k,
                             **{f"{w}{suf}": f(vals[w]) for w in ("spend", "cut")
                                for suf, f in (("", lambda v: sum(v) / len(v)), ("_low", min), ("_high", max))}})
        return rows

    def terms(self, profile: tuple[int, ...], player: int) -> dict[str, float]:
        b = self.game.breakdown
        if not b:
            return {}
        return {k: float(v[profile + (player,)]) for k, v in b.items()}


@functools.lru_cache(maxsize=64)
def game_info(scenario_toml: str) -> GameInfo:
    """The game of a scenario's TOML text, checked to be playable in class (two actions each)."""
    from dilemma.payoffs import build_game
    from dilemma.scenario import loads_scenario

    scenario = loads_scenario(scenario_toml, source="<room scenario>")
    game = build_game(scenario)
    if any(len(a) != 2 for a in game.actions):
        raise SettingError("scenario", f"a class plays games with two actions per player (Spend/Cut); "
                                       f"{scenario.title!r} has {[len(a) for a in game.actions]}")
    try:
        spend = spend_index(game)
    except ValueError as exc:
        raise SettingError("scenario", f"cannot tell which action is Spend in {scenario.title!r}: {exc}") from None
    canonical = np.asarray(game.payoffs, dtype=float)
    for p, s in enumerate(spend):
        if s == 1:
            canonical = np.flip(canonical, axis=p)
    return GameInfo(scenario, game, spend, canonical)


# ---- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """A room as stored: its settings and where the session is."""

    id: int
    code: str
    title: str
    scenario_name: str
    scenario_toml: str
    settings: Settings
    round: int
    phase: str
    created_at: float

    @property
    def finished(self) -> bool:
        """The last round has been revealed."""
        return self.round >= self.settings.rounds and self.phase == "revealed"

    @property
    def info(self) -> GameInfo:
        return game_info(self.scenario_toml)


@dataclass(frozen=True)
class Seat:
    """A taken seat: the secret ``token`` (keep it: it is the student's only key) and public ``code``."""

    room: str
    participant_id: int
    seq: int
    label: str
    token: str

    @property
    def code(self) -> str:
        return participant_code(self.seq)


def participant_code(seq: int) -> str:
    """Public code of the ``seq``-th seat of a room: ``P001``."""
    return f"P{seq:03d}"


@dataclass
class StudentView:
    """What one seat sees now (one read transaction)."""

    room: Room
    seat: Seat
    round: int
    phase: str
    player: int | None = None          # the firm this round (None: not in this round)
    group: int | None = None
    action: int | None = None          # own decision this round
    prediction: int | None = None
    decided_by: str | None = None
    waiting_for: int = 0               # students of the room who have not decided this round
    group_outcome: list = field(default_factory=list)   # after the reveal: one dict per firm
    total_payoff: float = 0.0          # sum over revealed rounds


# ---- secrets -----------------------------------------------------------------------------------


def _hash_key(key: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", key.encode(), bytes.fromhex(salt), _PBKDF2_ROUNDS).hex()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_code(code) -> str:
    return "".join(str(code or "").split()).upper()


# ---- the store ---------------------------------------------------------------------------------------


class Classroom:
    """The classroom store on one database.

    Parameters
    ----------
    db_url : str, optional
        A SQLAlchemy URL, a ``postgresql://`` URL or a SQLite file path; default
        ``$DILEMMA_DB`` or :func:`dilemma.classroom.db.default_path`.

    Examples
    --------
    >>> import tempfile, os
    >>> from dilemma import load_preset
    >>> store = Classroom(os.path.join(tempfile.mkdtemp(), "class.sqlite"))
    >>> room, key = store.create_room(load_preset("classroom-two-player"), rounds=1, lecturer_key="k-123")
    >>> seat = store.join(room.code, "Ada")
    >>> store.start_round(room.code, "k-123").round
    1
    >>> store.submit(room.code, seat.token, "Cut", prediction=1)["action"]
    1
    >>> store.close_round(room.code, "k-123").phase
    'closed'
    """

    def __init__(self, db_url: str | os.PathLike | None = None):
        self.url = db.resolve_url(db_url)
        self.engine = db.get_engine(self.url)
        self._pg = self.engine.dialect.name == "postgresql"

    # -- rooms -------------------------------------------------------------------------------
    def create_room(self, scenario, *, rounds=3, group_size=None, matching="partners", predict=True,
                    bots="tit-for-tat", capacity=None, seed=None, lecturer_key: str | None = None,
                    scenario_name: str | None = None, code: str | None = None,
                    server_key: str | None = None) -> tuple[Room, str]:
        """Open a room for ``scenario``; return it and the lecturer key (shown once, stored hashed).

        The key is ``lecturer_key``, else ``$DILEMMA_LECTURER_KEY``, else a new random one.
        The room code is ``code`` (4 to 8 letters and digits, e.g. printed on a slide
        in advance; :class:`SettingError` if taken), else 5 random characters of
        :data:`CODE_ALPHABET`.

        ``server_key``: when a server is configured with a lecturer key (the lab's
        ``DILEMMA_LECTURER_KEY`` or Streamlit secret), creating a room needs it too:
        ``lecturer_key`` must equal it (:class:`LecturerKeyError` otherwise).
        """
        if server_key:
            if not lecturer_key:
                raise LecturerKeyError("lecturer_key", "this server needs its lecturer key to create a room")
            if not hmac.compare_digest(str(lecturer_key).encode(), str(server_key).encode()):
                raise LecturerKeyError("lecturer_key", "wrong key: not this server's lecturer key")
        from dilemma.classroom.rules import DEFAULT_CAPACITY

        toml = scenario.to_toml()
        info = game_info(toml)
        if seed is None:
            seed = secrets.randbelow(2**31 - 1)
        settings = check_settings(info.n, rounds=rounds, group_size=group_size, matching=matching,
                                  predict=predict, bots=bots,
                                  capacity=DEFAULT_CAPACITY if capacity is None else capacity, seed=seed)
        key = lecturer_key or os.environ.get(LECTURER_KEY_ENV) or secrets.token_urlsafe(12)
        key = str(key)
        if len(key) < 4:
            raise LecturerKeyError("lecturer_key", "must have at least 4 characters")
        salt = secrets.token_hex(16)
        row = dict(title=scenario.title[:200], scenario_name=(scenario_name or scenario.title)[:200],
                   scenario_toml=toml, n_players=info.n, rounds=settings.rounds, group_size=settings.group_size,
                   matching=settings.matching, predict=settings.predict, bots=settings.bots,
                   capacity=settings.capacity, seed=settings.seed, key_salt=salt, key_hash=_hash_key(key, salt),
                   round=0, phase="lobby", created_at=time.time())
        if code is not None:
            chosen = normalize_code(code)
            if not (4 <= len(chosen) <= 8 and chosen.isascii() and chosen.isalnum()):
                raise SettingError("room", f"a room code has 4 to 8 letters and digits, got {str(code)[:20]!r}")
            try:
                with write(self.engine) as conn:
                    conn.execute(rooms.insert().values(code=chosen, **row))
            except sa.exc.IntegrityError:
                raise SettingError("room", f"the room code {chosen} is taken; choose another") from None
            return self.room(chosen), key
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with write(self.engine) as conn:
                    conn.execute(rooms.insert().values(code=code, **row))
                return self.room(code), key
            except sa.exc.IntegrityError:      # a code collision: draw again
                continue
        raise ClassroomError("room", "could not draw a free room code")  # pragma: no cover

    def room(self, code) -> Room:
        """The room with this code (case and spaces ignored); :class:`UnknownRoom` if none."""
        with read(self.engine) as conn:
            return self._room(conn, code)

    def _room(self, conn, code, lock: str | None = None) -> Room:
        norm = normalize_code(code)
        if not norm or len(norm) > 12:
            raise UnknownRoom(code)
        q = sa.select(rooms).where(rooms.c.code == norm)
        if lock and self._pg:
            q = q.with_for_update(read=(lock == "share"))
        r = conn.execute(q).mappings().first()
        if r is None:
            raise UnknownRoom(code)
        s = Settings(r["rounds"], r["group_size"], r["matching"], bool(r["predict"]), r["bots"], r["capacity"],
                     int(r["seed"]))
        return Room(r["id"], r["code"], r["title"], r["scenario_name"], r["scenario_toml"], s, r["round"],
                    r["phase"], r["created_at"])

    def check_key(self, code, key) -> Room:
        """The room if ``key`` is its lecturer key; :class:`LecturerKeyError` otherwise."""
        with read(self.engine) as conn:
            room = self._room(conn, code)
            salt, stored = conn.execute(sa.select(rooms.c.key_salt, rooms.c.key_hash)
                                        .where(rooms.c.id == room.id)).one()
        self._verify(key, salt, stored)
        return room

    @staticmethod
    def _verify(key, salt, stored) -> None:
        if not key:
            raise LecturerKeyError("lecturer_key", "this needs the room's lecturer key")
        if not hmac.compare_digest(_hash_key(str(key), salt), stored):
            raise LecturerKeyError("lecturer_key", "wrong key for this room")

    def _lecturer(self, conn, code, key) -> Room:
        room = self._room(conn, code, lock="update")
        salt, stored = conn.execute(sa.select(rooms.c.key_salt, rooms.c.key_hash)
                                    .where(rooms.c.id == room.id)).one()
        self._verify(key, salt, stored)
        return room

    # -- students -----------------------------------------------------------------------------------
    def join(self, code, label: str | None = None, *, token: str | None = None) -> Seat:
        """Take a seat in the room: returns the seat with its secret token.

        ``token`` lets a client bring its own secret (at least 32 characters, e.g.
        :func:`dilemma.classroom.simulate.sim_token`); joining again with a token
        that already holds a seat in this room returns that seat.

        Raises :class:`UnknownRoom`, :class:`RoomFull`, :class:`SettingError` (label),
        :class:`SeatError` (a token taken in another room).
        """
        label = check_label(label)
        if token is None:
            token = secrets.token_urlsafe(24)
        elif not isinstance(token, str) or not 32 <= len(token) <= 100:
            raise SeatError("seat", "a chosen seat token must have 32 to 100 characters")
        with write(self.engine) as conn:
            room = self._room(conn, code, lock="update")
            held = conn.execute(sa.select(participants).where(participants.c.token_hash == _hash_token(token))
                                ).mappings().first()
            if held is not None:
                if held["room_id"] != room.id:
                    raise SeatError("seat", "this seat token belongs to another room")
                return Seat(room.code, held["id"], held["seq"], held["label"], token)
            seated = conn.execute(sa.select(sa.func.count()).select_from(participants)
                                  .where(participants.c.room_id == room.id)).scalar_one()
            if seated >= room.settings.capacity:
                raise RoomFull("room", f"room {room.code} is full ({room.settings.capacity} seats)")
            if room.finished:
                raise RoundClosed("room", f"the session in room {room.code} is over")
            seq = seated + 1
            pid = conn.execute(participants.insert().values(
                room_id=room.id, seq=seq, label=label, token_hash=_hash_token(token), joined_at=time.time())
            ).inserted_primary_key[0]
        return Seat(room.code, int(pid), seq, label, token)

    def _seat(self, conn, room: Room, token) -> Seat:
        if not token or not isinstance(token, str) or len(token) > 100:
            raise SeatError("seat", "no seat token: open the join link and take a seat")
        h = _hash_token(token)
        r = conn.execute(sa.select(participants).where(participants.c.token_hash == h)).mappings().first()
        if r is None or r["room_id"] != room.id or not hmac.compare_digest(r["token_hash"], h):
            raise SeatError("seat", f"this seat token is not valid in room {room.code} "
                                    "(take a new seat from the join link)")
        return Seat(room.code, r["id"], r["seq"], r["label"], token)

    def seat(self, code, token) -> Seat:
        """The seat holding ``token`` in this room (:class:`SeatError` if none)."""
        with read(self.engine) as conn:
            return self._seat(conn, self._room(conn, code), token)

    def submit(self, code, token, action, prediction: int | None = None):
        """Record a seat's decision for the open round (idempotent).

        Parameters
        ----------
        action : int or str
            The action index in the game (0/1) or its name (``"Spend"``, ``"Cut"``, case-insensitive).
        prediction : int, optional
            How many of the rivals in the group will spend (0 to N-1); required when the room asks.

        Returns
        -------
        dict
            The stored decision (``action``, ``prediction``, ``decided_by`` ...). Sending the
            same decision again returns it unchanged.

        Raises
        ------
        AlreadyDecided
            A different decision for a round already decided.
        RoundClosed, SeatError, UnknownRoom, SettingError
            No open round; a bad seat token; an unknown room; a bad action or prediction.
        """
        for attempt in range(3):
            try:
                return self._submit(code, token, action, prediction)
            except sa.exc.IntegrityError:     # PostgreSQL: a racing twin inserted first; read it back
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _submit(self, code, token, action, prediction):
        with write(self.engine) as conn:
            room = self._room(conn, code, lock="share")
            seat = self._seat(conn, room, token)
            if room.phase != "open":
                what = {"lobby": "the first round has not started yet", "closed": f"round {room.round} is closed",
                        "revealed": f"round {room.round} is over"}[room.phase]
                raise RoundClosed("round", f"no round is open in room {room.code}: {what}")
            place = conn.execute(sa.select(places.c.player, places.c.grp).where(
                places.c.room_id == room.id, places.c.round == room.round,
                places.c.participant_id == seat.participant_id)).first()
            if place is None:
                raise RoundClosed("round", f"you joined after round {room.round} started: "
                                           "you play from the next round")
            info = room.info
            act = _parse_action(info, place.player, action)
            pred = _parse_prediction(info, room.settings.predict, prediction)
            existing = conn.execute(sa.select(decisions).where(
                decisions.c.room_id == room.id, decisions.c.round == room.round,
                decisions.c.participant_id == seat.participant_id)).mappings().first()
            if existing is not None:
                if existing["action"] == act and existing["prediction"] == pred:
                    return {k: v for k, v in existing.items() if k != "id"}
                raise AlreadyDecided("action", f"you already chose {info.action_name(place.player, existing['action'])} "
                                               f"in round {room.round}; one decision per round")
            row = dict(room_id=room.id, round=room.round, participant_id=seat.participant_id, action=act,
                       prediction=pred, decided_by="student", created_at=time.time())
            conn.execute(decisions.insert().values(**row))
            return row

    def student_view(self, code, token) -> StudentView:
        """Everything the student page shows, read in one transaction."""
        with read(self.engine) as conn:
            room = self._room(conn, code)
            seat = self._seat(conn, room, token)
            v = StudentView(room, seat, room.round, room.phase)
            pid = seat.participant_id
            if room.round:
                place = conn.execute(sa.select(places.c.player, places.c.grp).where(
                    places.c.room_id == room.id, places.c.round == room.round,
                    places.c.participant_id == pid)).first()
                if place is not None:
                    v.player, v.group = place.player, place.grp
                d = conn.execute(sa.select(decisions.c.action, decisions.c.prediction, decisions.c.decided_by).where(
                    decisions.c.room_id == room.id, decisions.c.round == room.round,
                    decisions.c.participant_id == pid)).first()
                if d is not None:
                    v.action, v.prediction, v.decided_by = d.action, d.prediction, d.decided_by
                if room.phase == "open":
                    v.waiting_for = self._undecided(conn, room)
                if room.phase == "revealed" and place is not None:
                    rows = conn.execute(sa.select(outcomes.c.player, outcomes.c.action, outcomes.c.payoff,
                                                  outcomes.c.terms, outcomes.c.participant_id,
                                                  outcomes.c.decided_by, participants.c.seq, participants.c.label)
                                        .select_from(outcomes.outerjoin(participants,
                                                                        outcomes.c.participant_id == participants.c.id))
                                        .where(outcomes.c.room_id == room.id, outcomes.c.round == room.round,
                                               outcomes.c.grp == place.grp)
                                        .order_by(outcomes.c.player)).mappings().all()
                    v.group_outcome = [dict(r, terms=json.loads(r["terms"]), you=r["participant_id"] == pid)
                                       for r in rows]
            revealed_through = room.round if room.phase == "revealed" else room.round - 1
            v.total_payoff = float(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(outcomes.c.payoff), 0.0))
                                                .where(outcomes.c.room_id == room.id,
                                                       outcomes.c.participant_id == pid,
                                                       outcomes.c.round <= revealed_through)).scalar_one())
            return v

    # -- status (public) ------------------------------------------------------------------------------
    def _undecided(self, conn, room: Room) -> int:
        expected = conn.execute(sa.select(sa.func.count()).select_from(places).where(
            places.c.room_id == room.id, places.c.round == room.round,
            places.c.participant_id.is_not(None))).scalar_one()
        decided = conn.execute(sa.select(sa.func.count()).select_from(decisions).where(
            decisions.c.room_id == room.id, decisions.c.round == room.round)).scalar_one()
        return int(expected - decided)

    def status(self, code) -> dict:
        """Public counts: ``room, title, round, rounds, phase, seated, playing, decided, finished``.

        ``playing`` is the number of students with a place in the current round,
        ``decided`` how many of them have decided.
        """
        with read(self.engine) as conn:
            room = self._room(conn, code)
            seated = conn.execute(sa.select(sa.func.count()).select_from(participants)
                                  .where(participants.c.room_id == room.id)).scalar_one()
            playing = conn.execute(sa.select(sa.func.count()).select_from(places).where(
                places.c.room_id == room.id, places.c.round == room.round,
                places.c.participant_id.is_not(None))).scalar_one()
            decided = conn.execute(sa.select(sa.func.count()).select_from(decisions).where(
                decisions.c.room_id == room.id, decisions.c.round == room.round,
                decisions.c.decided_by == "student")).scalar_one()
        return {"room": room.code, "title": room.title, "round": room.round, "rounds": room.settings.rounds,
                "phase": room.phase, "seated": int(seated), "playing": int(playing), "decided": int(decided),
                "finished": room.finished}

    # -- the lecturer -----------------------------------------------------------------------------------
    def start_round(self, code, key) -> Room:
        """Open the next round: form the groups of everyone seated now (needs the lecturer key)."""
        with write(self.engine) as conn:
            room = self._lecturer(conn, code, key)
            if room.phase in ("open", "closed"):
                raise RoundClosed("round", f"round {room.round} is still {room.phase}: "
                                           + ("close it first" if room.phase == "open" else "reveal it first"))
            if room.round >= room.settings.rounds:
                raise RoundClosed("round", f"all {room.settings.rounds} rounds of room {room.code} are played")
            seated = conn.execute(sa.select(participants.c.id).where(participants.c.room_id == room.id)
                                  .order_by(participants.c.seq)).scalars().all()
            if not seated:
                raise RoomFull("room", f"nobody has taken a seat in room {room.code} yet")
            nxt = room.round + 1
            s = room.settings
            groups = form_groups(seated, room.info.n, s.group_size, s.matching, s.seed, nxt)
            conn.execute(places.insert(), [dict(room_id=room.id, round=nxt, grp=g, player=p, participant_id=pid)
                                           for g, group in enumerate(groups, start=1)
                                           for p, pid in enumerate(group)])
            conn.execute(rooms.update().where(rooms.c.id == room.id).values(round=nxt, phase="open"))
        return self.room(code)

    def close_round(self, code, key) -> Room:
        """Close the open round: no more decisions; bots and late students are played; payoffs computed."""
        with write(self.engine) as conn:
            room = self._lecturer(conn, code, key)
            if room.phase != "open":
                raise RoundClosed("round", f"no round is open in room {room.code} (phase: {room.phase})")
            # the room row is locked first: no vote can land between here and the commit
            conn.execute(rooms.update().where(rooms.c.id == room.id).values(phase="closed"))
            self._play_round(conn, room)
        return self.room(code)

    def reveal(self, code, key) -> Room:
        """Show the closed round's results to the students and the projector."""
        with write(self.engine) as conn:
            room = self._lecturer(conn, code, key)
            if room.phase != "closed":
                raise RoundClosed("round", f"only a closed round can be revealed (room {room.code} is {room.phase})")
            conn.execute(rooms.update().where(rooms.c.id == room.id).values(phase="revealed"))
        return self.room(code)

    def _play_round(self, conn, room: Room) -> None:
        info, s, r = room.info, room.settings, room.round
        rows = conn.execute(sa.select(places).where(places.c.room_id == room.id, places.c.round == r)).mappings().all()
        decided = {d.participant_id: d for d in conn.execute(sa.select(decisions).where(
            decisions.c.room_id == room.id, decisions.c.round == r))}
        history = self._history(conn, room) if s.matching == "partners" else {}
        groups: dict[int, dict[int, Any]] = {}
        for p in rows:
            groups.setdefault(p["grp"], {})[p["player"]] = p["participant_id"]
        out, timeouts = [], []
        for g, group in sorted(groups.items()):
            profile, by = [], []
            past = history.get(g, [])
            for player in range(info.n):
                pid = group.get(player)
                if pid is not None and pid in decided:
                    profile.append(int(decided[pid].action))
                    by.append("student")
                    continue
                own = [not info.is_spend(player, a[player]) for a in past]
                others = [[not info.is_spend(q, a[q]) for q in range(info.n) if q != player] for a in past]
                cut = bot_cut(s.bots, info.canonical, player, own, others, s.seed, (r, g, player))
                profile.append(int(1 - info.spend[player]) if cut else int(info.spend[player]))
                by.append("bot" if pid is None else "timeout")
                if pid is not None:
                    timeouts.append(dict(room_id=room.id, round=r, participant_id=pid, action=profile[-1],
                                         prediction=None, decided_by="timeout", created_at=time.time()))
            prof = tuple(profile)
            pay = info.game.payoffs[prof]
            for player in range(info.n):
                out.append(dict(room_id=room.id, round=r, grp=g, player=player, participant_id=group.get(player),
                                action=prof[player], decided_by=by[player], payoff=float(pay[player]),
                                terms=json.dumps(info.terms(prof, player))))
        if timeouts:
            conn.execute(decisions.insert(), timeouts)
        if out:
            conn.execute(outcomes.insert(), out)

    def _history(self, conn, room: Room) -> dict[int, list[tuple[int, ...]]]:
        """Per group: the action profiles of the earlier rounds (partners matching)."""
        rows = conn.execute(sa.select(outcomes.c.round, outcomes.c.grp, outcomes.c.player, outcomes.c.action)
                            .where(outcomes.c.room_id == room.id, outcomes.c.round < room.round)
                            .order_by(outcomes.c.round, outcomes.c.grp, outcomes.c.player)).all()
        acc: dict[tuple[int, int], list[int]] = {}
        for r in rows:
            acc.setdefault((r.grp, r.round), [0] * room.info.n)[r.player] = r.action
        out: dict[int, list[tuple[int, ...]]] = {}
        for (g, _r), prof in sorted(acc.items(), key=lambda kv: kv[0][1]):
            out.setdefault(g, []).append(tuple(prof))
        return out

    # -- results --------------------------------------------------------------------------------------
    def results(self, code, key=None, *, revealed_only: bool = True) -> list[dict]:
        """One row per firm and round played (students, late students and bots), oldest first.

        Columns: ``room, round, group, participant, label, player, firm, action, spend,
        decided_by, prediction, payoff`` and one column per payoff term. With a ``key``
        the lecturer key is checked (exports); without it only revealed rounds are
        returned (what the projector shows anyway).
        """
        if key is not None:
            self.check_key(code, key)
        with read(self.engine) as conn:
            room = self._room(conn, code)
            last = room.round if (room.phase == "revealed" or not revealed_only) else room.round - 1
            q = (sa.select(outcomes.c.round, outcomes.c.grp, outcomes.c.player, outcomes.c.action,
                           outcomes.c.decided_by, outcomes.c.payoff, outcomes.c.terms, participants.c.seq,
                           participants.c.label, decisions.c.prediction)
                 .select_from(outcomes.outerjoin(participants, outcomes.c.participant_id == participants.c.id)
                              .outerjoin(decisions, sa.and_(decisions.c.room_id == outcomes.c.room_id,
                                                            decisions.c.round == outcomes.c.round,
                                                            decisions.c.participant_id == outcomes.c.participant_id)))
                 .where(outcomes.c.room_id == room.id, outcomes.c.round <= last)
                 .order_by(outcomes.c.round, outcomes.c.grp, outcomes.c.player))
            rows = conn.execute(q).mappings().all()
        info = room.info
        out = []
        for r in rows:
            terms = json.loads(r["terms"])
            out.append({"room": room.code, "round": r["round"], "group": r["grp"],
                        "participant": participant_code(r["seq"]) if r["seq"] is not None else "bot",
                        "label": r["label"] or "", "player": r["player"],
                        "firm": info.game.players[r["player"]],
                        "action": info.action_name(r["player"], r["action"]),
                        "spend": info.is_spend(r["player"], r["action"]),
                        "decided_by": r["decided_by"], "prediction": r["prediction"],
                        "payoff": r["payoff"], **terms})
        return out

    def export_csv(self, code, key, file) -> int:
        """Write :meth:`results` (every round played, lecturer key needed) as CSV; return the row count."""
        import csv

        room = self.check_key(code, key)        # always: an export without the key is refused
        rows = self.results(code, revealed_only=False)
        terms = list((room.info.game.breakdown or {}).keys())
        cols = ["room", "round", "group", "participant", "label", "player", "firm", "action", "spend",
                "decided_by", "prediction", "payoff", *terms]
        own = isinstance(file, (str, os.PathLike))
        fh = open(file, "w", newline="", encoding="utf-8") if own else file
        try:
            w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols})
        finally:
            if own:
                fh.close()
        return len(rows)


def _parse_action(info: GameInfo, player: int, action) -> int:
    names = info.game.actions[player]
    if isinstance(action, (bool, np.bool_)):
        raise SettingError("action", f"must be one of {', '.join(names)}, got {action!r}")
    if isinstance(action, (int, np.integer)) and int(action) in (0, 1):
        return int(action)
    if isinstance(action, str):
        low = action.strip().lower()
        for i, n in enumerate(names):
            if n.lower() == low:
                return i
        if low in ("spend", "cut"):
            return int(info.spend[player]) if low == "spend" else int(1 - info.spend[player])
    raise SettingError("action", f"must be one of {', '.join(names)}, got {str(action)[:40]!r}")


def _parse_prediction(info: GameInfo, asked: bool, prediction) -> int | None:
    if not asked:
        return None
    rivals = info.n - 1
    try:
        ok = prediction is not None and not isinstance(prediction, bool) and int(prediction) == float(prediction)
    except (TypeError, ValueError):
        ok = False
    if not ok or not 0 <= int(prediction) <= rivals:
        raise SettingError("prediction", f"how many of your {rivals} rival(s) will spend: a whole number "
                                         f"from 0 to {rivals}, got {prediction!r}")
    return int(prediction)
