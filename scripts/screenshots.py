"""Screenshots of every page of the lab, for the README and the docs.

    python scripts/screenshots.py            # -> docs/screenshots/*.png
    python scripts/screenshots.py --out /tmp/shots --width 1400
    python scripts/screenshots.py --out /tmp/shots --width 1920 --present   # every page, presenter mode
    python scripts/screenshots.py --out /tmp/shots --phone                  # every page at 390 px
    python scripts/screenshots.py --out /tmp/shots --root /tmp/old-checkout # another copy of the code

Starts ``streamlit run app.py`` on a free loopback port, opens each page with
default settings in Debian's Chromium (through Playwright; install it with
``bash scripts/install-browser.sh``, never ``playwright install``), waits
until the script has finished and the charts are drawn, and saves a full-page
PNG. Presenter mode is shot once, on the first page, unless ``--present``
shoots every page in it. Each shot also reports horizontal overflow (a page
wider than the window), which on a phone means sideways scrolling.

Streamlit scrolls inside its main container, not the document, so a plain
``full_page=True`` would cut the page at the window's height; the window is
therefore resized to the content's height before each shot.

The server helpers here (:func:`free_port`, :func:`lab_server`) are also used
by ``benchmarks/bench_app_browser.py`` and ``benchmarks/bench_app_load.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from dilemma.lab.serve import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DILEMMA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: (file name, URL path and query) of each shot. Page 1 is the default page, which Streamlit
#: serves at "/" only (its url_path "dilemma" answers "Page not found").
SHOTS = [
    ("one-shot.png", "/"),
    ("regime-map.png", "/regime-map"),
    ("repeated.png", "/repeated"),
    ("tournament.png", "/tournament"),
    ("scenario.png", "/scenario"),
    ("tour.png", "/tour?step=1"),
    ("glossary.png", "/glossary"),
    ("follow-the-money.png", "/follow-the-money"),
    ("classroom.png", "/classroom"),
    ("presenter.png", "/?present=true"),
]


@contextlib.contextmanager
def lab_server(port: int | None = None, config_toml: str | None = None, extra_args: list[str] = (),
               log_path: str | Path | None = None, timeout: float = 90.0, on_start=None,
               root: str | Path | None = None):
    """Run ``streamlit run app.py``; yield its base URL; stop it afterwards.

    With ``config_toml=None`` the server runs from the repository root and reads the lab's
    ``.streamlit/config.toml``. Otherwise it runs from a temporary directory whose
    ``.streamlit/config.toml`` holds ``config_toml`` (``""``: Streamlit's defaults): Streamlit
    reads its config from the working directory, and hidden options such as
    ``runner.postScriptGC`` cannot be set by flag or environment variable.
    ``extra_args`` adds command-line flags; ``on_start(proc)`` is called once the server is up.
    ``root`` runs another copy of the repository (see :func:`snapshot`).
    """
    root = Path(root) if root else ROOT
    port = port or free_port()
    log_path = Path(log_path) if log_path else Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    cwd = root
    tmp = None
    if config_toml is not None:
        tmp = tempfile.TemporaryDirectory(prefix="dilemma-lab-")
        cwd = Path(tmp.name)
        (cwd / ".streamlit").mkdir()
        (cwd / ".streamlit" / "config.toml").write_text(config_toml)
    cmd = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", *extra_args]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; log {log_path}:\n"
                                   + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        if on_start is not None:
            on_start(proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if tmp is not None:
            tmp.cleanup()


@contextlib.contextmanager
def snapshot(commit: str = "HEAD"):
    """A copy of the repository at ``commit`` (``git archive``) in a temporary directory.

    Benchmarks run the lab from a snapshot so that edits landing in the working tree during a
    run cannot mix two versions of the code into one table. Python imports ``dilemma`` and
    ``lab`` from the snapshot: Streamlit puts the script's directory first on ``sys.path``.
    Yields ``(path, full commit hash)``.
    """
    full = subprocess.run(["git", "rev-parse", commit], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix=f"dilemma-{full[:8]}-") as tmp:
        archive = subprocess.run(["git", "archive", full], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        yield Path(tmp), full


def launch_chromium(playwright):
    """Debian's Chromium, headless, with no background traffic."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: run `bash scripts/install-browser.sh` first")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_until_idle(page, timeout_ms: int = 120_000, settle_ms: int = 800) -> None:
    """Wait until the app's script has run to the end and the charts had time to draw."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
                 .every(c => c.querySelector('svg, canvas'))""", timeout=timeout_ms)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def full_page_png(page, path: Path, width: int) -> int:
    """Resize the window to the content's height and save a PNG; return the height."""
    height = page.evaluate(
        """() => {
             const main = document.querySelector('[data-testid="stMain"]');
             const side = document.querySelector('[data-testid="stSidebarContent"]');
             // a collapsed sidebar (a phone's default) sits off screen: its sliders
             // would only add a blank tail to the shot
             const r = side ? side.getBoundingClientRect() : null;
             const open = r !== null && r.width > 0 && r.right > 1;
             return Math.max(main ? main.scrollHeight : 0, open ? side.scrollHeight : 0,
                             document.documentElement.scrollHeight);
           }""")
    page.set_viewport_size({"width": width, "height": int(height) + 16})
    page.wait_for_timeout(600)  # charts with width="stretch" re-layout on resize
    page.screenshot(path=str(path), full_page=True)
    return int(height)


