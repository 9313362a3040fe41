"""What every page of the lab shares: the scenario in the sidebar, its URL, the caches.

Thin by design: the sidebar collects inputs into a :class:`dilemma.Scenario`,
the cached wrappers call the package, and the pages render. Slider ranges,
labels, units and defaults come from :mod:`dilemma.parameters` through
:mod:`dilemma.lab.state`; nothing here computes a payoff.

URL state: every parameter slider has a query parameter (the key is the
parameter's short name, with ``_pct`` for a percent parameter in percent:
``punishment_pct=0.9``), so a copied link opens the same settings. A bare key
is read in model units (``punishment=0.009``, as in TOML and the CLI) and
rewritten. On the first run of a link every value is checked once
(:func:`_check_link`): each one the lab has to ignore or keep at the preset's
value gets one notice. Only values that differ from the preset appear in the URL.

The sliders' part of the URL is kept by hand, not by ``bind="query-params"``:
a sidebar section's sliders are drawn only while the section is open (a rerun
with all 29 sliders cost about a quarter more server CPU; sixty students move
sliders at once), and Streamlit 1.67 removes a bound widget's parameter from
the URL on a run that does not draw it. So the sliders keep their values in
session state (``persist_state="session"``), the link is read into session
state on a session's first run, and every run writes
:func:`dilemma.lab.state.slider_query` back. Firm-table edits are written as
``Firm.field`` query parameters by hand in the same way (a table cannot be bound).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dilemma import DilemmaError, ScenarioError
from dilemma.lab.state import (
    DEFAULT_PRESET,
    OPEN_SECTIONS,
    SETTINGS,
    PRESENTER_PARAMS,
    TABLE_FIELDS,
    decode_query,
    display_value,
    format_number,
    sections_to_open,
    slider_query,
    slider_spec,
    stored_value,
    url_key,
)
from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS, SECTIONS, param
from dilemma.scenario import Scenario, list_presets, load_scenario, preset_path

SECTION_TITLES = {
    "market": "Market: how a cut is read",
    "demand": "Demand: the AI profit pool",
    "finance": "Finance: paying for capex",
    "risk": "Risk: the bubble",
    "dynamics": "Years ahead (repeated play)",
}
UPLOADED = "uploaded"
_FIRM_KEYS = {f.path for f in FIRM_FIELDS}


@dataclass(frozen=True)
class Lab:
    """The state every page reads."""

    preset: str
    base: object          # the scenario as loaded
    scenario: object      # with the sidebar and table changes
    presenter: bool
    key: str = ""         # scenario_key(scenario): the key of everything one setting fixes (see memo)


def scenario_options() -> list[str]:
    """Preset names, then the textbook games (``games/...``), then an uploaded file if any."""
    opts = list(_preset_labels())
    if st.session_state.get("uploaded_scenario") is not None:
        opts.append(UPLOADED)
    return opts


def option_label(name: str) -> str:
    if name == UPLOADED:
        s = st.session_state.get("uploaded_scenario")
        return f"Uploaded: {s.title}" if s is not None else "Uploaded file"
    return _title(name)


@st.cache_resource(show_spinner=False)
def _preset_labels() -> dict[str, str]:
    """Every preset and textbook game (package data: fixed while the lab runs) -> its label, in menu order."""
    return {name: _title(name) for name in list_presets(games=True)}


def _option_labels(options: list[str]) -> dict[str, str]:
    """Labels of the scenario menu: one dict lookup per option and rerun (a cached call per option cost ~2 ms)."""
    labels = _preset_labels()
    return {**labels, UPLOADED: option_label(UPLOADED)} if UPLOADED in options else labels


@st.cache_resource(show_spinner=False)  # a str: no copy needed (cache_data unpickles one per call)
def _title(name: str) -> str:
    s = _load(name)
    prefix = "Textbook: " if name.startswith("games/") else ""
    return prefix + s.title


@st.cache_resource(show_spinner=False)
def _load_cached(name: str):
    return load_scenario(preset_path(name))


def _load(name: str):
    if name == UPLOADED:
        return st.session_state["uploaded_scenario"]
    return _load_cached(name)


# ---- cached calls into the package ---------------------------------------------


def scenario_key(scenario: Scenario) -> str:
    """A cheap, exact cache key of a scenario: its ``repr`` (every field; floats in full).

    Streamlit's own hashing of a frozen dataclass walks it field by field
    (``dataclasses.asdict`` and a hash per value): about 3 ms a call, several
    calls a rerun. ``repr`` takes some 50 µs, and two scenarios with one
    ``repr`` are equal, so a key never mixes two settings up. Use as
    ``hash_funcs=SCENARIO_HASH`` on a cached wrapper that takes a Scenario.
    """
    return repr(scenario)


#: ``hash_funcs`` for ``st.cache_data`` / ``st.cache_resource`` wrappers taking a Scenario.
SCENARIO_HASH = {Scenario: scenario_key}


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs=SCENARIO_HASH)
def game_of(scenario):
    """The scenario's Game (cached; Game objects are immutable)."""
    return scenario.build_game()


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs=SCENARIO_HASH)
def analysis_of(scenario):
    """:func:`dilemma.analysis.analyse` of the scenario (cached)."""
    from dilemma.analysis import analyse

    return analyse(game_of(scenario), scenario=scenario)


