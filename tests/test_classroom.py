"""Classroom mode: the store on a real database (SQLite file and a throwaway PostgreSQL), no mocks.

* every student action against the rules (one decision per round, idempotent
  resubmission, no vote before a round opens or after it closes);
* concurrency: 64+ students voting at once from threads and from processes on
  one SQLite file (and on PostgreSQL), a close racing the votes;
* a ``dilemma classroom simulate`` process killed with SIGKILL mid-session,
  then resumed;
* the exported payoffs against ``build_game(...).payoffs`` indexed by the
  group's actions (read back from the CSV, not from the store);
* every bad input: a clear error naming the field, and the database unchanged;
* the rules (groups, matching, bots) and the analysis against hand-worked values
  and an independent logit-QRE solution.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from dilemma import build_game, load_preset
from dilemma.classroom import db
from dilemma.classroom.analysis import analyse_class, equilibrium_shares, fit_lambda, optimum_shares
from dilemma.classroom.errors import (AlreadyDecided, ClassroomError, LecturerKeyError, RoomFull, RoundClosed,
                                      SeatError, SettingError, UnknownRoom)
from dilemma.classroom.rules import bot_cut, form_groups
from dilemma.classroom.simulate import simulate_class
from dilemma.classroom.store import Classroom, game_info
from dilemma.errors import DilemmaError
from pg import postgres_url  # noqa: F401  (fixture)

TWO = "classroom-two-player"
FIVE = "2025-baseline"
KEY = "lecturer-secret"


@pytest.fixture(params=["sqlite", "postgres"])
def url(request, tmp_path):
    """A database URL: a fresh SQLite file, or the session's PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "class.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "class.sqlite")


def _room(store, preset=TWO, **kw):
    kw.setdefault("lecturer_key", KEY)
    return store.create_room(load_preset(preset), **kw)[0]


def _snapshot(store, code=None) -> dict:
    """Every row of every table (all rooms): 'changes nothing' is checked against this."""
    with store.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                for t in db.metadata.sorted_tables}


def _decision_counts(store, code):
    room = store.room(code)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(db.decisions.c.round, db.decisions.c.participant_id, sa.func.count())
                            .where(db.decisions.c.room_id == room.id)
                            .group_by(db.decisions.c.round, db.decisions.c.participant_id)).all()
    return {(r[0], r[1]): r[2] for r in rows}


# ---- the flow and the payoffs ----------------------------------------------------------------


def _check_export_payoffs(path, preset):
    """Payoffs and terms in the CSV = build_game(preset).payoffs at the group's actions."""
    game = build_game(load_preset(preset))
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    groups = {}
    for r in rows:
        groups.setdefault((r["round"], r["group"]), {})[int(r["player"])] = r
    for members in groups.values():
        assert sorted(members) == list(range(game.n_players)), "a group must hold every firm"
        profile = tuple(game.actions[p].index(members[p]["action"]) for p in range(game.n_players))
        for p, r in members.items():
            assert float(r["payoff"]) == pytest.approx(float(game.payoffs[profile + (p,)]), rel=1e-12)
            for term, arr in game.breakdown.items():
                assert float(r[term]) == pytest.approx(float(arr[profile + (p,)]), rel=1e-12, abs=1e-12)
    return rows


