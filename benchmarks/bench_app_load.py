"""A classroom of WebSocket clients moving sliders on the lab: time per rerun.

    python benchmarks/bench_app_load.py                       # 60 sessions, lab config vs defaults
    python benchmarks/bench_app_load.py --sessions 20 --moves 5 --configs lab
    python benchmarks/bench_app_load.py --sessions 1 --moves 1 --bursts 0 --configs lab --commit HEAD~3
                                                              # one session: solo CPU per rerun only

Each simulated student is a WebSocket client on loopback that speaks
Streamlit's own protocol, as the browser does: it opens ``/_stcore/stream``,
sends a ``BackMsg`` whose ``rerun_script`` carries the client state (query
string, page hash, widget states) and reads ``ForwardMsg`` protobufs until
``script_finished``. One *rerun* is timed from sending the ``BackMsg`` with
a new slider value to receiving ``script_finished`` (FINISHED_SUCCESSFULLY),
i.e. the server's whole round trip, without the browser's drawing (see
``bench_app_browser.py`` for that).

Three phases per server:

* **first load**: five new sessions, one after the other, open page 1 alone
  (server warm): time to the headline ("The game: ...") and to the end of the run;
* **solo**: one session alone moves the slider 30 times back to back, every
  value new: the uncontended cost of a rerun (and the server's CPU time per
  rerun), then the same 30 values again (*solo, seen*: what a rerun costs
  when the lab's caches hold the setting, as they mostly do in a class);
  also the number of messages the server sends per rerun;

* **steady**: every session moves the market-punishment slider to a random
  position of its grid (so the lab's caches hit only as often as they would
  in class), then "reads" for an exponential think time (mean ``--think`` s),
  ``--moves`` times; sessions start at random offsets;
* **burst**: all sessions move at the same instant ("everyone set the
  punishment to 0 now"), ``--bursts`` times, each to a value nobody used
  before in that burst round, the worst case of a lecture.

Servers compared in the same run (``--configs``):

* ``lab``: the repository's ``.streamlit/config.toml`` (file watcher off,
  post-script GC off, ...);
* ``default``: Streamlit's defaults (file watcher ``auto`` with watchdog,
  ``runner.postScriptGC = true``, magic on);
* ``lab+gc`` and ``lab+watcher``: the lab config with one setting put back to
  its default, to see what each buys;
* ``served``: the multi-process set-up of ``dilemma serve`` (``--processes``
  lab processes with the lab config behind Debian's nginx, sticky sessions);
  each simulated browser carries its own route cookie, as a browser gets one
  from nginx on its first request.

Every server runs a snapshot of one commit (``--commit``, default HEAD,
exported with ``git archive``), from a temporary working directory holding
only the config under test, so work landing in the tree during a run cannot
skew the comparison. Reports p50/p95/p99/max per phase, reruns per second, and the server's CPU
time and resident memory (from ``/proc``). The load generator runs on the
same machine and takes CPU from the server; its own CPU time is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import lab_server, snapshot  # noqa: E402

LAB_CONFIG = (ROOT / ".streamlit" / "config.toml").read_text()
CONFIGS = {
    "lab": None,  # the measured commit's own .streamlit/config.toml
    "default": "[browser]\ngatherUsageStats = false\n",
    "lab+gc": re.sub(r"(?m)^postScriptGC\s*=.*$", "postScriptGC = true", LAB_CONFIG),
    "lab+watcher": re.sub(r'(?m)^fileWatcherType\s*=.*$', 'fileWatcherType = "auto"', LAB_CONFIG),
    "served": None,  # dilemma serve: the lab config, several processes behind nginx
}
PRESET = "classroom-two-player"
HEADLINE = "### The game:"  # page 1's first result (the game's type)
SLIDER_KEY = "punishment_pct"  # the slider's key and URL name (percent)
#: The punishment slider's grid in display units (-0.5 .. 3.0 step 0.05).
GRID = [round(-0.5 + 0.05 * k, 2) for k in range(71)]


def _pb():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


def rerun_msg(query: str, page_hash: str = "", sliders: dict[str, float] | None = None) -> bytes:
    """A serialized ``BackMsg.rerun_script`` with the given URL query and slider values."""
    BackMsg, _ = _pb()
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_script_hash = page_hash
    for wid, value in (sliders or {}).items():
        w = state.widget_states.widgets.add()
        w.id = wid
        w.double_array_value.data.append(value)
    return msg.SerializeToString()


class Session:
    """One browser tab, as far as the server can tell."""

    def __init__(self, url: str, seed: int):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.rng = random.Random(seed)
        # nginx's sticky route cookie (ignored by a bare Streamlit server)
        self.headers = {"Cookie": f"dilemma_route={self.rng.getrandbits(64):016x}"}
        self.ws = None
        self.page_hash = ""
        self.slider_id = None
        self.exceptions: list[str] = []
        self.t_headline = None  # when the page's headline ("### The game: ...") arrived
        self.messages = 0  # ForwardMsgs of the last rerun, up to script_finished

    async def _until_finished(self) -> int:
        _, ForwardMsg = _pb()
        n = 0
        while True:
            data = await self.ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(data)
            n += 1
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                which = el.WhichOneof("type")
                if which == "slider" and el.slider.id.endswith(f"-{SLIDER_KEY}"):
                    self.slider_id = el.slider.id
                elif which == "markdown" and el.markdown.body.startswith(HEADLINE):
                    self.t_headline = time.perf_counter()
                elif which == "exception":
                    self.exceptions.append(el.exception.message)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return n
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise RuntimeError(f"script finished with status {msg.script_finished}")

    async def open(self) -> float:
        import websockets

        t0 = time.perf_counter()
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60, ping_interval=None,
                                           additional_headers=self.headers)
        await self.ws.send(rerun_msg(f"preset={PRESET}"))
        await self._until_finished()
        if self.slider_id is None:
            raise RuntimeError("no punishment slider on the page")
        self.headline_s = self.t_headline - t0 if self.t_headline is not None else None
        return time.perf_counter() - t0

    async def move(self, value: float) -> float:
        t0 = time.perf_counter()
        await self.ws.send(rerun_msg(f"preset={PRESET}&{SLIDER_KEY}={value:g}", self.page_hash,
                                     {self.slider_id: value}))
        self.messages = await self._until_finished()
        return time.perf_counter() - t0

    async def close(self):
        if self.ws is not None:
            await self.ws.close()


def _proc_stats(pid) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of a process (or a list of them) and their children, from /proc."""
    import psutil

    procs = []
    for one in (pid if isinstance(pid, (list, tuple)) else [pid]):
        p = psutil.Process(one)
        procs += [p] + p.children(recursive=True)
    cpu = sum(sum(q.cpu_times()[:2]) for q in procs)
    rss = sum(q.memory_info().rss for q in procs) / 2**20
    return cpu, rss


