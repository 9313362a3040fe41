"""``dilemma lab``: start the Streamlit lab from the installed package.

The lab's entry script ships inside the package (``dilemma/lab/entry/app.py``), so
``pip install dilemma`` then ``dilemma lab`` works anywhere, not only in a
checkout. Arguments after ``lab`` go to ``streamlit run`` unchanged, e.g.
``dilemma lab --server.port 8600 --server.headless true``.

The command replaces itself with ``python -m streamlit run <app> ...``
(``os.execv`` where available), so Ctrl-C and signals reach Streamlit
directly. Streamlit is imported only by that child process.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["register", "cmd_lab", "app_path", "streamlit_command", "LAB_DEFAULTS"]

#: The lab's Streamlit settings (the checkout's ``.streamlit/config.toml`` holds the same),
#: passed as ``STREAMLIT_*`` environment variables so an installed lab started from any
#: folder behaves alike. A variable already set, or a ``--section.option`` flag (flags
#: outrank the environment in Streamlit), wins.
LAB_DEFAULTS = {
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    "STREAMLIT_SERVER_RUN_ON_SAVE": "false",
    "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "1",
    "STREAMLIT_RUNNER_FAST_RERUNS": "true",
    "STREAMLIT_RUNNER_MAGIC_ENABLED": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "type",
    "STREAMLIT_CLIENT_TOOLBAR_MODE": "minimal",
    "STREAMLIT_THEME_BASE": "light",
}


def app_path() -> Path:
    """Path of the lab's entry script inside the installed package.

    Examples
    --------
    >>> app_path().name
    'app.py'
    >>> app_path().parent.parent.name     # not beside lab/pages/ (Streamlit would run those as v1 pages)
    'lab'
    """
    return Path(__file__).resolve().parent.parent / "lab" / "entry" / "app.py"


def streamlit_command(extra: list[str]) -> list[str]:
    """The ``streamlit run`` command line that :func:`cmd_lab` executes.

    Parameters
    ----------
    extra : list of str
        Arguments passed on to ``streamlit run`` (``--server.port 8600``, ...).

    Examples
    --------
    >>> cmd = streamlit_command(["--server.port", "8600"])
    >>> cmd[1:4], cmd[-2:]
    (['-m', 'streamlit', 'run'], ['--server.port', '8600'])
    """
    return [sys.executable, "-m", "streamlit", "run", str(app_path()), *extra]


def register(subparsers) -> None:
    """Add ``lab`` to an argparse sub-parsers object.

    Every argument after ``lab``, ``--help`` included, is kept for
    ``streamlit run`` in ``args.streamlit_args``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers()`` returned (:func:`dilemma.cli.build_parser`
        passes its own).

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="dilemma")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["lab", "--server.port", "8600"])
    >>> args.streamlit_args, args.func is cmd_lab
    (['--server.port', '8600'], True)
    """
    p = subparsers.add_parser(
        "lab",
        help="start the Streamlit lab in your browser",
        description=(
            "Start the lab (the Streamlit app) from the installed package. Any further "
            "arguments go to 'streamlit run', e.g. 'dilemma lab --server.port 8600'."
        ),
        prefix_chars="\0",        # everything after 'lab' is Streamlit's, '--help' included
        add_help=False,
    )
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, metavar="STREAMLIT_ARGS")
    p.set_defaults(func=cmd_lab)


def cmd_lab(args) -> int:
    """Replace this process with ``streamlit run`` on the packaged lab.

    Sets the :data:`LAB_DEFAULTS` environment variables that are not set yet,
    then ``os.execv`` s the command of :func:`streamlit_command`; it returns
    only for ``--help`` (or where ``exec`` is missing).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``dilemma lab`` arguments; ``args.streamlit_args`` go to Streamlit.

    Returns
    -------
    int
        Exit status: 0 after ``--help``.

    Raises
    ------
    dilemma.errors.DilemmaError
        If Streamlit is not installed, or the lab's script is missing from the package.

    Examples
    --------
    Only ``--help`` returns; any other call starts Streamlit in this process.

    >>> import argparse
    >>> cmd_lab(argparse.Namespace(streamlit_args=["--help"]))  # doctest: +ELLIPSIS
    The lab's entry script ships inside the package ...
    usage: dilemma lab [STREAMLIT_ARGS ...]   (see 'streamlit run --help')
    0
    """
    from dilemma.errors import DilemmaError

    extra = list(args.streamlit_args)
    if extra[:1] in (["-h"], ["--help"]):
        print(__doc__.split("\n\n")[1].replace("\n", " "))
        print("usage: dilemma lab [STREAMLIT_ARGS ...]   (see 'streamlit run --help')")
        return 0
    if not app_path().is_file():  # pragma: no cover - a broken install
        raise DilemmaError(f"the lab's script is missing from the installed package: {app_path()}")
    import importlib.util

    if importlib.util.find_spec("streamlit") is None:
        raise DilemmaError("the lab needs Streamlit: pip install streamlit")
    cmd = streamlit_command(extra)
    for key, value in LAB_DEFAULTS.items():
        os.environ.setdefault(key, value)
    sys.stdout.flush()
    if hasattr(os, "execv"):
        os.execv(cmd[0], cmd)
    import subprocess  # pragma: no cover - platforms without exec

    return subprocess.call(cmd)  # pragma: no cover