def test_a_session_end_to_end_and_its_export(url, tmp_path):
    store = Classroom(url)
    room = _room(store, rounds=2)
    a, b, c = (store.join(room.code, name) for name in ("Ada", "Bo", ""))
    assert store.status(room.code)["seated"] == 3
    store.start_round(room.code, KEY)
    assert store.submit(room.code, a.token, "Spend", prediction=1)["action"] == 0
    assert store.submit(room.code, b.token, "cut", prediction=0)["action"] == 1
    assert store.status(room.code)["decided"] == 2
    store.close_round(room.code, KEY)          # c does not decide: the bot strategy plays for c
    store.reveal(room.code, KEY)
    view = store.student_view(room.code, c.token)
    assert [o["decided_by"] for o in view.group_outcome] == ["timeout", "bot"]
    assert [o["action"] for o in view.group_outcome] == [1, 1]      # tit-for-tat opens with Cut
    store.start_round(room.code, KEY)
    for s in (a, b, c):
        store.submit(room.code, s.token, "Spend", prediction=1)
    store.close_round(room.code, KEY)
    store.reveal(room.code, KEY)
    assert store.room(room.code).finished
    out = tmp_path / "class.csv"
    assert store.export_csv(room.code, KEY, out) == 8          # 2 rounds x 2 groups x 2 firms
    rows = _check_export_payoffs(out, TWO)
    r1 = [r for r in rows if r["round"] == "1"]
    assert [(r["participant"], r["label"], r["firm"], r["action"], r["prediction"]) for r in r1] == [
        ("P001", "Ada", "Alpha", "Spend", "1"), ("P002", "Bo", "Beta", "Cut", "0"),
        ("P003", "", "Alpha", "Cut", ""), ("bot", "", "Beta", "Cut", "")]
    # round 2: the bot (tit-for-tat) copies what student c played in round 1 (Cut)
    assert [r["action"] for r in rows if r["round"] == "2" and r["participant"] == "bot"] == ["Cut"]


def test_five_firms_in_groups_of_two_with_bots(sqlite_url, tmp_path):
    store = Classroom(sqlite_url)
    room = _room(store, FIVE, rounds=2, group_size=2, matching="strangers", bots="always-spend", seed=3)
    seats = [store.join(room.code) for _ in range(5)]
    for _ in range(2):
        store.start_round(room.code, KEY)
        for i, s in enumerate(seats):
            store.submit(room.code, s.token, "Cut" if i % 2 else "Spend", prediction=2)
        store.close_round(room.code, KEY)
        store.reveal(room.code, KEY)
    out = tmp_path / "five.csv"
    store.export_csv(room.code, KEY, out)
    rows = _check_export_payoffs(out, FIVE)
    assert len(rows) == 2 * 3 * 5                    # 3 groups of 5 firms (2, 2, 1 students) per round
    bots = [r for r in rows if r["participant"] == "bot"]
    assert len(bots) == 2 * (15 - 5) and {r["action"] for r in bots} == {"Spend"}


def test_simulate_rehearsal_one_decision_per_student_and_round(url):
    store = Classroom(url)
    room = _room(store, rounds=3)
    report = simulate_class(store, room.code, 21, KEY, seed=5, workers=4)
    assert report.finished and report.decisions_sent == 63
    counts = _decision_counts(store, room.code)
    assert len(counts) == 63 and set(counts.values()) == {1}
    # running it again on a finished room sends nothing and changes nothing
    before = _snapshot(store)
    assert simulate_class(store, room.code, 21, KEY, seed=5).decisions_sent == 0
    assert _snapshot(store) == before


# ---- concurrency ----------------------------------------------------------------------------------


def test_threads_vote_at_once_one_decision_each(url):
    store = Classroom(url)
    room = _room(store, rounds=1)
    seats = [store.join(room.code, f"s{i}") for i in range(64)]
    store.start_round(room.code, KEY)
    barrier = threading.Barrier(16)
    outcomes = {"ok": 0, "already": 0}
    lock = threading.Lock()

    def vote(i):
        s = seats[i % 64]
        if i < 16:
            barrier.wait()
        # every seat sends its decision twice, and a different one once
        for action in ("Spend", "Spend", "Cut") if i < 64 else ("Cut",):
            try:
                store.submit(room.code, s.token, action if i % 2 else "Spend", prediction=1)
                key = "ok"
            except AlreadyDecided:
                key = "already"
            with lock:
                outcomes[key] += 1

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(vote, range(64)))
    counts = _decision_counts(store, room.code)
    assert len(counts) == 64 and set(counts.values()) == {1}
    assert outcomes == {"ok": 64 * 2 + 32, "already": 32}   # odd seats: Spend, Spend, then Cut refused