# ---- the sidebar -----------------------------------------------------------------


def _reset_widgets(base) -> None:
    """Point every parameter slider at the values of ``base`` and clear table edits."""
    if base.kind == "model":
        for p in MARKET_PARAMS:
            st.session_state[url_key(p)] = display_value(p, base.values[p.path])
    for key in ("firms", "firm", "profile"):  # page widgets whose options depend on the firms
        st.session_state.pop(key, None)
    st.session_state["firm_values"] = {}
    for key in list(st.query_params.keys()):
        if "." in key and key.rsplit(".", 1)[1] in _FIRM_KEYS:
            del st.query_params[key]


def _on_preset_change() -> None:
    _reset_widgets(_load(st.session_state["preset"]))


def select_scenario(name: str) -> None:
    """Switch the sidebar to scenario ``name`` (call from a widget callback, before the sidebar draws)."""
    st.session_state["preset"] = name
    _reset_widgets(_load(name))


def _on_reset() -> None:
    _reset_widgets(_load(st.session_state.get("preset", DEFAULT_PRESET)))


def _firm_updates(base) -> dict[str, float]:
    """Firm values that differ from the preset: the link's, then this session's table edits.

    Edits are folded into ``st.session_state["firm_values"]`` on every run, so they
    outlive the table (it is drawn only while its expander is open, and only on page 1).
    """
    if base.kind != "model":
        return {}
    if "firm_values" not in st.session_state:
        # first run of a (possibly shared) link: read Firm.field keys from the URL
        query = {k: v for k, v in st.query_params.items() if "." in k}
        decoded = decode_query(query, presets=[DEFAULT_PRESET], load=lambda _name: base)
        st.session_state["firm_values"] = {k: v for k, v in decoded.updates.items() if k.startswith("players.")}
        _notices().extend(decoded.problems)
    store = st.session_state["firm_values"]
    names = list(base.player_names)
    edits = (st.session_state.get("firms") or {}).get("edited_rows", {})
    for row, change in edits.items():
        name = names[int(row)]
        for field_name, value in change.items():
            if field_name in _FIRM_KEYS and value is not None:
                store[f"players.{name}.{field_name}"] = float(value)
    return dict(store)


def _sync_firm_query(base, updates: dict[str, float]) -> None:
    wanted = {}
    for path, value in updates.items():
        _, firm, fld = path.split(".")
        if abs(value - getattr(next(p for p in base.players if p.name == firm), fld)) > 1e-9:
            wanted[f"{firm}.{fld}"] = format_number(value)
    for key in list(st.query_params.keys()):
        if "." in key and key.rsplit(".", 1)[1] in _FIRM_KEYS and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


#: Query keys a page checks itself (choices that depend on the page: strategies, axes ...).
_PAGE_CHECKED = {"preset", "firm", "profile", "x", "y", "color", "strat", "engine", "mutant", "resident", "pool",
                 "step"}  # step: years on Repeated play, the step on the tour; each page reads it


