"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temporary directory.

The fixture :func:`postgres_url` starts Debian's PostgreSQL binaries
(``/usr/lib/postgresql/<version>/bin``, or ``$DILEMMA_PG_BIN``) on a free
loopback port with trust authentication and ``fsync=off`` (a test server),
yields a ``postgresql://`` URL, and stops and deletes the server afterwards.
PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` system user (``runuser -u postgres``), in a directory it owns.

Without the binaries the tests that use it are skipped with the reason,
unless ``DILEMMA_REQUIRE_POSTGRES=1``: then they fail, so CI cannot pass by
skipping.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from dilemma.lab.serve import free_port
from requires import unavailable

__all__ = ["postgres_url", "pg_bin"]


def pg_bin() -> str | None:
    """Folder of ``initdb`` and ``pg_ctl``, newest version first; None if absent."""
    env = os.environ.get("DILEMMA_PG_BIN")
    if env:
        return env if os.path.exists(os.path.join(env, "initdb")) else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0)
    return os.path.dirname(found[-1]) if found else None


@pytest.fixture(scope="session")
def postgres_url():
    """URL of a fresh PostgreSQL server for this test session (see the module docstring)."""
    bindir = pg_bin()
    if bindir is None:
        unavailable("postgres", "PostgreSQL server binaries not found (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401  (the postgres extra)
    except ImportError:
        unavailable("postgres", "psycopg is not installed (pip install -e '.[postgres]')")
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        unavailable("postgres", "running as root without runuser: cannot start PostgreSQL as another user")
    base = tempfile.mkdtemp(prefix="dilemma-pg-")
    data, log, sock = os.path.join(base, "data"), os.path.join(base, "server.log"), base
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres", "postgres")
        os.chmod(base, 0o700)
    port = free_port()

    def run(*cmd):
        return subprocess.run([*prefix, *cmd], check=True, capture_output=True, text=True, timeout=120)

    try:
        run(os.path.join(bindir, "initdb"), "-D", data, "-U", "dilemma", "--auth=trust", "-E", "UTF8",
            "--no-sync")
        run(os.path.join(bindir, "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60", "-o",
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start")
    except subprocess.CalledProcessError as exc:
        text = open(log).read()[-2000:] if os.path.exists(log) else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr or exc.stdout}\n{text}")
    url = f"postgresql://dilemma@127.0.0.1:{port}/postgres"
    try:
        yield url
    finally:
        subprocess.run([*prefix, os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        time.sleep(0.2)
        shutil.rmtree(base, ignore_errors=True)
