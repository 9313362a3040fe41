"""One student, one real browser: time from a key press on a slider to the updated chart.

    python benchmarks/bench_app_browser.py               # 20 moves x 3 rounds, lab config
    python benchmarks/bench_app_browser.py --moves 20 --rounds 1 --config default

Starts ``streamlit run app.py`` on a free port (see ``scripts/screenshots.py``),
opens page 1 with the classroom preset in Debian's Chromium through
Playwright, focuses the market-punishment slider and presses ArrowLeft
``--moves`` times (1.00 % down to 0.00 %, every value new, so the lab's caches
miss as they do for a student exploring; the game turns from a prisoner's
dilemma into chicken on the way).

Each move is timed inside the page: from the ``keydown`` event's timestamp to
the moment a ``MutationObserver`` sees the payoff matrix's SVG text differ
from before the key (Vega draws the chart as SVG, so the new payoffs are
there to read). Also recorded: the time until Streamlit reports the script
run as finished (``data-test-script-state="notRunning"``). Moves are spaced:
the next key is pressed once the app is idle again, plus ``--pause`` seconds.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from screenshots import launch_chromium, lab_server, snapshot, wait_until_idle  # noqa: E402

SLIDER = "Market punishment for cutting (% of market value per year)"

# Installed once per page: a key press arms a watcher on the first chart's SVG text.
_ARM = """
() => {
  window.__moves = [];
  document.addEventListener('keydown', (ev) => {
    const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
    const app = document.querySelector('[data-testid="stApp"]');
    const text = () => Array.from(chart.querySelectorAll('svg text')).map(t => t.textContent).join('|');
    const before = text();
    const rec = {t0: ev.timeStamp, chart: null, finished: null};
    window.__moves.push(rec);
    const obs = new MutationObserver(() => {
      if (rec.chart === null && text() !== before) { rec.chart = performance.now(); }
      if (rec.chart !== null) { obs.disconnect(); }
    });
    obs.observe(chart, {subtree: true, childList: true, characterData: true, attributes: true});
    let started = false;
    const obs2 = new MutationObserver(() => {
      const state = app.getAttribute('data-test-script-state');
      if (state === 'running') { started = true; }
      if (started && state === 'notRunning' && rec.finished === null) {
        rec.finished = performance.now(); obs2.disconnect();
      }
    });
    obs2.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }, {capture: true});
}
"""


def run_round(browser, url: str, moves: int, pause: float) -> list[dict]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/?preset=classroom-two-player", wait_until="domcontentloaded")
    wait_until_idle(page)
    page.evaluate(_ARM)
    slider = page.get_by_role("slider", name=SLIDER)
    slider.focus()
    out = []
    for i in range(moves):
        before = slider.get_attribute("value")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"() => window.__moves.length === {i + 1} && window.__moves[{i}].chart !== null "
                               f"&& window.__moves[{i}].finished !== null", timeout=60_000)
        wait_until_idle(page, settle_ms=50)
        rec = page.evaluate(f"() => window.__moves[{i}]")
        out.append({"from": float(before), "to": float(slider.get_attribute("value")),
                    "chart_ms": rec["chart"] - rec["t0"], "finished_ms": rec["finished"] - rec["t0"]})
        page.wait_for_timeout(int(pause * 1000))
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError("an exception is on the page")
    page.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3, help="fresh page loads (each starts at 1.00 %%)")
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between moves once idle")
    ap.add_argument("--config", choices=["lab", "default"], default="lab")
    ap.add_argument("--commit", default="HEAD", help="git commit to measure (run from a snapshot of it)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    import streamlit
    from playwright.sync_api import sync_playwright

    from bench_app_load import CONFIGS

    samples = []
    with snapshot(args.commit) as (root, commit), \
            lab_server(config_toml=CONFIGS[args.config] if args.config != "lab" else
                       (root / ".streamlit" / "config.toml").read_text(), root=root) as url, \
            sync_playwright() as p:
        browser = launch_chromium(p)
        version = browser.version
        for _ in range(args.rounds):
            samples += run_round(browser, url, args.moves, args.pause)
        browser.close()
    chart = sorted(s["chart_ms"] for s in samples)
    fin = sorted(s["finished_ms"] for s in samples)

    def p90(xs):
        return xs[int(round(0.9 * (len(xs) - 1)))]

    print(f"commit {commit[:10]}: {len(samples)} moves ({args.rounds} rounds x {args.moves}), config {args.config}; "
          f"Chromium {version}, Streamlit {streamlit.__version__}, Python {platform.python_version()}")
    print(f"key -> chart updated : median {statistics.median(chart):6.0f} ms  p90 {p90(chart):6.0f} ms  "
          f"min {chart[0]:5.0f}  max {chart[-1]:5.0f}")
    print(f"key -> run finished  : median {statistics.median(fin):6.0f} ms  p90 {p90(fin):6.0f} ms  "
          f"min {fin[0]:5.0f}  max {fin[-1]:5.0f}")
    if args.json:
        args.json.write_text(json.dumps({"chromium": version, "streamlit": streamlit.__version__,
                                         "python": platform.python_version(), "config": args.config, "commit": commit,
                                         "date": time.strftime("%Y-%m-%d"), "samples": samples}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
