"""What the classroom pages share: the store, the join link, the cookie, small formatters.

Streamlit-side only (the package :mod:`dilemma.classroom` never imports
Streamlit). The store is one :class:`~dilemma.classroom.Classroom` per server
process (``st.cache_resource``) on ``$DILEMMA_DB`` or the default SQLite file.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import streamlit as st

__all__ = ["POLL_STUDENT", "POLL_PROJECTOR", "get_store", "cookie_name", "set_cookie_script", "escape_md",
           "money", "term_label", "base_url", "lecturer_key_default"]

#: Seconds between two polls of the database by a student's page and by the projector.
POLL_STUDENT = 3
#: The projector polls every second (one session, a cheap count query): with a 2 s poll the
#: last vote reached the screen up to 2 s late (bench_classroom: p95 1.4-1.8 s).
POLL_PROJECTOR = 1


@st.cache_resource(show_spinner=False)
def _store(url: str | None):
    from dilemma.classroom.store import Classroom

    return Classroom(url)


def get_store():
    """The classroom store on ``$DILEMMA_DB`` (or the default file), one per process."""
    from dilemma.classroom.db import DB_ENV

    return _store(os.environ.get(DB_ENV))


def cookie_name(code: str) -> str:
    return f"dilemma_seat_{code}"


def set_cookie_script(code: str, token: str) -> None:
    """Store the seat token in a cookie of the app's page (``st.html`` running one line of our own JavaScript)."""
    import json

    value = json.dumps(f"{cookie_name(code)}={token}; path=/; max-age=43200; SameSite=Lax")
    st.html(f"<script>document.cookie = {value};</script>", unsafe_allow_javascript=True)


_MD = set("\\`*_{}[]()#+-.!|~<>$")


def escape_md(text: str) -> str:
    """``text`` shown literally in ``st.markdown`` (labels, firm names): markdown and HTML escaped."""
    return "".join("\\" + c if c in _MD else c for c in str(text))


from dilemma.format import money  # noqa: E402,F401  the one formatter ("about $0", "n/a" are its rules)


def term_label(key: str) -> str:
    from dilemma.payoffs import TERM_LABELS

    return TERM_LABELS.get(key, key.replace("_", " ").capitalize())


def base_url() -> str:
    """Host of the join link: ``$DILEMMA_BASE_URL``, else the address this browser used, else localhost."""
    from dilemma.cli.classroom import BASE_URL_ENV, DEFAULT_BASE_URL

    if os.environ.get(BASE_URL_ENV):
        return os.environ[BASE_URL_ENV]
    url = st.context.url
    if url:
        u = urlparse(url)
        if u.scheme and u.netloc:
            return f"{u.scheme}://{u.netloc}"
    return DEFAULT_BASE_URL


def lecturer_key_default() -> str | None:
    """The lecturer key from ``$DILEMMA_LECTURER_KEY`` or Streamlit secrets, if set."""
    from dilemma.classroom.store import LECTURER_KEY_ENV

    if os.environ.get(LECTURER_KEY_ENV):
        return os.environ[LECTURER_KEY_ENV]
    try:
        return st.secrets.get(LECTURER_KEY_ENV)
    except Exception:   # no secrets file: Streamlit raises FileNotFoundError or its own error
        return None