def _notices() -> list:
    """Problems with the link found this run (each shown once, as one warning)."""
    return st.session_state.setdefault("_link_notices", [])


def _check_link(base) -> None:
    """First run of a session: one notice for every value of the link the lab ignores or keeps.

    Streamlit's bound widgets drop a value they cannot read (``?punishment_pct=abc``,
    ``?present=yes``) or that is out of range (``=99``) without a word; this reads the
    link with :func:`dilemma.lab.state.decode_query` before the widgets do. A bare
    percent key is in model units (``punishment=0.009``): it is converted to the
    slider's percent and the link rewritten as ``punishment_pct=0.9``.
    """
    if st.session_state.get("_link_checked"):
        return
    st.session_state["_link_checked"] = True
    query = {k: v for k, v in st.query_params.items()
             if k not in _PAGE_CHECKED and "." not in k and (k in SETTINGS or k in _URL_KEYS or k in _BARE_PCT)}
    if not query or base.kind != "model" and not any(k in SETTINGS for k in query):
        return
    decoded = decode_query(query, presets=[DEFAULT_PRESET], load=lambda _name: base)
    _notices().extend(decoded.problems)
    for path, value in decoded.updates.items():   # the sliders read their values from here (not bound)
        p = param(path)
        st.session_state[url_key(p)] = display_value(p, value)
    st.session_state["_open_sections"] = set(OPEN_SECTIONS) | sections_to_open(decoded.updates)
    for key in query:
        p = _BARE_PCT.get(key)
        if p is None:
            continue
        del st.query_params[key]
        if p.path in decoded.updates:
            shown = display_value(p, decoded.updates[p.path])
            st.session_state[url_key(p)] = shown
            st.query_params[url_key(p)] = format_number(shown)
            st.session_state.setdefault("_link_info", []).append(
                f"{p.label}: the link's {key}={query[key]} is a fraction (as in TOML files and the CLI), "
                f"so the slider shows {format_number(shown)} %; the link now says {url_key(p)}={format_number(shown)}.")


def _show_notices() -> None:
    """The link's notices, in the main area where the student looks (once)."""
    notes = st.session_state.pop("_link_notices", [])
    if notes:
        st.warning("**Part of the link was not used:**\n" + "\n".join(f"- {n}" for n in notes))
    info = st.session_state.pop("_link_info", [])
    if info:
        st.info("\n".join(f"- {n}" for n in info))


_URL_KEYS = {url_key(p) for p in MARKET_PARAMS}
_BARE_PCT = {p.key: p for p in MARKET_PARAMS if p.percent}


def _param_sliders(base, presenter: bool) -> dict[str, float]:
    """The parameter sliders, one expander per section; returns every value in effect (model units).

    A section's sliders run only while it is open (``on_change="rerun"``
    makes the expander report ``.open``); a slider not drawn keeps its value
    (``persist_state="session"``), and so does its part of the link
    (:func:`_sync_slider_query`). In presenter mode only
    :data:`~dilemma.lab.state.PRESENTER_PARAMS` are drawn; the others keep their values.
    """
    opened = st.session_state.setdefault("_open_sections", set(OPEN_SECTIONS))
    values: dict[str, float] = {}
    for section in SECTIONS:
        params = [p for p in MARKET_PARAMS if p.section == section
                  and (not presenter or p.path in PRESENTER_PARAMS)]
        if not params:
            continue
        box = st.expander(SECTION_TITLES[section], expanded=section in opened, key=f"open_{section}",
                          on_change="rerun")
        if not box.open:
            continue
        with box:
            for p in params:
                spec = slider_spec(p)
                shown = st.slider(spec.label, min_value=spec.low, max_value=spec.high,
                                  value=display_value(p, base.values[p.path]), step=spec.step,
                                  format=spec.format, help=spec.help, key=url_key(p), persist_state="session")
                values[p.path] = stored_value(p, shown)
    for p in MARKET_PARAMS:  # sliders not drawn this run: the value they last had (or the link's)
        if p.path not in values:
            shown = st.session_state.get(url_key(p))
            values[p.path] = stored_value(p, shown) if shown is not None else base.values[p.path]
    return values


