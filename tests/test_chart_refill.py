"""A Schelling spec refilled with another setting's numbers equals one built from scratch."""

from dilemma import charts, load_preset


def _normalise(spec):
    name = spec["data"]["name"]
    data = spec["datasets"][name]
    rest = {k: v for k, v in spec.items() if k not in ("data", "datasets")}
    return rest, data


def test_refilled_schelling_spec_matches_a_fresh_build():
    base = load_preset("2025-baseline")
    other = base.with_values({"market.punishment": 0.0, "demand.profit_pool": 400.0})
    template = charts.schelling_chart(base.build_game().schelling(), columns=3).to_dict()
    fresh_frame = other.build_game().schelling()
    refilled = charts.with_data(template, charts.schelling_frame(fresh_frame))
    fresh = charts.schelling_chart(fresh_frame, columns=3).to_dict()
    assert _normalise(refilled) == _normalise(fresh)
    assert _normalise(refilled)[1] != _normalise(template)[1]  # the numbers did change


def test_refilled_delta_and_all_cut_specs_match_fresh_builds():
    from dilemma.analysis import analyse

    base = load_preset("2025-baseline").build_game()
    other = load_preset("2025-baseline").with_values({"market.punishment": 0.0}).build_game()
    for build, frame_of in ((charts.delta_chart, lambda g: g.schelling()),
                            (charts.all_cut_chart, lambda g: charts.all_cut_frame(analyse(g)["all_cut"]))):
        template = build(frame_of(base)).to_dict()
        refilled = charts.with_data(template, frame_of(other))
        assert _normalise(refilled) == _normalise(build(frame_of(other)).to_dict())


def test_refilled_breakdown_spec_matches_a_fresh_build():
    """The lab builds one breakdown spec per (firm, layout) and refills it for every other setting."""
    base = load_preset("classroom-two-player")
    other = base.with_values({"market.punishment": 0.02, "demand.profit_pool": 150.0})
    g0, g1 = base.build_game(), other.build_game()
    changed = []
    for player, name in enumerate(g0.players):
        for profile in ((0, 0), (0, 1), (1, 0), (1, 1)):
            f0 = charts.breakdown_frame(g0, player, profile)
            f1 = charts.breakdown_frame(g1, player, profile)
            assert charts.breakdown_layout(f0) == charts.breakdown_layout(f1)
            template = charts.breakdown_chart(f0, name).to_dict()
            refilled = charts.with_data(template, charts.breakdown_chart_data(f1))
            fresh = charts.breakdown_chart(f1, name).to_dict()
            assert _normalise(refilled) == _normalise(fresh)
            changed.append(_normalise(refilled)[1] != _normalise(template)[1])
    assert sum(changed) >= 4  # the numbers did change (a profile both firms spend in, at least)


def test_breakdown_layout_follows_the_chosen_action():
    """The legend lists the chosen profile's action first, so Spend- and Cut-profiles need two specs."""
    game = load_preset("classroom-two-player").build_game()
    spend = charts.breakdown_chart(charts.breakdown_frame(game, 0, (0, 1)), "Alpha").to_dict()
    cut = charts.breakdown_chart(charts.breakdown_frame(game, 0, (1, 1)), "Alpha").to_dict()
    assert spend["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Spend", "Cut"]
    assert cut["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Cut", "Spend"]


def test_the_labs_arrow_dataset_holds_the_same_rows_as_with_data():
    """The lab ships a refilled dataset as Arrow bytes (as Streamlit would convert the records itself)."""
    import pyarrow as pa
    from streamlit import dataframe_util

    game = load_preset("2025-baseline").with_values({"market.punishment": 0.0}).build_game()
    frames = [charts.breakdown_chart_data(charts.breakdown_frame(game, 2, (0, 1, 0, 1, 0))),
              charts.schelling_frame(game.schelling()), game.schelling()]
    for frame in frames:
        template = {"data": {"name": "d"}, "datasets": {"d": []}, "mark": "bar"}
        shipped = charts.with_dataset(template, dataframe_util.convert_anything_to_arrow_bytes(frame))
        rows = pa.ipc.open_stream(shipped["datasets"]["d"]).read_all().to_pylist()
        assert rows == charts.with_data(template, frame)["datasets"]["d"]
        assert len(rows) == len(frame) > 0
