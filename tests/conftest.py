"""Shared fixtures for the test suite.

Streamlit keeps ``st.cache_data`` and ``st.cache_resource`` in module-level
storage that outlives an ``AppTest`` run, so one test's cached scenario or
analysis could hide a bug in the next. Every test therefore starts and ends
with empty caches. Streamlit is only touched if a test imported it, so the
package's own tests do not pay for importing it.

The helpers below read what an ``AppTest`` run put on screen: the Vega-Lite
charts with their data, and every piece of text a student would read.
"""

from __future__ import annotations

import io
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import _hypothesis_profile  # noqa: F401  (Hypothesis derandomized under CI=1 or HYPOTHESIS_PROFILE=ci)
from dilemma.lab.navigation import PAGES as _NAV_PAGES
from requires import unavailable

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
sys.path.insert(0, str(ROOT / "scripts"))      # screenshots.py: the lab server and Chromium helpers

def _page_key(page) -> str:
    return page.path.relative_to(ROOT).as_posix()


#: The lab's pages (from the one list in dilemma.lab.navigation): script path relative to
#: app.py -> url_path ("" for the default page).
PAGES = {_page_key(page): page.url_path for page in _NAV_PAGES}
#: Script path of the page served at "/".
DEFAULT_PAGE = next(k for k, v in PAGES.items() if v == "")


def page_file(name: str) -> str:
    """``"repeated.py"`` -> the page's key in :data:`PAGES` (its path relative to app.py)."""
    return next(k for k in PAGES if k.endswith("/" + name))


def _clear_streamlit_caches() -> None:
    if "streamlit" not in sys.modules:
        return
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def restore_main_module():
    """Put pytest's ``__main__`` back after every test.

    Streamlit's script runner installs the app script as ``sys.modules["__main__"]`` and an
    ``AppTest`` run leaves it there; a later test that starts processes with the *spawn*
    method (Dask's local cluster, multiprocessing) then re-runs the lab's ``app.py`` in
    every child, which hangs or fails.
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    """Empty Streamlit's data and resource caches before and after every test."""
    _clear_streamlit_caches()
    yield
    _clear_streamlit_caches()


@pytest.fixture
def app():
    """A factory for a fresh ``AppTest`` of ``app.py`` (not run yet).

    ``app(query={"punishment": "0"}, timeout=30)``; the timeout is generous
    because the first run imports pandas, Altair and the solvers.
    """
    from streamlit.testing.v1 import AppTest

    def make(query: dict[str, str] | None = None, timeout: float = 60):
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at

    return make


# ---- reading what the app shows ---------------------------------------------------


def charts_of(at) -> list[tuple[dict, dict[str, Any]]]:
    """Every Vega-Lite chart on screen as ``(spec, {dataset name: DataFrame})``.

    Streamlit moves an Altair chart's named datasets out of the spec into the
    element's ``datasets`` field as Arrow IPC bytes; inline ``data`` goes to
    ``data``. Both are decoded here (under the dataset's name, or ``""``).
    """
    import pyarrow as pa

    def frame(arrow_bytes: bytes):
        with pa.ipc.open_stream(io.BytesIO(arrow_bytes)) as reader:
            return reader.read_pandas()

    out = []
    for el in at.get("vega_lite_chart"):
        proto = el.proto
        spec = json.loads(proto.spec)
        data = {d.name: frame(d.data.data) for d in proto.datasets}
        if proto.HasField("data") and proto.data.data:
            data[""] = frame(proto.data.data)
        out.append((spec, data))
    return out


def metrics_of(at) -> dict[str, str]:
    """Metric label -> shown value."""
    return {m.label: m.value for m in at.metric}


_BAD_NUMBER = re.compile(r"(?<![A-Za-z])(nan|NaN|NAN|inf|Infinity|-inf)(?![A-Za-z])")


def texts_of(at) -> list[str]:
    """Every string a student reads on screen (main area and sidebar)."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "code", "text", "latex"):
        for el in getattr(at, kind):
            texts.append(str(el.value))
    for m in at.metric:
        texts.extend([m.label, m.value, str(m.proto.delta or "")])
    return texts


def _fields(node, tooltip=False, out=None):
    """Data fields a Vega-Lite spec encodes: ``{"shown": set, "tooltip": set}``."""
    out = out if out is not None else {"shown": set(), "tooltip": set()}
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "field" and isinstance(value, str):
                out["tooltip" if tooltip else "shown"].add(value)
            else:
                _fields(value, tooltip or key == "tooltip", out)
    elif isinstance(node, list):
        for item in node:
            _fields(item, tooltip, out)
    return out


def _nan_columns(df) -> list[str]:
    num = df.select_dtypes("number")
    return [c for c in num.columns if not num[c].map(lambda v: v is None or math.isfinite(float(v))).all()]


def bad_numbers_shown(at) -> list[str]:
    """Places where the app shows NaN or infinity: in text, metrics, tables or drawn chart data.

    Chart columns that only feed a tooltip are left to :func:`tooltip_nans`.
    """
    problems = []
    for text in texts_of(at):
        if _BAD_NUMBER.search(text):
            problems.append(f"text: {text[:160]!r}")
    for table in list(at.dataframe) + list(at.data_editor):
        df = table.value
        bad = _nan_columns(df)
        if bad:
            problems.append(f"table column(s) {bad} hold NaN/inf:\n{df[bad].to_string()[:400]}")
    for spec, data in charts_of(at):
        fields = _fields(spec)
        for name, df in data.items():
            bad = [c for c in _nan_columns(df) if c in fields["shown"] or c not in fields["tooltip"]]
            if bad:
                problems.append(f"chart data column(s) {bad} hold NaN/inf:\n{df[bad].to_string()[:400]}")
    return problems


def tooltip_nans(at) -> list[str]:
    """Chart columns shown only in tooltips that hold NaN (the tooltip then reads 'NaN')."""
    out = []
    for spec, data in charts_of(at):
        fields = _fields(spec)
        for df in data.values():
            out += [c for c in _nan_columns(df) if c in fields["tooltip"] and c not in fields["shown"]]
    return out


# ---- a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (which downloads nothing), for one test module."""
    from screenshots import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        unavailable("browser", f"{CHROMIUM} is not installed (bash scripts/install-browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("browser", "the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The lab (``streamlit run app.py``, the screenshot script's server helper) on a free
    port, for one test module; yields the URL."""
    from screenshots import lab_server

    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    try:
        with lab_server(log_path=log) as url:
            yield url
    except RuntimeError as exc:  # the server did not come up: say why
        pytest.fail(str(exc))
