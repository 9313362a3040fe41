"""Scenario files: every preset loads, every bad input gets its error."""

from __future__ import annotations

import math

import pytest

from dilemma import ScenarioError, list_presets, load_preset, load_scenario, loads_scenario
from dilemma.parameters import FIRM_FIELDS, MARKET_PARAMS

PD_TOML = """
title = "Textbook prisoner's dilemma"
[game]
players = ["Alpha", "Beta"]
actions = ["Spend", "Cut"]
[[game.outcomes]]
profile = ["Spend", "Spend"]
payoffs = [1.0, 1.0]
[[game.outcomes]]
profile = ["Spend", "Cut"]
payoffs = [5.0, 0.0]
[[game.outcomes]]
profile = ["Cut", "Spend"]
payoffs = [0.0, 5.0]
[[game.outcomes]]
profile = ["Cut", "Cut"]
payoffs = [3.0, 3.0]
"""

MODEL_TOML = """
title = "two firms"
[market]
punishment = 0.01
[[players]]
name = "A"
capex = 100
ocf = 100
ebitda = 100
market_value = 2000
[[players]]
name = "B"
capex = 100
ocf = 100
ebitda = 100
market_value = 2000
"""


def test_presets_ship_and_load():
    names = list_presets()
    assert len(names) >= 5
    assert names[0] == "2025-baseline"
    for name in names:
        s = load_preset(name)
        assert s.title
        if s.kind == "model":
            assert s.judgement, f"{name} must say which numbers are judgement"


def test_explicit_game_round_trip():
    s = loads_scenario(PD_TOML)
    assert s.kind == "game"
    assert s.player_names == ("Alpha", "Beta")
    a, b = s.game.payoff_arrays()
    assert a.tolist() == [[1.0, 5.0], [0.0, 3.0]]
    assert b.tolist() == [[1.0, 0.0], [5.0, 3.0]]
    again = loads_scenario(s.to_toml())
    assert again == s


def test_model_round_trip_and_defaults():
    s = loads_scenario(MODEL_TOML)
    assert s.kind == "model"
    assert s.value("market.punishment") == 0.01
    assert s.value("demand.profit_pool") == 210.0  # default
    assert s.value("players.A.edge") == 1.0
    assert loads_scenario(s.to_toml()) == s


def test_with_values_validates():
    s = load_preset("2025-baseline")
    t = s.with_values({"market.punishment": 0.0, "players.Meta.capex": 80})
    assert t.value("market.punishment") == 0.0
    assert t.value("players.Meta.capex") == 80.0
    assert s.value("players.Meta.capex") == 71.0  # the original is untouched
    with pytest.raises(ScenarioError, match=r"market.punishment.*between -0.005 and 0.03"):
        s.with_values({"market.punishment": 0.5})
    with pytest.raises(ScenarioError, match=r"did you mean 'market.punishment'"):
        s.with_values({"market.punishmnet": 0.01})
    with pytest.raises(ScenarioError, match=r"players.Metaa.capex"):
        s.with_values({"players.Metaa.capex": 1})


def test_parameter_paths_cover_table():
    s = load_preset("2025-baseline")
    paths = s.parameter_paths()
    assert len(paths) == len(MARKET_PARAMS) + 5 * len(FIRM_FIELDS)
    for p in paths:
        assert math.isfinite(s.value(p))


def test_hashable_for_caches():
    s = load_preset("2025-baseline")
    assert hash(s) == hash(load_preset("2025-baseline"))


