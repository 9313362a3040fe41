"""Several Streamlit processes of the lab behind nginx: a lecture hall past one process.

One Streamlit process runs every session's script on one interpreter, so a class of
sixty queues behind it. :func:`serve` starts ``processes`` copies of the lab on loopback
ports and Debian's nginx in front of them (the configuration is
``dilemma/lab/deploy/nginx.conf``), with sticky sessions: each browser keeps reaching the
process that holds its WebSocket (see the comments in that file). The processes share
the classroom's database through ``DILEMMA_DB`` (PostgreSQL for several machines; one
SQLite file works for processes on one machine) and one cookie secret.

``dilemma serve --processes 2 --port 8080`` is the command; on several machines, run
``dilemma lab --server.address 0.0.0.0 --server.port P`` with the same ``DILEMMA_DB`` and
``STREAMLIT_SERVER_COOKIE_SECRET`` on each lab machine and ``dilemma serve --backends HOST:P,HOST:P``
on the proxy machine (docs/howto/serve-a-lecture-hall.md).

Nothing here imports Streamlit: the processes are started as ``python -m streamlit``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from dilemma.errors import DilemmaError

__all__ = ["NGINX_TEMPLATE", "render_nginx_conf", "find_nginx", "free_port", "parse_backends", "Served",
           "serve"]

#: The shipped nginx configuration (a template with ``${PREFIX}``, ``${LISTEN}``, ``${SERVERS}``).
NGINX_TEMPLATE = Path(__file__).resolve().parent / "deploy" / "nginx.conf"


def render_nginx_conf(prefix: str | Path, listen: str, servers: list[str]) -> str:
    """The nginx configuration for these back ends.

    Parameters
    ----------
    prefix : str or Path
        Folder for nginx's pid, logs and temporary files.
    listen : str
        ``HOST:PORT`` (or a port) nginx listens on.
    servers : list of str
        ``HOST:PORT`` of each Streamlit process.

    Examples
    --------
    >>> conf = render_nginx_conf("/tmp/x", "127.0.0.1:8080", ["127.0.0.1:8601", "127.0.0.1:8602"])
    >>> "listen 127.0.0.1:8080;" in conf, conf.count("server 127.0.0.1:860")
    (True, 2)
    >>> "hash $dilemma_route consistent;" in conf
    True
    """
    if not servers:
        raise DilemmaError("serve: at least one back end is needed")
    lines = "\n".join(f"        server {s} max_fails=0;" for s in servers)
    text = NGINX_TEMPLATE.read_text()
    for key, value in (("PREFIX", str(prefix)), ("LISTEN", listen), ("SERVERS", lines)):
        text = text.replace("${" + key + "}", value)     # nginx's own $variables stay as they are
    return text


def parse_backends(text: str) -> list[str]:
    """``"hostA:8501,hostB:8501"`` -> ``["hostA:8501", "hostB:8501"]``, checked.

    Examples
    --------
    >>> parse_backends("10.0.0.5:8501, 10.0.0.6:8501")
    ['10.0.0.5:8501', '10.0.0.6:8501']
    >>> parse_backends("nohost")
    Traceback (most recent call last):
    ...
    dilemma.errors.DilemmaError: --backends: expected HOST:PORT[,HOST:PORT...], got 'nohost'
    """
    out = []
    for item in (t.strip() for t in text.split(",")):
        host, sep, port = item.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise DilemmaError(f"--backends: expected HOST:PORT[,HOST:PORT...], got {item!r}")
        out.append(item)
    return out


def find_nginx() -> str:
    """Path of the nginx binary (``PATH`` or Debian's ``/usr/sbin/nginx``)."""
    for cand in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.access(cand, os.X_OK):
            return cand
    raise DilemmaError("serve: nginx not found; install Debian's nginx "
                       "(apt-get install nginx-light, or bash scripts/install-system.sh)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def _wait(url: str, procs: list[subprocess.Popen], timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        dead = [p for p in procs if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            tail = "\n".join(f"--- {log}\n" + log.read_text(errors="replace")[-1500:] for log in logs if log.exists())
            raise DilemmaError(f"serve: {what} did not answer {url}/_stcore/health"
                               f"{' (a process exited)' if dead else f' within {timeout:.0f} s'}:\n{tail}")
        time.sleep(0.2)


@dataclass
class Served:
    """What :func:`serve` started: the proxy URL, the back ends, the processes."""

    url: str
    backends: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    prefix: Path | None = None


@contextlib.contextmanager
def serve(processes: int = 2, port: int | None = None, address: str = "127.0.0.1", db: str | None = None,
          backends: list[str] | None = None, app: str | Path | None = None, cwd: str | Path | None = None,
          streamlit_args: list[str] = (), timeout: float = 120.0):
    """Start ``processes`` lab processes and nginx in front; yield a :class:`Served`; stop all after.

    Parameters
    ----------
    processes : int
        Streamlit processes to start on loopback (ignored with ``backends``); 1 to 32.
    port : int, optional
        nginx's port (a free one if None).
    address : str
        nginx's listen address (``0.0.0.0`` for a class on the network).
    db : str, optional
        Classroom database URL passed to every process as ``DILEMMA_DB``.
    backends : list of str, optional
        Existing lab processes (``HOST:PORT``) to proxy instead of starting local ones.
    app : path, optional
        Entry script (default: the packaged lab; benchmarks pass a snapshot's ``app.py``).
    cwd : path, optional
        Working folder of the processes (Streamlit reads ``.streamlit/config.toml`` there).
    streamlit_args : list of str
        More ``streamlit run`` flags for every process.
    """
    if not backends and not 1 <= processes <= 32:
        raise DilemmaError(f"--processes: must be between 1 and 32, got {processes}")
    nginx = find_nginx()
    from dilemma.cli.lab import LAB_DEFAULTS, app_path

    prefix = Path(tempfile.mkdtemp(prefix="dilemma-serve-"))
    os.chmod(prefix, 0o755)
    started: list[subprocess.Popen] = []
    logs: list[Path] = []
    env = {**LAB_DEFAULTS, **os.environ}
    if db:
        env["DILEMMA_DB"] = db
    # one cookie secret for all processes (Streamlit takes it from the environment only)
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(16))
    try:
        if not backends:
            backends = []
            for k in range(processes):
                bport = free_port()
                log = prefix / f"lab-{k}.log"
                logs.append(log)
                cmd = [sys.executable, "-m", "streamlit", "run", str(app or app_path()),
                       "--server.port", str(bport), "--server.address", "127.0.0.1",
                       "--server.headless", "true",
                       "--browser.gatherUsageStats", "false", *streamlit_args]
                with open(log, "wb") as fh:
                    started.append(subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env,
                                                    cwd=cwd, start_new_session=True))
                backends.append(f"127.0.0.1:{bport}")
            for b in backends:
                _wait(f"http://{b}", started, timeout, f"the lab process at {b}", logs)
        port = port or free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(render_nginx_conf(prefix, f"{address}:{port}", backends))
        nlog = prefix / "error.log"
        logs.append(nlog)
        with open(prefix / "nginx.out", "wb") as out:     # the child keeps its own copy of the handle
            started.append(subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf)],
                                            stdout=subprocess.DEVNULL, stderr=out, start_new_session=True))
        logs.append(prefix / "nginx.out")
        host = "127.0.0.1" if address in ("0.0.0.0", "::", "") else address
        url = f"http://{host}:{port}"
        _wait(url, started, 30, "nginx", logs)
        yield Served(url=url, backends=list(backends), processes=started, prefix=prefix)
    finally:
        for p in reversed(started):
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)
        for p in started:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        shutil.rmtree(prefix, ignore_errors=True)