def _sync_slider_query(base, values: dict[str, float] | None) -> None:
    """Write the sliders' values that differ from the preset into the URL; remove the others."""
    now = st.query_params.to_dict()
    for key, text in slider_query(base.values if base.kind == "model" else None, values or {}).items():
        if now.get(key) != text:
            write_query(key, text)


def sidebar() -> Lab:
    """Draw the sidebar (scenario, presenter mode, parameters) and return the lab state."""
    options = scenario_options()
    st.markdown(_BASE_CSS, unsafe_allow_html=True)
    with st.sidebar:
        st.markdown("### Scenario")
        if "preset" not in st.session_state or st.session_state["preset"] not in options:
            # first run of a link: the preset comes from ?preset=NAME (set by hand: a bound selectbox
            # would put the long label in the URL)
            wanted = st.query_params.get("preset", DEFAULT_PRESET)
            if wanted not in options:
                st.warning(f"Ignored part of the link: there is no scenario {wanted!r}; showing the baseline.")
                wanted = DEFAULT_PRESET
            st.session_state["preset"] = wanted
        preset = st.selectbox(
            "Scenario", options, format_func=_option_labels(options).__getitem__, key="preset",
            on_change=_on_preset_change,
            help="A preset grounded in 2025 public figures, a textbook game, or a file you uploaded "
                 "on the Scenario page.", label_visibility="collapsed",
        )
        if preset in (DEFAULT_PRESET, UPLOADED):  # an uploaded file cannot travel in a link
            if "preset" in st.query_params:
                del st.query_params["preset"]
        elif st.query_params.get("preset") != preset:
            st.query_params["preset"] = preset
        base = _load(preset)
        _check_link(base)  # before the bound widgets read (and silently drop) the link's values
        presenter = st.toggle("Presenter mode", key="present", bind="query-params",
                              help="For a projector: everything larger (type, charts, tables, sidebar); "
                                   "advanced controls hidden; repeated play advances one year per click.")
        if base.description:
            st.caption(base.description)
        updates: dict[str, float] = {}
        values = None
        if base.kind == "model":
            st.button("Reset to the preset's values", on_click=_on_reset, width="stretch")
            values = _param_sliders(base, presenter)
            updates = {path: v for path, v in values.items() if abs(v - base.values[path]) > 1e-12}
        else:
            st.info("An explicit game: its payoffs are given outcome by outcome, so there are no model "
                    "sliders. Pick a model preset to move parameters.")
    firm_updates = _firm_updates(base)
    _show_notices()
    scenario = base
    try:
        scenario = base.with_values({**updates, **firm_updates}) if (updates or firm_updates) else base
    except ScenarioError as exc:
        st.error(f"These settings are not valid, so the preset's values are shown: {exc}")
    _sync_slider_query(base, values)
    if base.kind == "model":
        _sync_firm_query(base, firm_updates)
    if presenter:
        st.markdown(_PRESENTER_CSS, unsafe_allow_html=True)
    return Lab(preset=preset, base=base, scenario=scenario, presenter=presenter, key=scenario_key(scenario))


#: Always on: metric labels wrap instead of being cut off ("Gain if all cut instead of all …").
_BASE_CSS = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricLabel"] { height: auto !important; min-height: 1.5rem; }
</style>
"""

#: Presenter mode: everything a projector shows scales, the sidebar too (charts are scaled in their
#: specs by :func:`dilemma.charts.scale_spec`, tables by their ``scale``).
PRESENTER_SCALE = 1.45
_PRESENTER_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.4rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] div,
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3rem; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
[data-testid="stMain"] h1 { font-size: 3rem !important; }
[data-testid="stMain"] h2 { font-size: 2.3rem !important; }
[data-testid="stMain"] h3 { font-size: 1.9rem !important; }
[data-testid="stMain"] label p, [data-testid="stMain"] [data-baseweb="select"],
[data-testid="stMain"] [data-baseweb="select"] div { font-size: 1.25rem !important; }
[data-testid="stSidebar"] { min-width: 430px !important; }
[data-testid="stSidebar"] p, [data-testid="stSidebar"] label p, [data-testid="stSidebar"] h3,
[data-testid="stSidebar"] [data-testid="stMarkdownContainer"] { font-size: 1.25rem !important; }
[data-testid="stSidebar"] [data-testid="stSliderThumbValue"],
[data-testid="stSidebar"] [data-testid="stSliderTickBarMin"],
[data-testid="stSidebar"] [data-testid="stSliderTickBarMax"] { font-size: 1.1rem !important; }
[data-testid="stMain"] [data-testid="stTable"] table,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] table:not([style]) { font-size: 1.3rem; }
[data-testid="stSidebar"] [data-baseweb="select"], [data-testid="stSidebar"] [data-baseweb="select"] div
  { font-size: 1.15rem !important; }
[data-testid="stMain"] button p { font-size: 1.2rem !important; }
</style>
"""