def test_twin_requests_for_one_seat_race_one_wins(url):
    """Two requests for the same seat at the same instant (a double tap): one decision is stored."""
    store = Classroom(url)
    room = _room(store, rounds=1)
    seats = [store.join(room.code) for _ in range(30)]
    store.start_round(room.code, KEY)
    results = {}

    def race(seat):
        barrier = threading.Barrier(2)

        def one(action):
            barrier.wait()
            try:
                return store.submit(room.code, seat.token, action, prediction=1)["action"]
            except AlreadyDecided:
                return "refused"

        with ThreadPoolExecutor(2) as pool:
            same = seat.seq % 2 == 0           # even seats: the same decision twice (idempotent)
            results[seat.seq] = sorted(map(str, pool.map(one, ["Spend", "Spend" if same else "Cut"])))

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(race, seats))
    for seq, got in results.items():
        if seq % 2 == 0:
            assert got == ["0", "0"], (seq, got)
        else:
            assert got in (["0", "refused"], ["1", "refused"]), (seq, got)
    counts = _decision_counts(store, room.code)
    assert len(counts) == 30 and set(counts.values()) == {1}


_VOTER = """
import json, sys, time
from dilemma.classroom.store import Classroom
job = json.load(sys.stdin)
store = Classroom(job["url"])
while time.time() < job["start_at"]:
    time.sleep(0.001)
for token in job["tokens"]:
    for _ in range(2):                        # each decision sent twice: idempotent
        store.submit(job["code"], token, "Cut", prediction=0)
print(len(job["tokens"]))
"""


