"""dilemma.lab.state: sliders in display units, links as query parameters, uploads.

Pure tests, no Streamlit: what the lab's sidebar and links are built from.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dilemma import ScenarioError
from dilemma.lab.state import (
    DEFAULT_PRESET,
    MAX_LAB_FIRMS,
    MAX_UPLOAD_BYTES,
    PRESENTER_PARAMS,
    SETTINGS,
    TABLE_FIELDS,
    decode_query,
    display_value,
    encode_query,
    format_number,
    parse_profile,
    profile_code,
    query_key,
    read_upload,
    sections_to_open,
    slider_query,
    slider_spec,
    stored_value,
)
from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS, param
from dilemma.scenario import CONFIG_DIR, list_presets, load_preset, load_scenario

PRESETS = list_presets()
CLASSROOM = (CONFIG_DIR / "classroom-two-player.toml").read_text()


# ---- sliders ---------------------------------------------------------------------------


@pytest.mark.parametrize("p", MARKET_PARAMS, ids=lambda p: p.path)
def test_slider_spec_is_usable(p):
    s = slider_spec(p)
    assert s.low < s.high
    assert s.low == pytest.approx(display_value(p, p.low)) and s.high == pytest.approx(display_value(p, p.high))
    positions = (s.high - s.low) / s.step
    assert positions == pytest.approx(round(positions), abs=1e-6), "the range is not a whole number of steps"
    if p.integer:
        assert s.step == 1 and s.format == "%d"
    else:
        assert 25 <= positions <= 100, f"{positions:.0f} slider positions"
        decimals = int(s.format[2:-1])
        assert round(s.step, decimals) == pytest.approx(s.step), f"format {s.format} hides the step {s.step}"
    assert s.unit in s.label or not s.unit
    assert p.symbol in s.help


@pytest.mark.parametrize("p", MARKET_PARAMS, ids=lambda p: p.path)
def test_display_and_stored_are_inverse_on_the_slider_grid(p):
    s = slider_spec(p)
    n = round((s.high - s.low) / s.step)
    for k in range(n + 1):
        shown = round(s.low + k * s.step, 10)
        assert display_value(p, stored_value(p, shown)) == pytest.approx(shown, abs=1e-12)
        assert p.contains(stored_value(p, shown)) or p.integer


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_values_fit_their_sliders(preset):
    """A preset outside a slider's range makes st.slider raise; off the step grid, the first keypress jumps."""
    scenario = load_preset(preset)
    off_grid = []
    for p in MARKET_PARAMS:
        s = slider_spec(p)
        shown = display_value(p, scenario.values[p.path])
        assert s.low <= shown <= s.high, f"{p.path}={shown} outside [{s.low}, {s.high}]"
        k = (shown - s.low) / s.step
        if abs(k - round(k)) > 1e-6:
            off_grid.append(f"{p.key}={shown} (step {s.step})")
    assert not off_grid, "preset values between slider steps: " + ", ".join(off_grid)


def test_presenter_and_table_fields_exist():
    paths = {p.path for p in MARKET_PARAMS}
    assert set(PRESENTER_PARAMS) <= paths
    assert "market.punishment" in PRESENTER_PARAMS
    assert set(TABLE_FIELDS) <= {f.path for f in FIRM_FIELDS}


def test_short_keys_are_unique_and_not_settings():
    keys = [p.key for p in MARKET_PARAMS]
    assert len(keys) == len(set(keys))
    assert not set(keys) & set(SETTINGS), "a parameter and a lab setting share a URL key"
    assert "preset" not in keys and "preset" not in SETTINGS


# ---- numbers and profiles as text --------------------------------------------------------


@pytest.mark.parametrize("x, text", [(0.0, "0"), (-0.0, "0"), (80.0, "80"), (0.9, "0.9"), (-0.25, "-0.25"),
                                     (0.1 + 0.2, "0.3"), (1e-7, "1e-07"), (1234.5, "1234.5")])
def test_format_number(x, text):
    assert format_number(x) == text


def test_profile_codes_round_trip():
    actions = [("Spend", "Cut")] * 3
    for profile in [(0, 0, 0), (0, 1, 0), (1, 1, 1)]:
        assert parse_profile(profile_code(profile, actions), actions) == profile
    assert profile_code((0, 1), [("Spend", "Cut"), ("Spend", "Cut")]) == "SC"
    assert parse_profile(" sc ", [("Spend", "Cut")] * 2) == (0, 1)


