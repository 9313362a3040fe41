"""``dilemma serve``: the lab for a lecture hall — several processes behind nginx.

See :mod:`dilemma.lab.serve`. ``dilemma serve --processes 2 --port 8080 --db URL``
starts two lab processes and Debian's nginx in front of them (sticky sessions), all
sharing the classroom database; Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "cmd_serve"]


def register(subparsers) -> None:
    """Add ``serve`` to an argparse sub-parsers object."""
    p = subparsers.add_parser(
        "serve", help="serve the lab to a lecture hall: several processes behind nginx",
        description=("Start several lab processes and nginx in front of them with sticky sessions, "
                     "all sharing the classroom database (--db or DILEMMA_DB). Needs Debian's nginx."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=("examples:\n"
                "  dilemma serve --processes 2 --port 8080\n"
                "  dilemma serve --processes 4 --address 0.0.0.0 --port 8080 --db postgresql://lab@dbhost/class\n"
                "  dilemma serve --backends 10.0.0.5:8501,10.0.0.6:8501 --address 0.0.0.0 --port 8080"),
    )
    p.add_argument("--processes", type=int, default=2, help="lab processes to start (default 2; about one per core)")
    p.add_argument("--port", type=int, default=8080, help="the port students open (default 8080)")
    p.add_argument("--address", default="127.0.0.1",
                   help="listen address (default 127.0.0.1; 0.0.0.0 to serve the network)")
    p.add_argument("--db", default=None, metavar="URL",
                   help="classroom database shared by the processes (default: $DILEMMA_DB, else the SQLite file)")
    p.add_argument("--backends", default=None, metavar="HOST:PORT,...",
                   help="proxy lab processes already running (on other machines) instead of starting local ones")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    """Run until interrupted."""
    import time

    from dilemma.errors import DilemmaError
    from dilemma.lab.serve import parse_backends, serve

    if not 0 < args.port < 65536:
        raise DilemmaError(f"--port: must be between 1 and 65535, got {args.port}")
    backends = parse_backends(args.backends) if args.backends else None
    with serve(args.processes, port=args.port, address=args.address, db=args.db, backends=backends) as served:
        print(f"serving the lab at {served.url} through nginx, {len(served.backends)} back end(s): "
              f"{', '.join(served.backends)}; Ctrl-C stops", flush=True)
        try:
            while all(p.poll() is None for p in served.processes):
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
    raise DilemmaError("serve: a process exited; stopped everything")