def test_processes_vote_at_once_one_decision_each(url):
    """Four voter processes (plain ``python -c``, independent of how pytest was started) at the same instant."""
    store = Classroom(url)
    room = _room(store, rounds=1)
    seats = [store.join(room.code) for _ in range(80)]
    store.start_round(room.code, KEY)
    tokens = [s.token for s in seats]
    start_at = time.time() + 5
    procs = [subprocess.Popen([sys.executable, "-c", _VOTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for i, p in enumerate(procs):                 # every process gets its job before any starts voting
        p.stdin.write(json.dumps({"url": url, "code": room.code, "tokens": tokens[i::4], "start_at": start_at}))
        p.stdin.close()
    outs = [(p.stdout.read(), p.stderr.read(), p.wait(120)) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [o[1][-500:] for o in outs]
    assert sum(int(o[0]) for o in outs) == 80
    counts = _decision_counts(store, room.code)
    assert len(counts) == 80 and set(counts.values()) == {1}


def test_a_close_racing_the_votes_loses_no_vote(url):
    """Votes sent while the round closes either land before the close (and are played) or are refused."""
    store = Classroom(url)
    room = _room(store, rounds=1)
    seats = [store.join(room.code) for _ in range(60)]
    store.start_round(room.code, KEY)
    accepted, refused = [], []

    def vote(s):
        try:
            store.submit(room.code, s.token, "Spend", prediction=1)
            accepted.append(s.participant_id)
        except RoundClosed:
            refused.append(s.participant_id)

    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(vote, s) for s in seats]
        time.sleep(0.02)
        store.close_round(room.code, KEY)
        for f in futures:
            f.result()
    assert len(accepted) + len(refused) == 60
    store.reveal(room.code, KEY)
    rows = store.results(room.code)
    by_student = {r["participant"]: r["decided_by"] for r in rows if r["participant"] != "bot"}
    seq = {s.participant_id: s.code for s in seats}
    assert sorted(seq[p] for p in accepted) == sorted(k for k, v in by_student.items() if v == "student")
    assert sorted(seq[p] for p in refused) == sorted(k for k, v in by_student.items() if v == "timeout")
    counts = _decision_counts(store, room.code)
    assert len(counts) == 60 and set(counts.values()) == {1}


# ---- SIGKILL mid-session ---------------------------------------------------------------------------------


def _cli(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "dilemma.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300, **kw)


def test_simulate_killed_with_sigkill_then_resumed(tmp_path):
    path = str(tmp_path / "class.sqlite")
    env = {**os.environ, "DILEMMA_DB": path}
    env.pop("DILEMMA_LECTURER_KEY", None)
    out = _cli("classroom", "create", TWO, "--rounds", "4", "--json", "--lecturer-key", KEY, env=env)
    assert out.returncode == 0, out.stderr
    code = json.loads(out.stdout)["room"]
    students = 60
    proc = subprocess.Popen([sys.executable, "-m", "dilemma.cli", "classroom", "simulate", code, "--students",
                             str(students), "--seed", "2", "--lecturer-key", KEY], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = Classroom(path)
    deadline = time.time() + 120
    while time.time() < deadline:                       # kill it in the middle of round 2
        st = store.status(code)
        if st["round"] == 2 and st["phase"] == "open" and st["decided"] >= 20:
            break
        assert proc.poll() is None, "the simulation ended before it could be killed"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    mid = store.status(code)
    assert mid["round"] == 2 and not mid["finished"] and mid["decided"] >= 20
    out = _cli("classroom", "simulate", code, "--students", str(students), "--seed", "2", "--lecturer-key", KEY,
               "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["finished"] is True
    counts = _decision_counts(store, code)
    assert len(counts) == students * 4 and set(counts.values()) == {1}
    rows = store.results(code)
    assert len(rows) == 4 * students                     # 30 groups x 2 firms x 4 rounds: no duplicate outcome
    assert {r["decided_by"] for r in rows} == {"student"}
    out = _cli("classroom", "export", code, "--out", str(tmp_path / "x.csv"), "--lecturer-key", KEY, env=env)
    assert out.returncode == 0, out.stderr
    _check_export_payoffs(tmp_path / "x.csv", TWO)


# ---- bad input ----------------------------------------------------------------------------------------------


def _refused(store, exc_type, field, fn, *args, **kwargs):
    before = _snapshot(store)
    with pytest.raises(exc_type) as info:
        fn(*args, **kwargs)
    assert isinstance(info.value, DilemmaError) and isinstance(info.value, ValueError)
    assert str(info.value).startswith(field + ":"), str(info.value)
    assert _snapshot(store) == before, "a refused input changed the database"
    return str(info.value)


def test_every_bad_input_is_refused_and_changes_nothing(url):
    store = Classroom(url)
    room = _room(store, rounds=1, capacity=3)
    other = _room(store, rounds=1)
    a = store.join(room.code, "Ada")
    b = store.join(room.code)
    stranger = store.join(other.code)
    _refused(store, RoundClosed, "round", store.submit, room.code, a.token, "Spend", 1)      # not started
    _refused(store, LecturerKeyError, "lecturer_key", store.start_round, room.code, "wrong-key")
    _refused(store, LecturerKeyError, "lecturer_key", store.start_round, room.code, "")
    _refused(store, LecturerKeyError, "lecturer_key", store.start_round, room.code, KEY + " ")
    store.start_round(room.code, KEY)
    _refused(store, SeatError, "seat", store.submit, room.code, "forged-" + a.token[7:], "Spend", 1)
    _refused(store, SeatError, "seat", store.submit, room.code, None, "Spend", 1)
    _refused(store, SeatError, "seat", store.submit, room.code, stranger.token, "Spend", 1)   # other room
    _refused(store, UnknownRoom, "room", store.submit, "ZZZZZ", a.token, "Spend", 1)
    _refused(store, UnknownRoom, "room", store.join, "", "x")
    _refused(store, SettingError, "action", store.submit, room.code, a.token, "Maybe", 1)
    _refused(store, SettingError, "action", store.submit, room.code, a.token, 2, 1)
    _refused(store, SettingError, "prediction", store.submit, room.code, a.token, "Spend", 2)  # 1 rival only
    _refused(store, SettingError, "prediction", store.submit, room.code, a.token, "Spend", None)
    _refused(store, SettingError, "label", store.join, room.code, "x" * 41)
    _refused(store, SettingError, "label", store.join, room.code, "<script>alert(1)</script>")
    store.submit(room.code, a.token, "Spend", 1)
    store.submit(room.code, a.token, "Spend", 1)                                            # idempotent
    msg = _refused(store, AlreadyDecided, "action", store.submit, room.code, a.token, "Cut", 1)
    assert msg == "action: you already chose Spend in round 1; one decision per round"
    _refused(store, AlreadyDecided, "action", store.submit, room.code, a.token, "Spend", 0)
    store.join(room.code)                                                                  # 3rd of 3 seats
    _refused(store, RoomFull, "room", store.join, room.code, "late")
    _refused(store, LecturerKeyError, "lecturer_key", store.close_round, room.code, "nope")
    _refused(store, LecturerKeyError, "lecturer_key", store.close_round, other.code, KEY + "x")
    store.close_round(room.code, KEY)
    _refused(store, RoundClosed, "round", store.submit, room.code, b.token, "Cut", 0)       # after the close
    _refused(store, LecturerKeyError, "lecturer_key", store.reveal, room.code, "nope")
    _refused(store, LecturerKeyError, "lecturer_key", store.export_csv, room.code, "nope", os.devnull)
    _refused(store, RoundClosed, "round", store.start_round, room.code, KEY)                # reveal first
    store.reveal(room.code, KEY)
    _refused(store, RoundClosed, "round", store.start_round, room.code, KEY)                # all played


def test_bad_settings_name_the_field(sqlite_url):
    store = Classroom(sqlite_url)
    s = load_preset(TWO)
    for kw, field in [({"rounds": 0}, "rounds"), ({"rounds": 2.5}, "rounds"), ({"group_size": 3}, "group_size"),
                      ({"matching": "random"}, "matching"), ({"bots": "nice"}, "bots"),
                      ({"bots": "leverage-rule"}, "bots"), ({"capacity": 0}, "capacity"),
                      ({"lecturer_key": "abc"}, "lecturer_key")]:
        _refused(store, ClassroomError, field, store.create_room, s, **kw)
    _refused(store, ClassroomError, "scenario", store.create_room, load_preset("games/rock-paper-scissors"))
    _refused(store, ClassroomError, "room", store.create_room, s, code="a b<")
    _refused(store, ClassroomError, "room", store.create_room, s, code="TOOLONGCODE")
    assert store.create_room(s, code="demo1", lecturer_key=KEY)[0].code == "DEMO1"
    msg = _refused(store, ClassroomError, "room", store.create_room, s, code="Demo1", lecturer_key=KEY)
    assert msg == "room: the room code DEMO1 is taken; choose another"


def test_a_server_key_is_needed_to_create_a_room(sqlite_url):
    store = Classroom(sqlite_url)
    s = load_preset(TWO)
    _refused(store, LecturerKeyError, "lecturer_key", store.create_room, s, server_key="srv-key")
    _refused(store, LecturerKeyError, "lecturer_key", store.create_room, s, lecturer_key="srv-kez",
             server_key="srv-key")
    room, key = store.create_room(s, lecturer_key="srv-key", server_key="srv-key")
    assert key == "srv-key" and store.check_key(room.code, "srv-key") == room


def test_two_rooms_never_see_each_other(sqlite_url):
    store = Classroom(sqlite_url)
    r1, r2 = _room(store, rounds=1), _room(store, rounds=1, lecturer_key="other-key")
    s1 = [store.join(r1.code, f"one{i}") for i in range(4)]
    s2 = [store.join(r2.code, f"two{i}") for i in range(2)]
    for code, key, seats, act in ((r1.code, KEY, s1, "Spend"), (r2.code, "other-key", s2, "Cut")):
        store.start_round(code, key)
        for s in seats:
            store.submit(code, s.token, act, prediction=0)
    with pytest.raises(LecturerKeyError):
        store.close_round(r2.code, KEY)                 # one room's key does not open another
    for code, key in ((r1.code, KEY), (r2.code, "other-key")):
        store.close_round(code, key)
        store.reveal(code, key)
    rows1, rows2 = store.results(r1.code), store.results(r2.code)
    assert {r["room"] for r in rows1} == {r1.code} and {r["label"] for r in rows1} == {f"one{i}" for i in range(4)}
    assert {r["label"] for r in rows2} == {"two0", "two1"} and {r["action"] for r in rows2} == {"Cut"}
    assert store.status(r1.code)["seated"] == 4 and store.status(r2.code)["seated"] == 2


def test_a_latecomer_plays_from_the_next_round_in_a_bots_place(sqlite_url):
    store = Classroom(sqlite_url)
    room = _room(store, rounds=2)
    early = [store.join(room.code) for _ in range(3)]           # groups: [P001, P002], [P003, bot]
    store.start_round(room.code, KEY)
    late = store.join(room.code, "late")
    msg = _refused(store, RoundClosed, "round", store.submit, room.code, late.token, "Cut", 0)
    assert msg == "round: you joined after round 1 started: you play from the next round"
    assert store.student_view(room.code, late.token).player is None
    for s in early:
        store.submit(room.code, s.token, "Cut", 0)
    store.close_round(room.code, KEY)
    store.reveal(room.code, KEY)
    store.start_round(room.code, KEY)
    view = store.student_view(room.code, late.token)
    assert (view.group, view.player) == (2, 1)                  # the bot's place next to P003
    for s in [*early, late]:
        store.submit(room.code, s.token, "Spend", 1)
    store.close_round(room.code, KEY)
    store.reveal(room.code, KEY)
    rows = store.results(room.code)
    assert [(r["round"], r["group"], r["participant"]) for r in rows] == [
        (1, 1, "P001"), (1, 1, "P002"), (1, 2, "P003"), (1, 2, "bot"),
        (2, 1, "P001"), (2, 1, "P002"), (2, 2, "P003"), (2, 2, "P004")]


def test_a_seat_survives_a_new_store_and_returns_the_same_seat(sqlite_url):
    """A restarted server (a new engine on the same file) knows every seat and decision."""
    store = Classroom(sqlite_url)
    room = _room(store, rounds=1)
    seat = store.join(room.code, "Ada")
    store.start_round(room.code, KEY)
    store.submit(room.code, seat.token, "Cut", prediction=0)
    db._ENGINES.clear()                                 # forget every engine, as a restarted process would
    again = Classroom(sqlite_url)
    view = again.student_view(room.code, seat.token)
    assert (view.seat.participant_id, view.action, view.prediction, view.phase) == (seat.participant_id, 1, 0, "open")


def test_schema_is_versioned_and_migrated_once(sqlite_url):
    Classroom(sqlite_url)
    engine = sa.create_engine(db.resolve_url(sqlite_url))
    assert db.migrate(engine) == db.SCHEMA_VERSION           # found already at the latest version
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_version")).scalars().all() == [db.SCHEMA_VERSION]
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_resolve_url_order(monkeypatch, tmp_path):
    monkeypatch.setenv("DILEMMA_DB", str(tmp_path / "env.sqlite"))
    assert db.resolve_url(None) == "sqlite:///" + str(tmp_path / "env.sqlite")
    assert db.resolve_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    monkeypatch.delenv("DILEMMA_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert db.resolve_url(None) == "sqlite:///" + str(tmp_path / "dilemma" / "classroom.sqlite")


# ---- the rules -------------------------------------------------------------------------------------------------


def test_partners_keep_their_groups_strangers_are_reshuffled():
    ids = list(range(101, 111))
    rounds = [form_groups(ids, 2, 2, "partners", seed=4, round_no=r) for r in (1, 2, 3)]
    assert rounds[0] == rounds[1] == rounds[2] == [[101, 102], [103, 104], [105, 106], [107, 108], [109, 110]]
    s = [form_groups(ids, 2, 2, "strangers", seed=4, round_no=r) for r in (1, 2)]
    assert s[0] != s[1]
    assert s[0] == form_groups(ids, 2, 2, "strangers", seed=4, round_no=1)     # the same after a restart
    for groups in s:
        assert sorted(p for g in groups for p in g) == ids


def test_tit_for_tat_bot_replays_the_history():
    pd = build_game(load_preset(TWO)).payoffs
    assert bot_cut("tit-for-tat", pd, 1, [], [], 0, (1,)) is True                 # opens with Cut
    assert bot_cut("tit-for-tat", pd, 1, [True], [[False]], 0, (2,)) is False     # copies a Spend
    assert bot_cut("grim-trigger", pd, 1, [True, False], [[False], [True]], 0, (3,)) is False   # never forgives
    assert bot_cut("always-spend", pd, 0, [], [], 0, (1,)) is False


# ---- the analysis ----------------------------------------------------------------------------------------------


def test_debrief_numbers_hand_worked():
    info = game_info(load_preset(TWO).to_toml())
    assert equilibrium_shares(info) == [1.0] and optimum_shares(info) == [0.0]   # a prisoner's dilemma
    rows = [{"round": 1 + k // 3, "group": k, "player": k % 2, "spend": k < 7, "decided_by": "student",
             "prediction": None, "payoff": 1.0, "participant": f"P{k}", "action": "Spend"} for k in range(9)]
    a = analyse_class(info, rows, fit=False)
    assert a.debrief.startswith("Over 3 round(s) the class spent 78 % of the time (9 decisions); "
                                "the equilibrium says 100 %, the social optimum 0 %.")


def _symmetric_qre_lambda(payoffs, share):
    """Independent: the λ at which the symmetric logit QRE of a symmetric 2x2 game spends ``share``.

    At the symmetric QRE p = 1/(1+exp(-λ Δ(p))), Δ(p) = u(Spend|p) - u(Cut|p), so
    λ = log(p/(1-p)) / Δ(p) in closed form.
    """
    u = payoffs[..., 0]                    # row player's payoffs, actions (Spend, Cut)
    delta = share * (u[0, 0] - u[1, 0]) + (1 - share) * (u[0, 1] - u[1, 1])
    return math.log(share / (1 - share)) / delta


@pytest.mark.parametrize("spend, of", [(7, 10), (9, 10), (6, 10)])
def test_qre_fit_matches_the_closed_form(spend, of):
    info = game_info(load_preset(TWO).to_toml())
    rows = [{"player": p, "spend": k < spend, "decided_by": "student"} for p in (0, 1) for k in range(of)]
    fit = fit_lambda(info, rows)
    expected = _symmetric_qre_lambda(info.game.payoffs, spend / of)
    assert fit["at_edge"] is None
    assert fit["lam"] == pytest.approx(expected, rel=0.02)
    assert fit["p_spend"] == pytest.approx(spend / of, abs=0.005)


def test_qre_fit_edges():
    info = game_info(load_preset(TWO).to_toml())
    below = [{"player": p, "spend": k < 3, "decided_by": "student"} for p in (0, 1) for k in range(10)]
    assert fit_lambda(info, below)["at_edge"] == "low" and fit_lambda(info, below)["lam"] == 0.0
    allspend = [{"player": p, "spend": True, "decided_by": "student"} for p in (0, 1) for k in range(10)]
    assert fit_lambda(info, allspend)["at_edge"] == "high"


# ---- the command line ------------------------------------------------------------------------------------------


def _main(*argv):
    from dilemma.cli import main

    return main(list(argv))


def test_cli_create_status_export(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "c.sqlite")
    monkeypatch.delenv("DILEMMA_LECTURER_KEY", raising=False)
    monkeypatch.delenv("DILEMMA_BASE_URL", raising=False)
    assert _main("classroom", "create", TWO, "--rounds", "2", "--db", path, "--json", "--no-predict",
                 "--base-url", "https://class.example.org") == 0
    made = json.loads(capsys.readouterr().out)
    assert set(made) == {"room", "join_url", "lecturer_key"} and len(made["lecturer_key"]) >= 16
    assert made["join_url"] == f"https://class.example.org/join?room={made['room']}"
    code, key = made["room"], made["lecturer_key"]
    assert Classroom(path).room(code).settings.predict is False
    assert _main("classroom", "simulate", code, "--students", "5", "--db", path, "--lecturer-key", key) == 0
    capsys.readouterr()
    assert _main("classroom", "status", code, "--db", path, "--json") == 0
    st = json.loads(capsys.readouterr().out)
    assert (st["round"], st["phase"], st["seated"], st["finished"]) == (2, "revealed", 5, True)
    out = tmp_path / "e.csv"
    assert _main("classroom", "export", code, "--out", str(out), "--db", path, "--lecturer-key", key) == 0
    header = out.read_text().splitlines()[0].split(",")
    assert header[:12] == ["room", "round", "group", "participant", "label", "player", "firm", "action", "spend",
                           "decided_by", "prediction", "payoff"]
    _check_export_payoffs(out, TWO)


@pytest.mark.parametrize("argv, message", [
    (["status", "NOPE9"], "error: room: there is no room 'NOPE9' (check the code on the projector)"),
    (["export", "{room}", "--out", "x.csv", "--lecturer-key", "bad-key"], "error: lecturer_key: wrong key for this room"),
    (["export", "{room}", "--out", "x.csv"], "error: lecturer_key: this needs the room's lecturer key"),
    (["create", TWO, "--rounds", "0"], "error: rounds: must be a whole number from 1 to 50, got 0"),
    (["create", TWO, "--bots", "nice"], None),
    (["simulate", "{room}", "--students", "3"], None),
    (["simulate", "{room}", "--students", "0", "--lecturer-key", KEY], "error: students: must be from 1 to the "
                                                                         "room's capacity 300, got 0"),
])
def test_cli_errors_are_one_line_exit_2(tmp_path, capsys, monkeypatch, argv, message):
    path = str(tmp_path / "c.sqlite")
    monkeypatch.delenv("DILEMMA_LECTURER_KEY", raising=False)
    store = Classroom(path)
    room = _room(store)
    before = _snapshot(store)
    argv = [a.replace("{room}", room.code) for a in argv]
    monkeypatch.chdir(tmp_path)
    assert _main("classroom", *argv, "--db", path) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    if message:
        assert err.strip() == message
    assert _snapshot(store) == before


# ---- the charts ----------------------------------------------------------------------------------------------------


def _datasets(spec):
    return list(spec.get("datasets", {}).values())


def test_charts_carry_the_analysis_numbers():
    from dilemma.charts import classroom as cc

    by_round = [{"round": 1, "share_spend": 0.75, "decisions": 4}, {"round": 2, "share_spend": 0.5, "decisions": 4}]
    spec = cc.spend_share_chart(by_round, [1.0], [0.0]).to_dict()          # validated against Vega-Lite
    data = _datasets(spec)
    assert by_round in data
    assert [{"value": 1.0, "what": "Equilibrium 100 %"}, {"value": 0.0, "what": "Social optimum 0 %"}] in data
    spec = cc.prediction_chart([{"round": 1, "predicted": 0.5, "actual": 1.0, "students": 2}], 1).to_dict()
    (rows,) = _datasets(spec)
    assert {(r["what"], r["rivals"]) for r in rows} == {("Predicted", 0.5), ("Did spend", 1.0)}
    spec = cc.qre_fit_chart([0.0, 0.1, 1.0], [0.5, 0.8, 1.0], 0.7, {"lam": 0.05, "p_spend": 0.7}).to_dict()
    data = _datasets(spec)
    assert [{"lam": 0.1, "p": 0.8}, {"lam": 1.0, "p": 1.0}] in data          # λ = 0 cannot sit on a log axis
    assert [{"lam": 0.1, "p": 0.7}] in data                                 # the fit is drawn at the axis' start
    for empty in (cc.spend_share_chart([], [1.0], [0.0]), cc.payoff_histogram([]), cc.prediction_chart([], 1)):
        assert "text" in json.dumps(empty.to_dict())
    svg = cc.qr_svg("http://localhost:8501/join?room=AB3CD")
    assert svg.startswith("<svg") and "path" in svg


def test_a_firms_own_table_averages_over_which_rivals_spend():
    """The student's table, against a vectorised count over the payoff array (five firms)."""
    game = build_game(load_preset(FIVE))
    info = game_info(load_preset(FIVE).to_toml())
    for player in (0, 3):
        own = np.moveaxis(game.payoffs[..., player], player, 0)          # own action first, then the 4 rivals
        spenders = (np.indices(own.shape[1:]) == 0).sum(axis=0)        # Spend is action 0 in the model
        rows = info.own_table(player)
        assert [r["rivals_spending"] for r in rows] == [0, 1, 2, 3, 4]
        for r in rows:
            mask = spenders == r["rivals_spending"]
            assert r["spend"] == pytest.approx(own[0][mask].mean())
            assert r["cut"] == pytest.approx(own[1][mask].mean())
            assert (r["spend_low"], r["spend_high"]) == pytest.approx((own[0][mask].min(), own[0][mask].max()))