def firm_table(lab: Lab) -> None:
    """The editable firm table ($B); edits flow into the scenario on the next rerun."""
    base = lab.base
    if base.kind != "model":
        return
    import pandas as pd

    start = {p.name: p.to_dict() for p in base.players}
    for path, value in st.session_state.get("firm_values", {}).items():
        _, firm, fld = path.split(".")
        start[firm][fld] = value
    frame = pd.DataFrame([{"firm": n, **{f: start[n][f] for f in TABLE_FIELDS}} for n in base.player_names])
    config = {"firm": st.column_config.TextColumn("Firm", disabled=True)}
    for f in FIRM_FIELDS:
        if f.path in TABLE_FIELDS:
            config[f.path] = st.column_config.NumberColumn(
                f"{f.label} ({f.unit})", help=f.help, min_value=f.low, max_value=f.high, format="%.1f")
    st.data_editor(frame, key="firms", column_config=config, hide_index=True, width="stretch")


# ---- charts --------------------------------------------------------------------------


class _Memo:
    """A bounded, thread-safe map from a hashable key to a value built once (least recently used goes first)."""

    def __init__(self, max_entries: int):
        import threading
        from collections import OrderedDict

        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two sessions may both build a new value once; the last one stays
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        return value


@st.cache_resource(show_spinner=False)
def _memos() -> dict[str, _Memo]:
    """The process's memos, by kind (held by Streamlit's resource cache, so clearing that cache clears them)."""
    return {}


def memo(kind: str, key, make, max_entries: int = 2048):
    """``make()`` once per ``key`` for every session; later calls return the same object (never change it).

    For what one setting fixes: a chart's spec or dataset, a table's text. In a
    class, students move sliders to the same positions, so most reruns find the
    value built. Streamlit's own caches hash a call's arguments with their own
    hasher (0.1-0.3 ms a call, several calls a rerun); here the key is hashed by
    Python (a few µs). ``key`` must hold everything the value depends on (for a
    setting: :attr:`Lab.key`).
    """
    memos = _memos()
    box = memos.get(kind)
    if box is None:
        box = memos.setdefault(kind, _Memo(max_entries))
    return box.get(key, make)


def _chart_spec(key, build):
    """The Vega-Lite spec of a chart, built once per key for every session."""
    return memo("spec", key, lambda: _legends_below(build().to_dict(validate=False)),
                4096)  # builders: tests/test_charts*.py


def _presenting() -> bool:
    lab = st.session_state.get("lab")
    return bool(getattr(lab, "presenter", False))


def _scaled(spec: dict, width="stretch") -> dict:
    """The spec as the lab draws it: larger in presenter mode; a stretched chart fits its width only.

    Streamlit stretches a chart with ``autosize: fit``, which squeezes the title, legend and
    axes into the spec's height: a 170 px panel with a legend on top was left with a 20 px plot.
    ``fit-x`` stretches the width and keeps the height for the plot.
    """
    if _presenting():
        from dilemma.charts import scale_spec

        spec = scale_spec(spec, PRESENTER_SCALE)
    if width == "stretch" and "facet" not in spec and "autosize" not in spec:
        spec = {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}
    return spec


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")