def _summary(xs: list[float]) -> dict:
    if not xs:
        return {}
    xs = sorted(xs)

    def pct(q):
        return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]

    return {"n": len(xs), "p50": statistics.median(xs), "p95": pct(95), "p99": pct(99), "max": xs[-1],
            "mean": statistics.fmean(xs)}


async def run_load(url: str, sessions: int, moves: int, think: float, bursts: int, seed: int,
                   server_pid: int, solo_n: int = 30, first_n: int = 5) -> dict:
    rng = random.Random(seed)
    clients = [Session(url, seed * 1000 + i) for i in range(sessions)]
    # warm-up: imports and the first analysis happen once, before the clock starts
    warm = Session(url, seed - 1)
    await warm.open()
    await warm.move(0.0)
    await warm.close()

    # first load: a new session opens page 1 alone (server warm): time to the headline, to the end
    firsts, headlines = [], []
    for k in range(first_n):
        fresh = Session(url, seed - 10 - k)
        firsts.append(await fresh.open())
        if fresh.headline_s is not None:
            headlines.append(fresh.headline_s)
        await fresh.close()

    # solo: one session alone, back to back, the uncontended cost of a rerun
    solo_client = Session(url, seed - 2)
    await solo_client.open()
    solo_values = rng.sample(GRID, k=min(solo_n, len(GRID)))
    cpu_a, _ = _proc_stats(server_pid)
    solo = [await solo_client.move(v) for v in solo_values]
    cpu_b, _ = _proc_stats(server_pid)
    solo_seen = [await solo_client.move(v) for v in solo_values]   # the same values again: caches warm
    cpu_c, _ = _proc_stats(server_pid)
    messages = solo_client.messages
    await solo_client.close()

    cpu0, _ = _proc_stats(server_pid)
    t0 = time.perf_counter()
    opens = await asyncio.gather(*(c.open() for c in clients))
    t_open = time.perf_counter() - t0

    async def student(c: Session) -> list[float]:
        out = []
        await asyncio.sleep(c.rng.uniform(0, think))
        for _ in range(moves):
            out.append(await c.move(c.rng.choice(GRID)))
            await asyncio.sleep(c.rng.expovariate(1 / think) if think > 0 else 0)
        return out

    cpu1, _ = _proc_stats(server_pid)
    t1 = time.perf_counter()
    steady = [x for xs in await asyncio.gather(*(student(c) for c in clients)) for x in xs]
    t_steady = time.perf_counter() - t1
    cpu2, rss2 = _proc_stats(server_pid)

    burst = []
    t2 = time.perf_counter()
    for _ in range(bursts):
        values = rng.sample(GRID, k=min(len(GRID), sessions))
        values += [rng.choice(GRID) for _ in range(sessions - len(values))]
        burst += await asyncio.gather(*(c.move(v) for c, v in zip(clients, values)))
        await asyncio.sleep(1.0)
    t_burst = time.perf_counter() - t2 - bursts * 1.0
    cpu3, rss3 = _proc_stats(server_pid)
    exceptions = sorted({e for c in clients for e in c.exceptions})
    await asyncio.gather(*(c.close() for c in clients))
    return {
        "first_open": _summary(firsts), "first_headline": _summary(headlines),
        "solo": _summary(solo), "solo_server_cpu_ms_per_rerun": 1000 * (cpu_b - cpu_a) / len(solo),
        "solo_seen": _summary(solo_seen),
        "solo_seen_server_cpu_ms_per_rerun": 1000 * (cpu_c - cpu_b) / len(solo_seen),
        "messages_per_rerun": messages,
        "open": _summary(opens), "open_wall_s": t_open,
        "steady": _summary(steady), "steady_wall_s": t_steady,
        "steady_reruns_per_s": len(steady) / t_steady,
        "steady_server_cpu_s": cpu2 - cpu1, "steady_server_cpu_ms_per_rerun": 1000 * (cpu2 - cpu1) / len(steady),
        "burst": _summary(burst), "burst_wall_s": t_burst,
        "server_cpu_total_s": cpu3 - cpu0, "server_rss_mb": rss3, "server_rss_after_steady_mb": rss2,
        "exceptions": exceptions,
    }


