"""A minimal Streamlit client over the WebSocket protocol, for load tests and benchmarks.

It does what a browser tab does, without drawing: opens ``/_stcore/stream``, asks for a
script run with a ``BackMsg.rerun_script`` (the page, its query string and every widget's
state), and reads ``ForwardMsg`` protobufs until ``script_finished``. It keeps what a
browser keeps between runs: the page's hash, the query string the script set, the
widgets on screen (by label) and the fragments that asked to be re-run every few
seconds (``st.fragment(run_every=...)``; the browser's timer is the caller's job here:
:meth:`Tab.poll`).

Used by ``benchmarks/bench_classroom.py`` (students and a projector) and the classroom
load test. Streamlit's protobufs come with Streamlit; ``websockets`` is in the dev extra.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

__all__ = ["Tab", "Widget"]


def _pb():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


@dataclass
class Widget:
    """A widget on screen: its id, kind, label and (for buttons) whether it submits a form."""

    id: str
    kind: str
    label: str
    form_id: str = ""
    fragment_id: str = ""      # drawn by a fragment: a click re-runs only that fragment, as in a browser


@dataclass
class Tab:
    """One browser tab on a Streamlit server.

    Parameters
    ----------
    url : str
        ``http://host:port`` of the server (or of nginx in front of several).
    page : str
        URL path of the page (``"join"``; ``""`` for the default page).
    query : str
        The link's query string (``"room=ABCD"``).
    seed : int
        Seeds the route cookie that nginx uses for sticky sessions.
    """

    url: str
    page: str = ""
    query: str = ""
    seed: int = 0
    ws: object = None
    page_hash: str = ""
    widgets: dict = field(default_factory=dict)
    texts: list = field(default_factory=list)
    fragments: dict = field(default_factory=dict)      # fragment id -> interval (s)
    exceptions: list = field(default_factory=list)
    runs: int = 0

    async def connect(self) -> None:
        import websockets

        cookie = f"dilemma_route={random.Random(self.seed).getrandbits(64):016x}"
        self.ws = await websockets.connect(self.url.replace("http://", "ws://") + "/_stcore/stream",
                                           subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                           ping_interval=None, additional_headers={"Cookie": cookie})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def find(self, label_part: str, kind: str | None = None) -> Widget | None:
        """The widget on screen whose label contains ``label_part`` (and of ``kind``), if any."""
        for w in self.widgets.values():
            if label_part in w.label and (kind is None or w.kind == kind):
                return w
        return None

    def text(self) -> str:
        """Every text the last run put on screen (markdown, metrics, alerts), one per line."""
        return "\n".join(self.texts)

    async def run(self, *, click: Widget | None = None, values: dict | None = None,
                  fragment: str | None = None) -> float:
        """One script run (the whole page, or one fragment); returns its wall time in seconds.

        ``click`` sends a button's trigger; ``values`` maps widget ids to string values
        (text inputs). Other widgets are sent as unset, like a browser that has not
        touched them.
        """
        BackMsg, ForwardMsg = _pb()
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = self.page
        if click is not None and click.fragment_id and not fragment:
            fragment = click.fragment_id        # the browser re-runs just the widget's fragment
            state.fragment_id = fragment
        elif fragment:
            state.fragment_id = fragment
            state.is_auto_rerun = True
        for wid, value in (values or {}).items():
            w = state.widget_states.widgets.add()
            w.id = wid
            w.string_value = value
        if click is not None:
            w = state.widget_states.widgets.add()
            w.id = click.id
            w.trigger_value = True
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        # what this run draws replaces what the last one drew (for a fragment run: the caller
        # sees only the fragment's part, which is what changes between polls)
        self.widgets, self.texts = {}, []
        if not fragment:       # a full run re-registers the fragments it draws; old ids are gone
            self.fragments = {}
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), 120))
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.fragments[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd.delta.new_element, fwd.delta.fragment_id)
            elif kind == "script_finished":
                done = fwd.script_finished
                if done == ForwardMsg.FINISHED_SUCCESSFULLY or done == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    self.runs += 1
                    return time.perf_counter() - t0
                if done != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise RuntimeError(f"script finished with status {done}")

    async def poll(self) -> float:
        """What the browser's timer does: re-run every auto-rerun fragment once."""
        total = 0.0
        for fid in list(self.fragments):
            total += await self.run(fragment=fid)
        return total

    def _element(self, el, fragment_id: str = "") -> None:
        which = el.WhichOneof("type")
        if which == "exception":
            self.exceptions.append(el.exception.message)
        elif which == "markdown":
            self.texts.append(el.markdown.body)
        elif which == "alert":
            self.texts.append(el.alert.body)
        elif which == "metric":
            self.texts.append(f"{el.metric.label}: {el.metric.body}")
        elif which in ("button", "text_input", "number_input", "slider", "selectbox", "checkbox"):
            proto = getattr(el, which)
            self.widgets[proto.id] = Widget(proto.id, which, getattr(proto, "label", ""),
                                            getattr(proto, "form_id", ""), fragment_id)