def _legends_below(spec):
    """The spec with every legend that does not say where it goes put under the plot
    (names in two columns). Beside the plot, the default, a legend took most of a
    phone's 390 px and left the plot a few pixels wide; under it, the plot keeps the
    width on every screen. Applied once, where a spec is built (cached specs are
    not walked again on every rerun)."""
    if isinstance(spec, list):
        return [_legends_below(v) for v in spec]
    if not isinstance(spec, dict):
        return spec
    out = {k: _legends_below(v) for k, v in spec.items() if k not in ("data", "datasets")}
    for k in ("data", "datasets"):
        if k in spec:
            out[k] = spec[k]
    enc = out.get("encoding")
    if isinstance(enc, dict):
        enc = dict(enc)
        for ch in _LEGEND_CHANNELS:
            c = enc.get(ch)
            if not isinstance(c, dict) or c.get("legend", {}) is None or "orient" in (c.get("legend") or {}):
                continue
            legend = {**(c.get("legend") or {}), "orient": "bottom"}
            if c.get("type") not in ("quantitative", "temporal"):  # symbols, not a gradient
                legend.setdefault("columns", 2)
            else:  # a gradient no longer than a phone's plot is wide (Vega's default: 200 px)
                legend.setdefault("gradientLength", 150)
            enc[ch] = {**c, "legend": legend}
        out["encoding"] = enc
    return out


def table_scale() -> float:
    """Type and width factor of the HTML tables (:mod:`dilemma.tables`): larger on a projector."""
    return PRESENTER_SCALE if _presenting() else 1.0


def altair(chart, width="stretch") -> None:
    """Render an Altair chart built on this run (not cached), scaled up in presenter mode."""
    import altair as alt

    with alt.data_transformers.disable_max_rows():  # as st.altair_chart: long ecologies exceed 5,000 rows
        spec = chart.to_dict(validate=False)
    st.vega_lite_chart(_scaled(_legends_below(spec), width), width=width)


def small_multiples(key: tuple, players, build_one, frame, per_row: int = 3, column: str = "player",
                    data_key: tuple | None = None) -> None:
    """One chart per firm in responsive columns (a phone stacks them; no empty sixth panel).

    ``build_one(rows)`` draws one firm's rows of ``frame`` (a chart without a
    fixed width); the spec is built once per ``key`` and firm, then refilled
    with each setting's numbers (:func:`dilemma.charts.with_data`). With
    ``data_key`` (holding :attr:`Lab.key`) each firm's data is prepared once per setting
    (:func:`show_setting_chart`).
    """
    players = list(players)
    for start in range(0, len(players), per_row):
        cols = st.columns(per_row)
        for col, p in zip(cols, players[start:start + per_row]):
            with col:
                if data_key is None:
                    rows = frame[frame[column] == p]
                    show_chart_with_data(key + (p,), lambda rows=rows: build_one(rows), rows)
                else:
                    def prepare(p=p):
                        rows = frame[frame[column] == p]
                        return key + (p,), lambda: build_one(rows), rows

                    show_setting_chart(data_key + (p,), prepare)


def show_chart(key: tuple, build, width="stretch") -> None:
    """Render ``build()`` (an Altair chart) through a spec cache shared by all sessions.

    Building an Altair chart and validating its spec costs 20-100 ms, far more
    than the analysis behind it; in a class, students move the same sliders to
    the same slider positions, so each chart is built once per setting.
    ``key`` must hold everything the chart depends on (the scenario's hash,
    the chart's name and options).
    """
    st.vega_lite_chart(_scaled(_chart_spec(key, build), width), width=width)


def show_chart_with_data(layout_key: tuple, build, frame, width="stretch") -> None:
    """Like :func:`show_chart` for charts with one dataset: the spec is built once per layout
    (``layout_key``: firms, columns ...) and refilled with ``frame`` (see :func:`dilemma.charts.with_data`).

    The dataset goes in as Arrow IPC bytes, the form Streamlit ships it in: records
    (``with_data``) would be turned back into a DataFrame and then into Arrow on every
    rerun, about 10 ms a chart; ``frame`` straight to Arrow costs about a tenth of that.
    """
    _show_refilled(layout_key, build, _arrow(frame), width)