@contextlib.contextmanager
def served_server(root: Path, processes: int):
    """``dilemma serve`` on the snapshot: yields (url, pids of nginx and the lab processes)."""
    sys.path.insert(0, str(root))          # the snapshot's dilemma.lab.serve
    from dilemma.lab.serve import serve

    with tempfile.TemporaryDirectory(prefix="dilemma-served-") as cwd:
        (Path(cwd) / ".streamlit").mkdir()
        (Path(cwd) / ".streamlit" / "config.toml").write_text((root / ".streamlit" / "config.toml").read_text())
        with serve(processes, app=root / "app.py", cwd=cwd) as served:
            yield served.url, [p.pid for p in served.processes]


def measure(name: str, args, root: Path) -> dict:
    if name == "served":
        with served_server(root, args.processes) as (url, pids):
            return _measure_at(url, pids, args)
    holder = {}
    config = CONFIGS[name]
    if config is None:  # the lab's own config, from the snapshot being measured
        config = (root / ".streamlit" / "config.toml").read_text()
    with lab_server(config_toml=config, root=root, on_start=lambda p: holder.setdefault("pid", p.pid)) as url:
        return _measure_at(url, holder["pid"], args)


def _measure_at(url: str, pids, args) -> dict:
    """Run the load against a server already up; add the load generator's own CPU time."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF)
    res = asyncio.run(run_load(url, args.sessions, args.moves, args.think, args.bursts, args.seed, pids))
    after = resource.getrusage(resource.RUSAGE_SELF)
    res["client_cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return res


def _fmt(s: dict) -> str:
    return (f"p50 {s['p50'] * 1000:6.0f} ms  p95 {s['p95'] * 1000:6.0f} ms  p99 {s['p99'] * 1000:6.0f} ms  "
            f"max {s['max'] * 1000:6.0f} ms  (n={s['n']})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=60)
    ap.add_argument("--moves", type=int, default=15, help="slider moves per session in the steady phase")
    ap.add_argument("--think", type=float, default=5.0, help="mean seconds between a session's moves")
    ap.add_argument("--bursts", type=int, default=3, help="rounds in which all sessions move at once")
    ap.add_argument("--configs", default="lab,default", help=f"comma-separated, from {', '.join(CONFIGS)}")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--processes", type=int, default=2, help="lab processes of the 'served' config")
    ap.add_argument("--commit", default="HEAD", help="git commit to measure (run from a snapshot of it)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--preset", default=PRESET, help="the scenario every session opens on page 1")
    args = ap.parse_args(argv)
    globals()["PRESET"] = args.preset

    import streamlit

    results = {"machine": f"{platform.machine()}, {__import__('os').cpu_count()} CPUs, {platform.platform()}",
               "python": platform.python_version(), "streamlit": streamlit.__version__,
               "date": time.strftime("%Y-%m-%d"), "argv": sys.argv[1:], "runs": {}}
    print(f"{args.sessions} sessions x {args.moves} moves, think {args.think} s; {args.bursts} bursts; "
          f"Streamlit {streamlit.__version__}, Python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} CPUs")
    with snapshot(args.commit) as (root, commit):
        results["commit"] = commit
        results["preset"] = args.preset
        print(f"commit {commit[:10]}")
        for name in args.configs.split(","):
            _run_one(name, args, root, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def _run_one(name, args, root, results):
    """Measure one config and print its figures."""
    res = measure(name, args, root)
    results["runs"][name] = res
    print(f"\n[{name}]")
    if res.get("first_headline"):
        print(f"  first load  headline {_fmt(res['first_headline'])}; page done p50 "
              f"{res['first_open']['p50'] * 1000:.0f} ms")
    print(f"  solo        {_fmt(res['solo'])}  server {res['solo_server_cpu_ms_per_rerun']:.0f} ms CPU/rerun")
    print(f"  solo, seen  {_fmt(res['solo_seen'])}  server {res['solo_seen_server_cpu_ms_per_rerun']:.0f} ms "
          f"CPU/rerun; {res['messages_per_rerun']} messages a rerun")
    print(f"  open page   {_fmt(res['open'])}")
    print(f"  steady      {_fmt(res['steady'])}  {res['steady_reruns_per_s']:.1f} reruns/s, "
          f"server {res['steady_server_cpu_ms_per_rerun']:.0f} ms CPU/rerun")
    print(f"  burst       {_fmt(res['burst'])}")
    print(f"  server RSS {res['server_rss_mb']:.0f} MB, server CPU {res['server_cpu_total_s']:.1f} s, "
          f"load generator CPU {res['client_cpu_s']:.1f} s")
    if res["exceptions"]:
        print("  EXCEPTIONS:", res["exceptions"])


if __name__ == "__main__":
    sys.exit(main())