@pytest.mark.parametrize("code, needle", [("S", "one letter per player (2)"), ("SX", "'X'"), ("", "(2)")])
def test_parse_profile_names_the_problem(code, needle):
    with pytest.raises(ValueError, match=None) as err:
        parse_profile(code, [("Spend", "Cut")] * 2)
    assert needle in str(err.value)


# ---- settings -----------------------------------------------------------------------------


def test_settings_defaults_parse_back():
    for s in SETTINGS.values():
        text = s.format(s.default)
        if s.kind == "str" and s.choices is None:
            assert s.parse(text) == s.default
        else:
            assert s.parse(text) == s.default, s.key


@pytest.mark.parametrize("key, text, needle", [
    ("present", "maybe", "true or false"),
    ("present", "yes", "true or false"),     # Streamlit's bound toggle drops "yes": so must the link check
    ("years", "2.5", "whole number"),
    ("years", "1000", "between 2 and 60"),
    ("noise", "nan", "finite"),
    ("noise", "inf", "finite"),
    ("runs", "ten", "number"),
    ("color", "rainbow", "game_type"),
    ("engine", "warp", "stage"),
])
def test_settings_reject_bad_text(key, text, needle):
    with pytest.raises(ValueError) as err:
        SETTINGS[key].parse(text)
    assert needle in str(err.value)


def test_settings_accept_app_choices():
    assert SETTINGS["strat"].parse("tit_for_tat", choices=["tit_for_tat", "grim"]) == "tit_for_tat"
    with pytest.raises(ValueError):
        SETTINGS["strat"].parse("nonsense", choices=["tit_for_tat"])


# ---- links ---------------------------------------------------------------------------------


def test_query_key():
    assert query_key("market.punishment") == "punishment_pct"      # percent parameter, in percent
    assert query_key("demand.profit_pool") == "profit_pool"
    assert query_key("players.Meta.capex") == "Meta.capex"
    with pytest.raises(KeyError):
        query_key("nonsense.path")


def test_unchanged_state_is_an_empty_query():
    base = load_preset(DEFAULT_PRESET)
    assert encode_query(DEFAULT_PRESET, base, base, {"present": False}) == {}
    assert encode_query("classroom-two-player", load_preset("classroom-two-player"),
                        load_preset("classroom-two-player")) == {"preset": "classroom-two-player"}


def test_classroom_link_round_trips():
    base = load_preset("classroom-two-player")
    now = base.with_values({"market.punishment": 0.0, "players.Alpha.capex": 120.0})
    q = encode_query("classroom-two-player", base, now, {"present": True, "years": 30})
    assert q == {"preset": "classroom-two-player", "punishment_pct": "0", "Alpha.capex": "120",
                 "present": "true", "years": "30"}
    d = decode_query(q, presets=PRESETS, load=load_preset)
    assert d.problems == ()
    assert d.preset == "classroom-two-player"
    assert base.with_values(d.updates) == now
    assert d.settings == {"present": True, "years": 30}


_PARAMS = [p for p in MARKET_PARAMS]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_slider_state_round_trips_through_a_link(data):
    preset = data.draw(st.sampled_from(PRESETS))
    base = load_preset(preset)
    chosen = data.draw(st.lists(st.sampled_from(_PARAMS), unique_by=lambda p: p.path, max_size=6))
    updates = {}
    for p in chosen:
        s = slider_spec(p)
        k = data.draw(st.integers(0, round((s.high - s.low) / s.step)))
        updates[p.path] = stored_value(p, round(s.low + k * s.step, 10))
    firm = data.draw(st.sampled_from(base.player_names))
    updates[f"players.{firm}.capex"] = float(data.draw(st.integers(0, 400)))
    now = base.with_values(updates)
    q = encode_query(preset, base, now)
    assert all(isinstance(v, str) for v in q.values())
    d = decode_query(q, presets=PRESETS, load=load_preset)
    assert d.problems == ()
    assert base.with_values(d.updates) == now


