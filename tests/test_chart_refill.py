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