def _with_query(path: str, extra: str) -> str:
    if not extra:
        return path
    return path + ("&" if "?" in path else "?") + extra


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--width", type=int, default=None, help="window width in CSS px (default 1400; "
                    "1920 with --present, 390 with --phone)")
    ap.add_argument("--present", action="store_true", help="every page in presenter mode (?present=true)")
    ap.add_argument("--phone", action="store_true", help="a phone's window (390 px, touch, 2x pixels)")
    ap.add_argument("--root", type=Path, default=None, help="run another copy of the repository")
    ap.add_argument("--only", nargs="*", help="file names to shoot (default: all)")
    args = ap.parse_args(argv)
    width = args.width or (390 if args.phone else 1920 if args.present else 1400)
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    shots = SHOTS
    if args.present or args.phone:  # every page once, in the mode asked for
        shots = [(n, _with_query(p, "present=true" if args.present else "")) for n, p in SHOTS
                 if n != "presenter.png"]
    problems = []
    with lab_server(root=args.root) as url, sync_playwright() as p:
        browser = launch_chromium(p)
        for name, path in shots:
            if args.only and name not in args.only:
                continue
            opts = {"viewport": {"width": width, "height": 1000}}
            if args.phone:
                opts.update(device_scale_factor=2, is_mobile=True, has_touch=True)
            page = browser.new_page(**opts)
            t0 = time.perf_counter()
            page.goto(url + path, wait_until="domcontentloaded")
            wait_until_idle(page)
            if name == "tour.png":  # show a step after a prediction: the answer and how close it was
                page.get_by_text("Spend", exact=True).first.click()
                page.get_by_role("button", name="Reveal the answer").click()
                page.get_by_text("you said Spend").first.wait_for(timeout=60_000)
                wait_until_idle(page)
            n_exc = page.locator('[data-testid="stException"]').count()
            if page.get_by_text("Page not found").count():
                problems.append(f"{name}: 'Page not found' at {path}")
            wide = overflow(page)
            height = full_page_png(page, args.out / name, width)
            print(f"{name:16s} {width}x{height}px  {time.perf_counter() - t0:5.1f} s"
                  + (f"  {wide} px wider than the window!" if wide > 0 else "")
                  + (f"  {n_exc} exception(s) on the page!" if n_exc else ""))
            if n_exc:
                problems.append(f"{name}: {n_exc} exception(s)")
            if wide > 0:
                problems.append(f"{name}: {wide} px of sideways scrolling at {width} px")
            page.close()
        browser.close()
    if problems:
        print("problems:", "; ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