def _replace(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


BAD_INPUTS = [
    ("", r"^bad\.toml: the file is empty; expected a TOML scenario with \[\[players\]\] or \[game\]$"),
    ("   \n", r"^bad\.toml: the file is empty; expected a TOML scenario with \[\[players\]\] or \[game\]$"),
    ("this is = = not toml", r"not valid TOML"),
    ('title = "x"', r"expected \[\[players\]\].*or \[game\]"),
    (_replace(PD_TOML, 'title = ', 'colour = "red"\ntitle = '), r"colour: unknown key"),
    (_replace(PD_TOML, 'payoffs = [5.0, 0.0]', 'payoffs = [5.0]'), r"game.outcomes\[1\].payoffs: must list one payoff per player \(2\), got 1"),
    (_replace(PD_TOML, 'payoffs = [5.0, 0.0]', 'payoffs = [nan, 0.0]'),
     r"^bad\.toml: game\.outcomes\[1\]\.payoffs: must be a finite number, got nan$"),
    (_replace(PD_TOML, 'payoffs = [5.0, 0.0]', 'payoffs = [inf, 0.0]'),
     r"^bad\.toml: game\.outcomes\[1\]\.payoffs: must be a finite number, got inf$"),
    (_replace(PD_TOML, 'payoffs = [5.0, 0.0]', 'payoffs = ["five", 0.0]'), r"must be a number"),
    (_replace(PD_TOML, 'profile = ["Spend", "Cut"]', 'profile = ["Spend", "Hold"]'), r"unknown action 'Hold' for 'Beta'; allowed: Spend, Cut"),
    (_replace(PD_TOML, 'profile = ["Spend", "Cut"]', 'profile = ["Spend", "Spend"]'), r"appears twice"),
    (_replace(PD_TOML, 'profile = ["Spend", "Cut"]', 'profile = ["Spend"]'), r"one action per player"),
    (PD_TOML.rsplit("[[game.outcomes]]", 1)[0], r"missing the outcome for profile \['Cut', 'Cut'\]"),
    (_replace(PD_TOML, 'payoffs = [5.0, 0.0]', 'payoffs = [5.0, 0.0]\nweight = 2'), r"weight: unknown key"),
    (_replace(PD_TOML, 'players = ["Alpha", "Beta"]', 'players = ["Alpha", "Alpha"]'), r"distinct"),
    (_replace(PD_TOML, 'actions = ["Spend", "Cut"]', 'actions = ["Spend", "Spend"]'), r"duplicate action"),
    (_replace(MODEL_TOML, 'punishment = 0.01', 'punishment = 0.5'), r"market.punishment: must be a number between -0.005 and 0.03"),
    (_replace(MODEL_TOML, 'punishment = 0.01', 'punishmnet = 0.01'), r"market.punishmnet: unknown key \(did you mean 'punishment'\?\)"),
    (_replace(MODEL_TOML, 'punishment = 0.01', 'punishment = nan'), r"market.punishment: must be a finite number"),
    (_replace(MODEL_TOML, 'punishment = 0.01', 'punishment = true'), r"must be a number"),
    (_replace(MODEL_TOML, '[market]', '[markets]'), r"markets: unknown key"),
    (_replace(MODEL_TOML, 'capex = 100\n', 'capex = -5\n'), r"players.A.capex: must be a number between 0 and 2000"),
    (_replace(MODEL_TOML, 'name = "B"', 'name = "A"'), r"duplicate firm name 'A'"),
    (_replace(MODEL_TOML, 'ocf = 100\n', ''), r"players\[0\]: missing required key 'ocf'"),
    (_replace(MODEL_TOML, 'ebitda = 100\n', 'ebitda = 0\n'), r"ebitda: must be a number between 0.1"),
    (MODEL_TOML.split("[[players]]")[0] + "[[players]]" + MODEL_TOML.split("[[players]]")[1], r"between 2 and 16 firms"),
    (MODEL_TOML + PD_TOML.split("title = \"Textbook prisoner's dilemma\"")[1], r"^bad\.toml: game: a scenario is either a model \(\[\[players\]\]\) or an explicit game \(\[game\]\), not both$"),
]


@pytest.mark.parametrize("text, message", BAD_INPUTS)
def test_bad_input_gets_named_error(text, message):
    with pytest.raises(ScenarioError, match=message) as info:
        loads_scenario(text, source="bad.toml")
    assert str(info.value).startswith("bad.toml")
    assert isinstance(info.value, ValueError)


def test_file_errors(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="folder"):
        load_scenario(tmp_path)
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not a text file"):
        load_scenario(binary)
    empty = tmp_path / "e.toml"
    empty.write_text("")
    with pytest.raises(ScenarioError, match=r"e.toml: the file is empty"):
        load_scenario(empty)


def test_preset_by_name_and_unknown_preset():
    assert load_scenario("2025-baseline").title.startswith("2025 baseline")
    with pytest.raises(ScenarioError, match="unknown preset"):
        load_preset("2025-baseli")
