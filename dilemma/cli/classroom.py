"""``dilemma classroom``: run a class from the command line.

Sub-commands:

* ``create SCENARIO`` opens a room (prints the room code, the join link and the
  lecturer key, which is shown only this once);
* ``simulate ROOM --students K`` plays the whole session with simulated
  students through the same store the web pages use (a rehearsal and a load
  generator; run it again on an interrupted room to finish it);
* ``status ROOM`` prints the public counts;
* ``export ROOM --out FILE.csv`` writes one row per firm and round.

The database is ``--db URL`` (a ``postgresql://`` URL or a SQLite file), else
``$DILEMMA_DB``, else ``~/.local/share/dilemma/classroom.sqlite``. The
lecturer key is ``--lecturer-key``, else ``$DILEMMA_LECTURER_KEY``. The join
link's host is ``--base-url``, else ``$DILEMMA_BASE_URL``, else
``http://localhost:8501``.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

__all__ = ["register", "join_url", "BASE_URL_ENV", "DEFAULT_BASE_URL"]

BASE_URL_ENV = "DILEMMA_BASE_URL"
DEFAULT_BASE_URL = "http://localhost:8501"
JOIN_PATH = "join"


def join_url(code: str, base_url: str | None = None) -> str:
    """The link students open: ``<base>/join?room=CODE``.

    >>> join_url("AB3CD", "https://class.example.org/")
    'https://class.example.org/join?room=AB3CD'
    """
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/{JOIN_PATH}?room={quote(code)}"


def register(subparsers) -> None:
    """Add ``classroom`` and its sub-commands to an argparse sub-parsers object."""
    p = subparsers.add_parser("classroom", help="run a live class: rooms, simulated students, export",
                              description=__doc__.split("\n\n")[1].strip())
    sub = p.add_subparsers(dest="classroom_command", required=True, metavar="ACTION", parser_class=p.__class__)

    def db_arg(q):
        q.add_argument("--db", default=None, metavar="URL",
                       help="database: postgresql://... or a SQLite file (default $DILEMMA_DB or "
                            "~/.local/share/dilemma/classroom.sqlite)")

    c = sub.add_parser("create", help="open a room for a scenario", description="Open a room for a scenario.")
    c.add_argument("scenario", metavar="SCENARIO", help="scenario TOML file or preset name (see 'dilemma presets')")
    c.add_argument("--rounds", type=int, default=3, help="rounds to play (default 3)")
    c.add_argument("--group-size", type=int, default=None, metavar="N",
                   help="students per group (default: one per firm of the game)")
    c.add_argument("--matching", choices=("partners", "strangers"), default="partners",
                   help="fixed groups (partners) or new groups every round (strangers)")
    c.add_argument("--bots", default="tit-for-tat", metavar="STRATEGY",
                   help="strategy of the bots filling incomplete groups (see 'dilemma strategies')")
    c.add_argument("--predict", action="store_true", default=True, help="students predict first (default)")
    c.add_argument("--no-predict", dest="predict", action="store_false", help="no predictions")
    c.add_argument("--capacity", type=int, default=None, help="most students the room seats (default 300)")
    c.add_argument("--seed", type=int, default=None, help="seed of the matching and random bots")
    c.add_argument("--room", default=None, metavar="CODE",
                   help="choose the room code (4-8 letters and digits; default: 5 random characters)")
    c.add_argument("--lecturer-key", default=None, metavar="KEY",
                   help="the key for lecturer actions (default $DILEMMA_LECTURER_KEY, else a new one)")
    c.add_argument("--base-url", default=None, metavar="URL",
                   help=f"host of the join link (default ${BASE_URL_ENV} or {DEFAULT_BASE_URL})")
    c.add_argument("--json", action="store_true", help="print room, join_url and lecturer_key as JSON")
    db_arg(c)
    c.set_defaults(func=_cmd_create)

    s = sub.add_parser("simulate", help="play a room to its end with simulated students",
                       description="Play a room to its end with simulated students (a rehearsal and a "
                                   "load generator). Run it again on an interrupted room to finish it.")
    s.add_argument("room", metavar="ROOM")
    s.add_argument("--students", type=int, required=True, metavar="K")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--workers", type=int, default=1, help="threads sending decisions at once (default 1)")
    s.add_argument("--lecturer-key", default=None, metavar="KEY")
    s.add_argument("--json", action="store_true")
    db_arg(s)
    s.set_defaults(func=_cmd_simulate)

    st = sub.add_parser("status", help="a room's public counts", description="A room's public counts.")
    st.add_argument("room", metavar="ROOM")
    st.add_argument("--json", action="store_true")
    db_arg(st)
    st.set_defaults(func=_cmd_status)

    e = sub.add_parser("export", help="write a room's decisions and payoffs as CSV",
                       description="One row per firm and round: room, round, group, participant, label, "
                                   "player, firm, action, spend, decided_by, prediction, payoff, payoff terms.")
    e.add_argument("room", metavar="ROOM")
    e.add_argument("--out", required=True, metavar="FILE.csv", help="'-' for standard output")
    e.add_argument("--lecturer-key", default=None, metavar="KEY")
    db_arg(e)
    e.set_defaults(func=_cmd_export)


def _key(args) -> str | None:
    from dilemma.classroom.store import LECTURER_KEY_ENV

    return args.lecturer_key or os.environ.get(LECTURER_KEY_ENV)


def _store(args):
    from dilemma.classroom.store import Classroom

    return Classroom(args.db)


def _cmd_create(args) -> int:
    from dilemma.cli import load_with_overrides

    scenario = load_with_overrides(args.scenario)
    room, key = _store(args).create_room(
        scenario, rounds=args.rounds, group_size=args.group_size, matching=args.matching, predict=args.predict,
        bots=args.bots, capacity=args.capacity, seed=args.seed, lecturer_key=args.lecturer_key,
        scenario_name=args.scenario, code=args.room)
    url = join_url(room.code, args.base_url)
    if args.json:
        print(json.dumps({"room": room.code, "join_url": url, "lecturer_key": key}))
    else:
        print(f"room:          {room.code}  ({room.title}, {room.settings.rounds} rounds)")
        print(f"join link:     {url}")
        print(f"lecturer key:  {key}   (shown once; keep it to run the room)")
    return 0


def _cmd_simulate(args) -> int:
    from dilemma.classroom.simulate import simulate_class
    from dilemma.errors import DilemmaError

    key = _key(args)
    if not key:
        raise DilemmaError("lecturer_key: simulate plays the lecturer too; give --lecturer-key or set "
                           "DILEMMA_LECTURER_KEY")
    report = simulate_class(_store(args), args.room, args.students, key, seed=args.seed, workers=args.workers)
    if args.json:
        print(json.dumps(report.__dict__))
    else:
        print(f"room {report.room}: {report.students} simulated students, {report.rounds_played} rounds, "
              f"{report.decisions_sent} decisions sent{' (session finished)' if report.finished else ''}")
    return 0


def _cmd_status(args) -> int:
    st = _store(args).status(args.room)
    if args.json:
        print(json.dumps(st))
    else:
        print(f"room {st['room']} ({st['title']}): round {st['round']} of {st['rounds']}, {st['phase']}"
              f"{' (finished)' if st['finished'] else ''}; {st['seated']} seated, "
              f"{st['decided']} of {st['playing']} decided")
    return 0


def _cmd_export(args) -> int:
    import sys

    key = _key(args)
    store = _store(args)
    if args.out == "-":
        n = store.export_csv(args.room, key, sys.stdout)
    else:
        n = store.export_csv(args.room, key, args.out)
        print(f"wrote {n} rows to {args.out}")
    return 0