def show_setting_chart(data_key: tuple, prepare, width="stretch") -> None:
    """Like :func:`show_chart_with_data` for a chart whose data one setting fixes: built once per ``data_key``.

    ``prepare()`` returns ``(layout_key, build, frame)``; it runs once per
    ``data_key`` (which must hold :attr:`Lab.key` and the chart's choices) for
    every session, and so do the frame's conversion to Arrow and the layout key.
    """
    def prepared():
        layout_key, build, frame = prepare()
        return layout_key, build, _arrow(frame)

    _show_refilled(*memo("chart_data", data_key, prepared), width)


def _arrow(frame) -> bytes:
    from streamlit import dataframe_util

    return dataframe_util.convert_anything_to_arrow_bytes(frame)


def _show_refilled(layout_key: tuple, build, data: bytes, width) -> None:
    from dilemma.charts import with_dataset

    st.vega_lite_chart(_scaled(with_dataset(_chart_spec(layout_key, build), data), width), width=width)


# ---- page controls kept in the URL by name ----------------------------------------


def setting_from_url(key: str, warn: bool = False):
    """A lab setting's value when its widget is hidden (presenter mode): from the link, else the default.

    With ``warn`` a value that cannot be used gets a notice (for keys :func:`_check_link` leaves to the page).
    """
    s = SETTINGS[key]
    raw = st.query_params.get(key)
    if raw is not None:
        try:
            return s.parse(raw)
        except ValueError as exc:
            if warn:
                st.warning(f"Ignored part of the link: {key}: {exc}; using the default.")
    return s.default


def write_query(key: str, value: str | None) -> None:
    """Set ``?key=value`` in the URL, or remove it for None (unbound keys only)."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def url_choice(key: str, options: list[str], widget, label: str, default: str | None = None, **kwargs):
    """A choice widget kept in the URL under ``key`` as the option itself (not its label).

    A widget bound with ``bind="query-params"`` writes its *formatted* label
    into the URL; the lab's links carry names (``engine=stage``,
    ``x=market.punishment``), so the value is synced by hand: read from the
    link on first use, kept across page switches in session state, written
    back when it differs from the default.
    """
    wkey, saved = f"_w_{key}", f"_saved_{key}"
    if default is None:
        default = SETTINGS[key].default if key in SETTINGS else None
    if default not in options:
        default = options[0]
    if wkey not in st.session_state or st.session_state[wkey] not in options:
        start = st.session_state.get(saved)
        if start not in options:
            raw = st.query_params.get(key)
            start = default
            if raw:
                if raw in options:
                    start = raw
                else:
                    st.warning(f"Ignored part of the link: {key}={raw!r} is not one of the choices; "
                               "using the default.")
        st.session_state[wkey] = start
    value = widget(label, options, key=wkey, **kwargs)
    st.session_state[saved] = value
    write_query(key, None if value == default else value)
    return value


def roles_notice(game) -> None:
    """Say which action the strategies take for Spend and which for Cut, when the
    game's actions have other names (read from the payoffs when the names do not say)."""
    from dilemma.explain import spend_cut_index

    actions = list(game.actions[0])
    roles = spend_cut_index(game, infer=True)   # names, else read from the payoffs (None: cannot tell)
    if roles and [a.lower() for a in actions] != ["spend", "cut"]:
        s, c = roles[0]
        st.info(f"This game's actions are **{actions[0]}** and **{actions[1]}**: the strategies treat "
                f"“{actions[s]}” as Spend (the selfish move) and “{actions[c]}” as Cut (the restrained one).")


def guard(fn, *args, **kwargs):
    """Run a page section; a :class:`~dilemma.DilemmaError` becomes ``st.error`` and the page goes on."""
    try:
        return fn(*args, **kwargs)
    except DilemmaError as exc:
        st.error(str(exc))
        return None


from dilemma.format import money  # noqa: E402,F401  the one formatter ("about $0", "n/a" are its rules)


#: Where the sliders are, said so that it is true on a phone (sidebar collapsed) too.
SLIDERS_WHERE = "in the sidebar (on a phone, open it with the » at the top left)"


def glossary(anchor: str, text: str | None = None) -> str:
    """A markdown link to a word on the Glossary page."""
    from dilemma.teaching import glossary_link

    return glossary_link(anchor, text)


def define(anchor: str) -> str:
    """The glossary's definition, for a ``help=`` tooltip."""
    from dilemma.teaching import define as d

    return d(anchor)