def test_slider_query_writes_changes_and_removes_the_rest():
    """The sliders' part of a link, as the lab writes it by hand on every run (hand-worked values)."""
    base = load_preset("classroom-two-player")
    now = base.with_values({"market.punishment": 0.0, "finance.base_rate": 0.06, "dynamics.lease_term": 6.0})
    q = slider_query(base.values, now.values)
    assert set(q) == {"cut_depth_pct", "punishment_pct", "punishment_shape", "unbacked_markdown", "profit_pool",
                      "absorbed_capex", "outside_capex", "price_war", "winner_take_most", "delay",
                      "discount_rate_pct", "asset_life", "ocf_share_pct", "internal_rate_pct", "base_rate_pct",
                      "base_spread_pct", "spread_slope_pct", "leverage_threshold", "spv_share_pct",
                      "spv_premium_pct", "burst_base_pct", "burst_slope", "burst_loss_pct", "salvage_pct",
                      "short_lived_pct", "demand_growth_pct", "efficiency_shock_pct", "shock_probability_pct",
                      "lease_renewal_pct", "lease_term"}
    assert {k: v for k, v in q.items() if v is not None} == {"punishment_pct": "0", "base_rate_pct": "6",
                                                             "lease_term": "6"}
    assert all(v is None for v in slider_query(base.values, base.values).values())
    assert all(v is None for v in slider_query(base.values, {}).values()), "a missing value keeps the preset's"
    assert all(v is None for v in slider_query(None, now.values).values()), "an explicit game has no sliders"


def test_a_link_opens_the_sections_of_its_values():
    d = decode_query({"base_rate_pct": "6", "burst_base": "0.2", "Alpha.capex": "10",
                      "preset": "classroom-two-player"}, presets=PRESETS, load=load_preset)
    assert sections_to_open(d.updates) == {"finance", "risk"}
    assert sections_to_open({}) == set()


def test_decode_names_every_bad_key():
    q = {"punishment_pct": "99", "profit_pool": "lots", "Alpha.capex": "-5", "Alpha.wings": "2",
         "Nobody.capex": "1", "zzz": "1", "years": "0", "preset": "classroom-two-player",
         "Beta.capex": "nan"}
    d = decode_query(q, presets=PRESETS, load=load_preset)
    assert d.preset == "classroom-two-player"
    assert d.updates == {}
    assert d.settings == {}
    text = "\n".join(d.problems)
    assert len(d.problems) == 8, text
    for needle in ("Market punishment for cutting (punishment_pct): must be between -0.5 and 3", "kept 1 %",
                   "AI profit pool at full demand (profit_pool): must be a number, got 'lots'",
                   "Alpha.capex: Planned capex must be a number between 0 and 2000", "Alpha.wings",
                   "no firm 'Nobody'", "zzz: not a setting", "years: must be between 2 and 60",
                   "Beta.capex"):
        assert needle in text, needle


def test_decode_unknown_preset_falls_back_and_says_so():
    d = decode_query({"preset": "moon", "punishment": "0"}, presets=PRESETS, load=load_preset)
    assert d.preset == DEFAULT_PRESET
    assert any("moon" in p for p in d.problems)
    assert d.updates == {"market.punishment": 0.0}


def test_decode_parameters_of_an_explicit_game_are_ignored():
    def load(name):
        return load_scenario(CONFIG_DIR / f"{name}.toml")

    d = decode_query({"preset": "games/chicken", "punishment": "0"}, presets=["games/chicken"], load=load,
                     default_preset="games/chicken")
    assert d.updates == {}
    assert "explicit game" in d.problems[0]


def test_link_units_are_said_by_the_key():
    # the classroom preset's punishment is 0.01 (1 %); a bare key is a fraction as in TOML and the CLI,
    # the _pct key is percent as the slider shows it: both 0.9 % here
    bare = decode_query({"punishment": "0.009"}, presets=PRESETS, load=load_preset)
    pct = decode_query({"punishment_pct": "0.9"}, presets=PRESETS, load=load_preset)
    assert bare.updates == pct.updates == {"market.punishment": 0.009}
    assert bare.problems == pct.problems == ()
    # a percent written under the bare key is out of range (0.9 = 90 % of market value) and named as such
    d = decode_query({"punishment": "0.9"}, presets=PRESETS, load=load_preset)
    assert d.updates == {}
    assert d.problems == ("Market punishment for cutting (punishment): must be between -0.005 and 0.03 "
                          "(a fraction: punishment=0.009 is 0.9 %), got 0.9; kept 0.9 %.",)
    # a parameter that is not a percentage has one key only
    assert decode_query({"profit_pool_pct": "1"}, presets=PRESETS, load=load_preset).problems == (
        "profit_pool_pct: not a setting of the lab; ignored.",)


def test_decode_takes_the_last_of_repeated_keys():
    d = decode_query({"punishment": ["0.5", "0"]}, presets=PRESETS, load=load_preset)
    assert d.updates == {"market.punishment": 0.0}


# ---- uploads -------------------------------------------------------------------------------


def test_upload_of_every_preset_reads_back():
    for name in PRESETS:
        text = (CONFIG_DIR / f"{name}.toml").read_bytes()
        assert read_upload(text, f"{name}.toml") == load_preset(name)


