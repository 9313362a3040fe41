"""Sweeps on a Dask cluster give the serial table point for point and seed for seed.

``distributed`` is in the dev extra, so it is imported plainly: a broken
install fails here instead of skipping. The test that its absence is a clear
error hides it with ``monkeypatch``.
"""

from __future__ import annotations

import sys

import distributed
import numpy as np
import pandas as pd
import pytest

from dilemma import load_preset
from dilemma.cli import main
from dilemma.errors import DilemmaError
from dilemma.sweep import sweep

AXES = {"market.punishment": np.linspace(0, 0.03, 3), "demand.delay": [0.0, 2.0, 4.0]}
SIM = dict(strategies="grim-trigger", rounds=5, runs=40, seed=2024)


@pytest.fixture(scope="module")
def baseline():
    return load_preset("2025-baseline")


@pytest.fixture(scope="module")
def serial(baseline):
    return sweep(baseline, AXES, **SIM)


@pytest.fixture(scope="module", params=[False, True], ids=["threads", "processes"])
def cluster(request):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=request.param,
                                  dashboard_address=":0") as lc, distributed.Client(lc) as client:
        yield lc, client


def test_dask_gives_the_serial_table(baseline, serial, cluster):
    _, client = cluster
    for chunk in (None, 1, 4):
        on_dask = sweep(baseline, AXES, scheduler=client, chunk_size=chunk, **SIM)
        pd.testing.assert_frame_equal(on_dask, serial)


def test_dask_deterministic_sweep_is_chunked_and_identical(baseline, cluster):
    _, client = cluster
    axes = {"market.punishment": np.linspace(0, 0.03, 7), "demand.profit_pool": np.linspace(100, 400, 7)}
    pd.testing.assert_frame_equal(sweep(baseline, axes, scheduler=client, chunk_size=5), sweep(baseline, axes))


def test_cli_scheduler_address(cluster, serial, tmp_path, capsys):
    lc, _ = cluster
    out = tmp_path / "mc.csv"
    status = main(["sweep", "2025-baseline", "--param", "market.punishment=0:0.03:3", "--param",
                   "demand.delay=0:4:3", "--simulate", "--strategies", "grim-trigger", "--rounds", "5",
                   "--runs", "40", "--seed", "2024", "--scheduler", lc.scheduler_address, "--quiet",
                   "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    csv = pd.read_csv(out)
    np.testing.assert_allclose(csv["burst_frequency"], serial["burst_frequency"], rtol=0, atol=0)
    np.testing.assert_allclose(csv["value_Meta_p50"], serial["value_Meta_p50"], rtol=1e-12)


def test_scheduler_local_starts_and_closes_its_own_cluster(baseline, serial):
    pd.testing.assert_frame_equal(sweep(baseline, AXES, scheduler="local", workers=2, **SIM), serial)


def test_unreachable_scheduler_is_one_line(capsys, monkeypatch):
    from dilemma.sweep import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    status = main(["sweep", "2025-baseline", "--param", "market.punishment=0:0.03:3",
                   "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    # the middle (in parentheses) is Dask's own reason, worded by Dask; the rest is ours
    assert err.startswith("error: --scheduler tcp://127.0.0.1:9: could not connect to a Dask scheduler (")
    assert err.endswith("); start one with 'dask scheduler' and give its address, e.g. tcp://host:8786\n")


def test_missing_distributed_extra_is_a_clear_error(baseline, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)     # import distributed -> ImportError
    with pytest.raises(DilemmaError, match=r'pip install -e "\.\[distributed\]"'):
        sweep(baseline, AXES, scheduler="tcp://127.0.0.1:8786", **SIM)
    status = main(["sweep", "2025-baseline", "--param", "market.punishment=0:0.03:3",
                   "--scheduler", "tcp://127.0.0.1:8786"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == ("error: --scheduler: running on a Dask cluster needs the optional 'distributed' extra; "
                   'install it with pip install -e ".[distributed]" (or pip install "dask[distributed]")\n')
