"""``dilemma serve``: two lab processes behind Debian's nginx, with sticky sessions.

Starts the real thing (nginx and two Streamlit processes on loopback). Skipped with a
reason when nginx is not installed, except under ``DILEMMA_REQUIRE_NGINX=1`` (CI), where
that is a failure.
"""

from __future__ import annotations

import asyncio
import secrets
import urllib.request

import pytest

from dilemma.errors import DilemmaError
from dilemma.lab.serve import find_nginx, parse_backends, render_nginx_conf, serve
from requires import unavailable


def _nginx_or_skip():
    try:
        return find_nginx()
    except DilemmaError as exc:
        unavailable("nginx", str(exc))


def _get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": f"dilemma_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        headers = dict(r.headers)
        headers["Set-Cookie"] = "; ".join(r.headers.get_all("Set-Cookie") or [])
        return r.read(), headers


def test_conf_lists_every_backend_and_keeps_nginx_variables():
    conf = render_nginx_conf("/srv/x", "0.0.0.0:8080", ["10.0.0.5:8501", "10.0.0.6:8501"])
    assert "server 10.0.0.5:8501 max_fails=0;" in conf and "server 10.0.0.6:8501 max_fails=0;" in conf
    assert "listen 0.0.0.0:8080;" in conf and "pid /srv/x/nginx.pid;" in conf
    assert "${" not in conf                                   # every placeholder filled
    assert "$cookie_dilemma_route" in conf and "$http_upgrade" in conf   # nginx's own variables untouched


def test_bad_backends_are_one_clear_error():
    with pytest.raises(DilemmaError, match="HOST:PORT"):
        parse_backends("10.0.0.5:99999")


@pytest.mark.slow
def test_two_processes_behind_nginx_stick_and_serve_the_lab():
    _nginx_or_skip()
    with serve(processes=2) as served:
        assert len(served.backends) == 2
        body, headers = _get(f"{served.url}/_stcore/health")
        assert body.strip() == b"ok"
        assert "dilemma_route=" in headers.get("Set-Cookie", "")           # a first visit gets a route
        # the same browser (cookie) always reaches the same process; many browsers reach both
        routes = {}
        for k in range(24):
            cookie = secrets.token_hex(8)
            seen = {_get(f"{served.url}/_stcore/health", cookie)[1]["X-Dilemma-Upstream"] for _ in range(3)}
            assert len(seen) == 1, f"cookie {cookie} reached {seen}"
            routes[cookie] = seen.pop()
        assert set(routes.values()) == set(served.backends)
        # the lab's page itself runs through the proxy, over its WebSocket
        html, _ = _get(f"{served.url}/")
        assert b'<div id="root">' in html                       # Streamlit's page, through nginx
        assert asyncio.run(_run_page(served.url, next(iter(routes)))) > 0


async def _run_page(url: str, cookie: str) -> int:
    """Open the lab's first page over Streamlit's WebSocket protocol; count the elements drawn."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = "preset=classroom-two-player"
    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                  additional_headers={"Cookie": f"dilemma_route={cookie}"}) as ws:
        await ws.send(msg.SerializeToString())
        elements = 0
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                assert fwd.delta.new_element.WhichOneof("type") != "exception", fwd.delta.new_element.exception.message
                elements += 1
            elif kind == "script_finished":
                assert fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                return elements
