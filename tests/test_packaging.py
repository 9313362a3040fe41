"""The distribution as a user gets it: the wheel's contents, the light core, ``dilemma lab``.

The wheel is built here (``pip wheel --no-deps``, a few seconds) and read as a zip: the
presets and the lab's page scripts must be inside, under ``dilemma/`` only (no generic
top-level package such as ``lab``). ``scripts/check-wheel.sh`` (run by CI after the tests)
goes further: it installs the wheel in a clean venv outside the checkout and runs
``dilemma solve`` and ``dilemma lab``.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dilemma.cli.lab import app_path, streamlit_command
from dilemma.lab.navigation import PAGES
from dilemma.scenario import PRESET_DIR, list_presets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(ROOT)], check=True)
    (whl,) = out.glob("dilemma-*.whl")
    return zipfile.ZipFile(whl)


def test_wheel_has_every_preset_and_textbook_game(wheel):
    names = set(wheel.namelist())
    shipped = sorted(p.relative_to(PRESET_DIR).as_posix() for p in PRESET_DIR.rglob("*.toml"))
    assert len(shipped) >= 13                      # 5 scenarios + 8 textbook games at least
    missing = [f for f in shipped if f"dilemma/presets/{f}" not in names]
    assert not missing, f"presets missing from the wheel: {missing}"


def test_wheel_has_the_lab_pages_inside_the_package(wheel):
    names = set(wheel.namelist())
    for page in PAGES:
        assert f"dilemma/lab/pages/{page.file}" in names
    assert "dilemma/lab/entry/app.py" in names
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"dilemma"}, f"the wheel installs other top-level names: {sorted(top - {'dilemma'})}"


def test_preset_names_match_the_lab_and_the_cli():
    names = list_presets(games=True)
    assert names[0] == "2025-baseline"
    assert "games/chicken" in names and "games/prisoners-dilemma" in names
    out = subprocess.run([sys.executable, "-m", "dilemma.cli", "solve", "games/chicken", "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert '"chicken"' in out.stdout


def test_unknown_textbook_game_suggests_the_right_name():
    out = subprocess.run([sys.executable, "-m", "dilemma.cli", "solve", "games/chiken"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.startswith("error:") and "games/chicken" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("code", [
    "import dilemma, dilemma.game, dilemma.analysis, dilemma.scenario",
    "from dilemma.cli import build_parser; build_parser()",
    "import dilemma.charts, dilemma.charts.regime, dilemma.charts.repeated",
    "import dilemma.lab.state, dilemma.lab.navigation",
])
def test_core_never_imports_streamlit(code):
    check = code + "; import sys; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", check]).returncode == 0, code


def test_lab_command_runs_the_packaged_app():
    cmd = streamlit_command(["--server.port", "8600"])
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(cmd[4]) == app_path() and app_path().is_file()
    assert cmd[5:] == ["--server.port", "8600"]
    # a pages/ folder beside the main script would make Streamlit run the pages as a v1
    # multipage app, skipping the entry script (and the sidebar) on a page's first run
    assert not (app_path().parent / "pages").exists()
    # the checkout's app.py runs the same script
    assert "app_path()" in (ROOT / "app.py").read_text()


def test_lab_help_is_ours_and_starts_nothing():
    out = subprocess.run([sys.executable, "-m", "dilemma.cli", "lab", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    assert "usage: dilemma lab" in out.stdout


def test_scenario_page_without_the_export_extra_names_the_extra(app, monkeypatch):
    """A plain ``pip install`` (no vl-convert): the page says which extra to add, no traceback."""
    from conftest import page_file

    monkeypatch.setitem(sys.modules, "vl_convert", None)      # as if not installed
    at = app()
    at.run()
    at.switch_page(page_file("scenario_page.py")).run()
    assert not at.exception
    infos = [str(i.value) for i in at.info]
    assert any('pip install "dilemma[export]"' in t for t in infos), infos
    assert not [b for b in at.get("download_button") if "png" in str(b.proto.label).lower()]


def test_export_without_the_extra_is_one_clear_error(monkeypatch):
    import altair as alt

    from dilemma import charts
    from dilemma.errors import DilemmaError

    monkeypatch.setitem(sys.modules, "vl_convert", None)
    assert not charts.export_available()
    with pytest.raises(DilemmaError, match=r"dilemma\[export\]"):
        charts.chart_to_svg(alt.Chart().mark_point())
