"""The regime-map chart builder: valid Vega-Lite specs, fixed type colours, markers, facets."""

from __future__ import annotations

import numpy as np
import pytest

from dilemma import load_preset
from dilemma.charts.regime import TYPE_COLORS, regime_chart, regime_frame
from dilemma.equilibria.classify import TYPE_LABELS, TYPES
from dilemma.sweep import sweep


@pytest.fixture(scope="module")
def frame2():
    return sweep(load_preset("2025-baseline"),
                 {"market.punishment": np.linspace(0, 0.03, 7), "demand.profit_pool": np.linspace(100, 400, 7)})


def test_heatmap_spec(frame2):
    spec = regime_chart(frame2, "market.punishment", "demand.profit_pool").to_dict()
    rect, cross, *labels = spec["layer"]
    assert rect["mark"]["type"] == "rect" and cross["mark"]["type"] == "point"
    # "you are here" (a white halo under black text) at the cross
    assert [(lb["mark"]["type"], lb["mark"]["text"]) for lb in labels] == [("text", "you are here")] * 2
    assert all(lb["data"] == cross["data"] for lb in labels)
    scale = rect["encoding"]["color"]["scale"]
    present = set(frame2["game_type"])
    assert scale["domain"] == [TYPE_LABELS[t] for t in TYPES if t in present]
    assert scale["range"] == [TYPE_COLORS[t] for t in TYPES if t in present]
    # a long axis title on two lines, the unit in brackets on the second (phones)
    assert rect["encoding"]["x"]["axis"]["title"] == ["Market punishment for cutting",
                                                      "(% of market value per year)"]
    # the legend under the map, one name a line (beside it, it squeezed a phone's map)
    assert rect["encoding"]["color"]["legend"]["orient"] == "bottom"
    here = spec["datasets"][cross["data"]["name"]]
    assert here == [{"x": 0.009, "y": 210.0, "label": "current scenario"}]


def test_cells_tile_the_grid(frame2):
    data = regime_frame(frame2, "market.punishment", "demand.profit_pool")
    assert len(data) == 49
    assert np.allclose(data["x1"] - data["x0"], 0.005) and np.allclose(data["y1"] - data["y0"], 50)
    assert set(data["value"]) <= set(TYPE_LABELS.values())


def test_strip_and_line():
    frame = sweep(load_preset("2025-baseline"), {"market.punishment": np.linspace(0, 0.03, 5)})
    strip = regime_chart(frame, "market.punishment").to_dict()
    assert strip["layer"][0]["mark"]["type"] == "rect" and strip["layer"][1]["mark"]["type"] == "rule"
    line = regime_chart(frame, "market.punishment", color="critical_delta", current={}).to_dict()
    assert line["layer"][0]["mark"]["type"] == "line" and len(line["layer"]) == 1


def test_facets_draw_each_panel_from_its_own_rows():
    frame = sweep(load_preset("2025-baseline"),
                  {"market.punishment": [0.0, 0.03], "demand.profit_pool": [150.0, 250.0],
                   "demand.price_war": [0.0, 2.0]})
    spec = regime_chart(frame, "market.punishment", "demand.profit_pool", facet="demand.price_war").to_dict()
    assert spec["facet"]["field"] == "facet"
    cells = spec["spec"]["layer"][0]
    assert "data" not in cells            # the facet's data, split per panel
    assert len(spec["datasets"][spec["data"]["name"]]) == 8


def test_unknown_column():
    frame = sweep(load_preset("2025-baseline"), {"market.punishment": [0.0]})
    with pytest.raises(KeyError, match="no_such"):
        regime_chart(frame, "market.punishment", color="no_such")
