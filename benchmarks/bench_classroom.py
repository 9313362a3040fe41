"""A lecture hall on the classroom pages: N students vote on their phones while a projector watches.

    python benchmarks/bench_classroom.py --students 200 --json /tmp/classroom.json
    python benchmarks/bench_classroom.py --students 200 --served --processes 2 --db postgresql://...

Starts its own server (one Streamlit process, or with ``--served`` the multi-process
set-up of ``dilemma serve``: lab processes behind Debian's nginx), on a fresh classroom
database (a SQLite file in a temporary folder unless ``--db`` names one; for ``--served``
several processes share it). Creates a room through the store (as the lecturer's page
does) and then, over Streamlit's own WebSocket protocol (``scripts/st_client.py``; a
browser's work without the drawing), each simulated student on its own connection:

* opens the join link (``/join?room=CODE``) and clicks "Take a seat", arrivals spread
  over ``--arrive`` seconds;
* polls its page's live fragment at the interval the page asks for, as the browser's
  timer does;
* when a round opens, "thinks" for a uniform 1–``--think`` s, then clicks Spend or Cut
  (a seeded coin): **vote_ack** is the time from sending that click to the end of the run
  that answers it, whose page must say "Your choice".

A projector session (``/classroom?room=CODE``) polls its live fragment the same way;
**projector_lag** is, per round, the time from the last vote's acknowledgement to the
first projector run that shows every vote ("Decided: N of N"). The lecturer's start,
close and reveal go through the store with the lecturer key. **lost_votes** is votes
acknowledged minus students' decisions stored in the database, counted there.

Reports p50/p95/max, the server's CPU seconds (all processes) and the load generator's
own CPU (it runs on the same machine and takes CPU from the server).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from st_client import Tab  # noqa: E402


def _summary(xs):
    if not xs:
        return {"n": 0}
    xs = sorted(xs)

    def pct(q):
        return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]

    return {"n": len(xs), "p50": statistics.median(xs), "p95": pct(95), "max": xs[-1]}


def _cpu(pids) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            p = psutil.Process(pid)
            for q in [p] + p.children(recursive=True):
                total += sum(q.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


@contextlib.contextmanager
def server(args, db_url: str):
    """One lab process (``lab_server``) or ``dilemma serve``; yields (url, pids)."""
    os.environ["DILEMMA_DB"] = db_url
    if args.url:
        yield args.url, []
    elif args.served:
        from dilemma.lab.serve import serve

        with serve(args.processes, db=db_url, cwd=ROOT) as served:
            yield served.url, [p.pid for p in served.processes]
    else:
        from screenshots import lab_server

        holder = {}
        with lab_server(on_start=lambda p: holder.setdefault("pid", p.pid)) as url:
            yield url, [holder["pid"]]


async def student(i: int, url: str, code: str, rng: random.Random, state: dict) -> None:
    tab = Tab(url, page="join", query=f"room={code}", seed=10_000 + i)
    await asyncio.sleep(rng.uniform(0, state["arrive"]))
    await tab.connect()
    try:
        await tab.run()
        seat = tab.find("Take a seat", "button")
        if seat is None:
            raise RuntimeError(f"student {i}: no 'Take a seat' button:\n{tab.text()[:500]}")
        await tab.run(click=seat)
        state["seated"] += 1
        voted_round = 0
        interval = 3.0
        while not state["done"]:
            if tab.fragments:
                interval = min(tab.fragments.values()) or interval
            current = state["round"]
            spend = tab.find("Spend", "button")
            cut = tab.find("Cut", "button")
            if current > voted_round and state["open"] and spend is not None and cut is not None:
                await asyncio.sleep(rng.uniform(1.0, state["think"]))
                button = spend if rng.random() < 0.7 else cut
                dt = await tab.run(click=button)
                if "Your choice" not in tab.text():
                    state["errors"].append(f"student {i}, round {current}: no acknowledgement: {tab.text()[:200]!r}")
                else:
                    state["acks"].append(dt)
                    state["acked"] += 1
                    state["last_ack"][current] = time.perf_counter()
                voted_round = current
                continue
            await asyncio.sleep(interval)
            state["polls"].append(await tab.poll() if tab.fragments else await tab.run())
        state["exceptions"].extend(tab.exceptions)
    finally:
        await tab.close()


async def projector(url: str, code: str, state: dict) -> None:
    tab = Tab(url, page="classroom", query=f"room={code}", seed=1)
    await tab.connect()
    await tab.run()
    try:
        while not state["done"]:
            interval = min(tab.fragments.values()) if tab.fragments else 2.0
            await asyncio.sleep(interval)
            await (tab.poll() if tab.fragments else tab.run())
            want = state["expect_text"]
            if want and all(w in tab.text() for w in want) and state["round"] not in state["shown"]:
                state["shown"][state["round"]] = time.perf_counter()
        state["exceptions"].extend(tab.exceptions)
    finally:
        await tab.close()


async def lecture(args, url: str, store, code: str, key: str) -> dict:
    rng = random.Random(args.seed)
    state = {"round": 0, "open": False, "done": False, "seated": 0, "acked": 0, "acks": [], "polls": [],
             "last_ack": {}, "shown": {}, "expect_text": (), "errors": [], "exceptions": [],
             "arrive": args.arrive, "think": args.think}
    tasks = [asyncio.create_task(student(i, url, code, random.Random(rng.random()), state))
             for i in range(args.students)]
    tasks.append(asyncio.create_task(projector(url, code, state)))
    deadline = time.perf_counter() + args.arrive + 120
    while state["seated"] < args.students and time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()
    rounds = []
    for r in range(1, args.rounds + 1):
        await asyncio.to_thread(store.start_round, code, key)
        state["round"], state["open"] = r, True
        playing = (await asyncio.to_thread(store.status, code))["playing"]
        state["expect_text"] = (f"Decided: {playing} of {playing}", f"Round: {r} of")
        t_open = time.perf_counter()
        while time.perf_counter() - t_open < args.think + 60:
            st = await asyncio.to_thread(store.status, code)
            if st["decided"] >= st["playing"]:
                break
            await asyncio.sleep(0.2)
        wait_shown = time.perf_counter()
        while r not in state["shown"] and time.perf_counter() - wait_shown < 30:
            await asyncio.sleep(0.05)
        lag = state["shown"].get(r, float("nan")) - state["last_ack"].get(r, float("nan"))
        rounds.append({"round": r, "playing": playing, "projector_lag_s": lag,
                       "round_wall_s": time.perf_counter() - t_open})
        state["open"] = False
        await asyncio.to_thread(store.close_round, code, key)
        await asyncio.to_thread(store.reveal, code, key)
        await asyncio.sleep(2.0)
    state["done"] = True
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"state": state, "rounds": rounds}


def _stored_votes(store, code: str) -> int:
    """Students' own decisions in the database for this room (bots and time-outs excluded)."""
    import sqlalchemy as sa

    from dilemma.classroom.db import decisions, rooms

    with store.engine.connect() as conn:
        room_id = conn.execute(sa.select(rooms.c.id).where(rooms.c.code == code)).scalar_one()
        return conn.execute(sa.select(sa.func.count()).select_from(decisions).where(
            decisions.c.room_id == room_id, decisions.c.decided_by == "student")).scalar_one()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scenario", default="classroom-two-player")
    ap.add_argument("--arrive", type=float, default=20.0, help="seconds over which students arrive")
    ap.add_argument("--think", type=float, default=8.0, help="longest think time before a vote (s)")
    ap.add_argument("--served", action="store_true", help="run the multi-process set-up (dilemma serve)")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--url", default=None,
                    help="use a server already running (started with DILEMMA_DB=--db); no CPU figures then")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from dilemma.classroom.store import Classroom
    from dilemma.scenario import load_preset

    with tempfile.TemporaryDirectory(prefix="dilemma-classbench-") as tmp:
        db_url = args.db or f"sqlite:///{tmp}/classroom.sqlite"
        store = Classroom(db_url)
        room, key = store.create_room(load_preset(args.scenario), rounds=args.rounds, predict=False,
                                      scenario_name=args.scenario)
        with server(args, db_url) as (url, pids):
            cpu0 = _cpu(pids)
            me0 = resource.getrusage(resource.RUSAGE_SELF)
            t0 = time.perf_counter()
            out = asyncio.run(lecture(args, url, store, room.code, key))
            wall = time.perf_counter() - t0
            cpu1 = _cpu(pids)
            me1 = resource.getrusage(resource.RUSAGE_SELF)
        stored = _stored_votes(store, room.code)
    state = out["state"]
    lags = [r["projector_lag_s"] for r in out["rounds"] if r["projector_lag_s"] == r["projector_lag_s"]]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    res = {
        "students": args.students, "rounds": args.rounds, "served": args.served,
        "processes": args.processes if args.served else 1, "db": "postgresql" if db_url.startswith("postgres") else "sqlite",
        "vote_ack": _summary(state["acks"]), "projector_lag": _summary(lags), "poll": _summary(state["polls"]),
        "lost_votes": state["acked"] - stored, "votes_acked": state["acked"], "decisions_stored": stored,
        "per_round": out["rounds"], "server_cpu_s": cpu1 - cpu0, "wall_s": wall,
        "client_cpu_s": (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime),
        "errors": state["errors"][:20], "exceptions": sorted(set(state["exceptions"]))[:20],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "load_before": os.getloadavg(), "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    va, pl = res["vote_ack"], res["projector_lag"]
    print(f"{args.students} students, {args.rounds} rounds, {'served x%d' % args.processes if args.served else '1 process'}, "
          f"{res['db']}")
    if va["n"]:
        print(f"  vote -> ack      p50 {va['p50'] * 1000:6.0f} ms  p95 {va['p95'] * 1000:6.0f} ms  max {va['max'] * 1000:6.0f} ms (n={va['n']})")
    if pl["n"]:
        print(f"  projector lag    p50 {pl['p50']:6.2f} s   p95 {pl['p95']:6.2f} s   max {pl['max']:6.2f} s (rounds={pl['n']})")
    print(f"  lost votes {res['lost_votes']} (acked {res['votes_acked']}, stored {res['decisions_stored']}); "
          f"server CPU {res['server_cpu_s']:.1f} s over {wall:.0f} s; load generator CPU {res['client_cpu_s']:.1f} s")
    if res["errors"] or res["exceptions"]:
        print("  ERRORS:", res["errors"][:5], res["exceptions"][:5])
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