def _firms(n: int) -> str:
    head = re.sub(r"(?s)judgement = \[.*?\]\n", "", CLASSROOM.split("[[players]]")[0])
    assert "judgement = " not in head
    firm = "[[players]]\nname = 'F{i}'\ncapex = 10\nocf = 20\ncash = 5\ndebt = 1\nebitda = 20\nmarket_value = 100\n"
    return head + "".join(firm.format(i=i) for i in range(n))


@pytest.mark.parametrize("data, name, needle", [
    (CLASSROOM.encode(), "classroom.txt", "expected a .toml scenario file"),
    (b"x" * (MAX_UPLOAD_BYTES + 1), "big.toml", f"at most {MAX_UPLOAD_BYTES:,}"),
    ("title = 'caf\u00e9'".encode("latin-1"), "latin.toml", "latin.toml"),
    (b"[[players]\n", "broken.toml", "broken.toml"),
    (b"title = 'x'", "x.toml", "expected [[players]] (a model scenario) or [game]"),
    (CLASSROOM.replace("punishment = 0.01", "punishment = 0.5").encode(), "wild.toml", "punishment"),
    (_firms(1).encode(), "solo.toml", "between 2"),
    (_firms(MAX_LAB_FIRMS + 1).encode(), "crowd.toml", f"at most {MAX_LAB_FIRMS}"),
])
def test_bad_upload_raises_a_scenario_error_naming_the_file(data, name, needle):
    with pytest.raises(ScenarioError) as err:
        read_upload(data, name)
    msg = str(err.value)
    assert name in msg, msg
    assert needle in msg, msg


def test_upload_at_the_firm_limit_is_accepted():
    s = read_upload(_firms(MAX_LAB_FIRMS).encode(), "ten.toml")
    assert s.n_players == MAX_LAB_FIRMS


def test_upload_of_a_textbook_game():
    s = read_upload((CONFIG_DIR / "games" / "chicken.toml").read_bytes(), "chicken.TOML")
    assert s.kind == "game"


def test_display_value_examples():
    assert display_value(param("market.punishment"), 0.009) == 0.9
    assert stored_value(param("market.punishment"), 0.9) == 0.009
    assert display_value(param("demand.profit_pool"), 210.0) == 210.0
    assert math.isclose(stored_value(param("market.cut_depth"), 40), 0.4)


def test_a_changed_scenario_is_retitled_for_the_download():
    from dilemma.lab.state import changes, retitled

    base = load_preset("classroom-two-player")
    assert retitled(base, base, "Prisoner's dilemma") is base          # unchanged: the preset's own words
    now = base.with_values({"market.punishment": 0.0, "players.Alpha.capex": 120.0})
    assert changes(base, now) == ["Market punishment for cutting: 1 → 0 % of market value per year",
                                  f"Alpha: Planned capex: {base.players[0].capex:g} → 120 $B per year"]
    out = retitled(base, now, "Chicken (stable mix)")
    assert out.title == f"{base.title} (changed in the lab: Chicken (stable mix))"
    assert "a prisoner's dilemma" not in out.description.lower()
    assert out.values == now.values and out.players == now.players


def test_tournament_settings_live_in_the_lab_state():
    from dilemma.lab.state import TOURNAMENT

    s = SETTINGS["strength"]
    assert (s.default, s.low, s.high, s.kind) == (1.0, 0.0, 5.0, "float")
    with pytest.raises(ValueError, match="between 0 and 5"):
        s.parse("9")
    assert TOURNAMENT["two_player_preset"] in PRESETS
    assert TOURNAMENT["repetitions"] >= 1 and all(0 < x < 1 for x in TOURNAMENT["replicator_starts"])


def test_follow_the_money_and_tournament_choices_are_settings():
    # the Follow-the-money page's choices and the tournament's "others" travel in the link, as settings
    q = {"loop": "openai-2025", "shock": "flow", "who": "Meta->Beignet", "round": "2", "others": "spend"}
    d = decode_query(q, presets=PRESETS, load=load_preset)
    assert d.settings == {"loop": "openai-2025", "shock": "flow", "who": "Meta->Beignet", "round": 2,
                          "others": "spend"}
    assert d.problems == ()
    bad = decode_query({"shock": "boom", "round": "-1", "others": "some"}, presets=PRESETS, load=load_preset)
    assert d.updates == {} and bad.settings == {}
    assert bad.problems == ("shock: must be one of fail, cut, flow; got 'boom'; using the default.",
                            "round: must be between 0 and 50, got -1; using the default.",
                            "others: must be one of cut, spend; got 'some'; using the default.")
