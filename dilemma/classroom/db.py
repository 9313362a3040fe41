"""Where a class's data lives: the database URL, the engine, the schema and its migrations.

* **SQLite** (the default; no server): a file, by default
  ``$XDG_DATA_HOME/dilemma/classroom.sqlite`` (``~/.local/share/dilemma/classroom.sqlite``).
  The connection runs in WAL mode (readers never wait for a writer) with
  ``synchronous=FULL`` (a committed vote survives a killed process and a power
  cut) and a 30 s busy timeout; every write transaction starts with
  ``BEGIN IMMEDIATE``, so writers queue instead of failing on a lock upgrade.
* **PostgreSQL**: any ``postgresql://`` URL (driver psycopg 3, from the
  ``postgres`` extra), so several server processes share one class. Writers
  lock the room's row (``SELECT ... FOR SHARE`` for a vote, ``FOR UPDATE`` to
  close a round), so no vote slips in while a round is being closed.

The URL comes from, in this order: the ``db`` argument (``--db``), the
environment variable ``DILEMMA_DB``, the default file. A bare path is a SQLite
file.

The schema is created and migrated when a store opens the database:
``schema_version`` holds one row, and :data:`MIGRATIONS` are applied in order
(in one transaction; on PostgreSQL under an advisory lock, so two processes
starting together do not both migrate).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

__all__ = ["DB_ENV", "default_path", "resolve_url", "get_engine", "metadata", "rooms", "participants",
           "places", "decisions", "outcomes", "SCHEMA_VERSION", "MIGRATIONS", "migrate", "write", "read"]

DB_ENV = "DILEMMA_DB"

metadata = sa.MetaData()

rooms = sa.Table(
    "rooms", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(8), nullable=False, unique=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("scenario_name", sa.String(200), nullable=False),
    sa.Column("scenario_toml", sa.Text, nullable=False),
    sa.Column("n_players", sa.Integer, nullable=False),
    sa.Column("rounds", sa.Integer, nullable=False),
    sa.Column("group_size", sa.Integer, nullable=False),
    sa.Column("matching", sa.String(16), nullable=False),
    sa.Column("predict", sa.Boolean, nullable=False),
    sa.Column("bots", sa.String(200), nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("key_salt", sa.String(64), nullable=False),
    sa.Column("key_hash", sa.String(128), nullable=False),
    sa.Column("round", sa.Integer, nullable=False, default=0),
    sa.Column("phase", sa.String(16), nullable=False, default="lobby"),
)

participants = sa.Table(
    "participants", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("label", sa.String(80), nullable=False, default=""),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("joined_at", sa.Float, nullable=False),
    sa.UniqueConstraint("room_id", "seq", name="uq_participant_seq"),
)

places = sa.Table(
    "places", metadata,
    sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("grp", sa.Integer, nullable=False),
    sa.Column("player", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=True),
    sa.UniqueConstraint("room_id", "round", "grp", "player", name="uq_place"),
    sa.UniqueConstraint("room_id", "round", "participant_id", name="uq_place_participant"),
)

decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("action", sa.Integer, nullable=False),
    sa.Column("prediction", sa.Integer, nullable=True),
    sa.Column("decided_by", sa.String(16), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.UniqueConstraint("room_id", "round", "participant_id", name="uq_decision"),
)

outcomes = sa.Table(
    "outcomes", metadata,
    sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("grp", sa.Integer, nullable=False),
    sa.Column("player", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=True),
    sa.Column("action", sa.Integer, nullable=False),
    sa.Column("decided_by", sa.String(16), nullable=False),
    sa.Column("payoff", sa.Float, nullable=False),
    sa.Column("terms", sa.Text, nullable=False, default="{}"),
    sa.UniqueConstraint("room_id", "round", "grp", "player", name="uq_outcome"),
)

sa.Index("ix_places_room_round", places.c.room_id, places.c.round)
sa.Index("ix_decisions_room_round", decisions.c.room_id, decisions.c.round)
sa.Index("ix_outcomes_room_round", outcomes.c.room_id, outcomes.c.round)
sa.Index("ix_participants_room", participants.c.room_id)

schema_version = sa.Table("schema_version", sa.MetaData(), sa.Column("version", sa.Integer, nullable=False))


def _v1(conn) -> None:
    """Version 1: rooms, participants, places, decisions, outcomes and their indexes."""
    metadata.create_all(conn)


#: Ordered migrations: (version it brings the schema to, function(connection)).
MIGRATIONS = ((1, _v1),)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def default_path() -> Path:
    """The default SQLite file: ``$XDG_DATA_HOME/dilemma/classroom.sqlite`` (``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "dilemma" / "classroom.sqlite"


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (argument, then ``$DILEMMA_DB``, then the default file).

    >>> resolve_url("/tmp/x.sqlite")
    'sqlite:////tmp/x.sqlite'
    >>> resolve_url("postgresql://u@h:5432/class")
    'postgresql+psycopg://u@h:5432/class'
    """
    raw = str(db) if db else os.environ.get(DB_ENV) or str(default_path())
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    if "://" in raw:
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


_ENGINES: dict[str, sa.Engine] = {}
_LOCK = threading.Lock()


def get_engine(url: str) -> sa.Engine:
    """One engine per URL and process, its schema migrated on first use."""
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _make_engine(url)
            migrate(engine)
            _ENGINES[url] = engine
        return engine


def _make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                                  pool_size=10, max_overflow=20)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None      # transactions are begun below, not by the driver
            cur = dbapi_conn.cursor()
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000", "foreign_keys=ON"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")

        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


_WRITE_LOCKS: dict[int, threading.Lock] = {}


@contextlib.contextmanager
def write(engine: sa.Engine):
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite): ``with write(engine) as conn: ...``.

    On SQLite the threads of one process also queue on a lock before they
    begin: SQLite's own busy handler makes a waiting writer sleep in growing
    steps (up to 100 ms), so under a burst of votes a thread could wait a
    second while the file was free; a lock hands the file over at once. Other
    processes still meet the busy timeout.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    lock = _WRITE_LOCKS.setdefault(id(engine), threading.Lock())
    with lock, engine.begin() as conn:
        yield conn


class read:
    """A read-only transaction: ``with read(engine) as conn: ...`` (never blocks SQLite writers)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def __enter__(self):
        self.conn = self.engine.connect().execution_options(readonly=True)
        self.conn.begin()
        return self.conn

    def __exit__(self, *exc):
        try:
            self.conn.rollback()
        finally:
            self.conn.close()
        return False


def migrate(engine: sa.Engine) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; return the version found before."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
        schema_version.create(conn, checkfirst=True)
        found = conn.execute(sa.select(schema_version.c.version)).scalar()
        if found is None:
            conn.execute(schema_version.insert().values(version=0))
            found = 0
        for version, step in MIGRATIONS:
            if version > found:
                step(conn)
                conn.execute(schema_version.update().values(version=version))
        return int(found)
