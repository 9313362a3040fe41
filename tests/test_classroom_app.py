"""Classroom mode in Streamlit's ``AppTest``: a lecturer and three students, each a separate session.

The lecturer creates a room on ``dilemma/lab/pages/classroom.py``, students
take seats on ``dilemma/lab/pages/join.py`` (the link ``/join?room=CODE``),
predict and choose; the lecturer closes and reveals; the projector shows the
debrief and the charts, the students their group and payoff. Every session
talks to the same SQLite file through :mod:`dilemma.classroom`, as separate
browser tabs on one server would. Bad input on the pages (a wrong lecturer
key, an unknown room, a forged seat, an HTML label, a vote after the close)
shows an ``st.error`` and changes nothing.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import APP, bad_numbers_shown, charts_of, metrics_of
from dilemma import build_game, load_preset
from dilemma.classroom.store import Classroom

LECTURER = "dilemma/lab/pages/classroom.py"
STUDENT = "dilemma/lab/pages/join.py"
KEY = "projector-key"


@pytest.fixture
def dbfile(tmp_path, monkeypatch):
    path = str(tmp_path / "class.sqlite")
    monkeypatch.setenv("DILEMMA_DB", path)
    monkeypatch.delenv("DILEMMA_LECTURER_KEY", raising=False)
    monkeypatch.delenv("DILEMMA_BASE_URL", raising=False)
    return path


def _session(query=None, page=None):
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def _ok(at, where=""):
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"
    assert not bad_numbers_shown(at), where


def _errors(at):
    return [e.value for e in at.error]


def _student(code, label=None):
    s = _session({"room": code}, STUDENT)
    _ok(s, "join page")
    assert not s.sidebar.slider and not s.sidebar.selectbox, "the students' page draws no scenario sidebar"
    if label is not None:
        s.text_input(key="label").set_value(label)
    s.button(key="take_seat").click().run()
    _ok(s, "after taking a seat")
    return s


def _texts(at):
    return " ".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
                    + [x.value for x in at.success])


def test_lecturer_and_three_students_play_a_round(dbfile):
    lect = _session({"preset": "classroom-two-player"}, LECTURER)
    _ok(lect, "lecturer page")
    lect.text_input(key="new_key").set_value(KEY)
    lect.button(key="create").click().run()
    _ok(lect, "room created")
    code = lect.query_params["room"]
    assert any(f"/join?room={code}" in m.value for m in lect.markdown)
    assert lect.get("image"), "the QR code is shown"
    assert metrics_of(lect)["Seated"] == "0"

    # a link preview (a run without a click) takes no seat
    preview = _session({"room": code}, STUDENT)
    assert Classroom(dbfile).status(code)["seated"] == 0 and "Take a seat" in [b.label for b in preview.button]

    bad = _session({"room": code}, STUDENT)
    bad.text_input(key="label").set_value("<img src=x onerror=alert(1)>")
    bad.button(key="take_seat").click().run()
    assert _errors(bad) == ["label: plain text only (no < or >), got '<img src=x onerror=alert(1)>'"]
    students = [_student(code, lab) for lab in ("Ada *star*", "Bo", "")]
    assert Classroom(dbfile).status(code)["seated"] == 3
    assert "Ada \\*star\\*" in _texts(students[0])          # the label is shown escaped, not as markdown
    assert "Wait for the lecturer to start round 1" in _texts(students[0])

    lect.run()
    assert metrics_of(lect)["Seated"] == "3"
    lect.button(key="start").click().run()
    _ok(lect, "round 1 started")
    assert metrics_of(lect)["Decided"] == "0 of 3"

    game = build_game(load_preset("classroom-two-player"))
    for i, s in enumerate(students):
        s.run()
        _ok(s, f"student {i} sees round 1")
        table = s.table[0].value
        assert table.columns.tolist() == ["If", "You Spend", "You Cut"]
        assert table["If"].tolist() == ["Your rival cuts", "Your rival spends"]
        firm = game.players.index(next(p for p in game.players if f"You are **{p}**" in _texts(s)))
        # the table is the firm's own payoffs: rows = rival Cut / Spend, columns = own Spend / Cut
        rival = 1 - firm
        for row, rival_action in ((0, 1), (1, 0)):
            for col, own in (("You Spend", 0), ("You Cut", 1)):
                prof = [0, 0]
                prof[firm], prof[rival] = own, rival_action
                assert table[col].tolist()[row] == f"${game.payoffs[tuple(prof) + (firm,)]:,.{1 if abs(game.payoffs[tuple(prof) + (firm,)]) >= 1 else 2}f}B"
        if i < 2:
            s.button(key="spend").click().run()                 # no prediction yet: refused
            assert _errors(s) == ["prediction: pick how many rivals will spend first, then choose."]
            s.segmented_control(key="pred-1").set_value(1 - i)
            s.button(key="spend" if i == 0 else "cut").click().run()
            _ok(s, f"student {i} chose")
            left = len(students) - 1 - i                          # the room's students still to choose
            assert (f"Waiting for {left} other(s) to decide" if left else "Everyone has decided") in _texts(s)
        del firm
    lect.run()
    assert metrics_of(lect)["Decided"] == "2 of 3"

    # the lecturer needs the key: a fresh projector window on the same room asks for it
    other = _session({"room": code}, LECTURER)
    other.text_input(key="unlock_key").set_value("not-the-key")
    other.button(key="unlock").click().run()
    assert _errors(other) == ["lecturer_key: wrong key for this room"]
    assert not [b for b in other.button if b.key in ("start", "close", "reveal")]

    lect.button(key="close").click().run()
    _ok(lect, "closed")
    late = students[2]                                        # the third student clicks after the close
    late.segmented_control(key="pred-1").set_value(0)
    late.button(key="cut").click().run()
    assert _errors(late) == [f"round: no round is open in room {code}: round 1 is closed"]

    lect.button(key="reveal").click().run()
    _ok(lect, "revealed")
    debrief = " ".join(i.value for i in lect.info)
    assert "the equilibrium says 100 %, the social optimum 0 %" in debrief
    assert len(charts_of(lect)) == 4                          # share, QRE fit, predictions, payoffs

    s0 = students[0]
    s0.run()
    _ok(s0, "student sees the result")
    rows = Classroom(dbfile).results(code)
    mine = next(r for r in rows if r["label"] == "Ada *star*")
    assert metrics_of(s0)["Your payoff this round"] == f"${mine['payoff']:,.1f}B"
    group = s0.table[0].value
    assert group["Firm"].tolist() == list(game.players)
    assert group["Chose"].tolist() == [r["action"] for r in rows if r["group"] == mine["group"]]


def test_bad_links_show_an_error(dbfile):
    s = _session({"room": "NOPE7"}, STUDENT)
    assert _errors(s) == ["room: there is no room 'NOPE7' (check the code on the projector)"]
    store = Classroom(dbfile)
    room, _ = store.create_room(load_preset("classroom-two-player"), lecturer_key=KEY)
    forged = _session({"room": room.code, "seat": "x" * 32}, STUDENT)
    assert _errors(forged) == [f"seat: this seat token is not valid in room {room.code} "
                               "(take a new seat from the join link)"]
    assert "Take a seat" in [b.label for b in forged.button]
    assert store.status(room.code)["seated"] == 0
    lect = _session({"room": "NOPE7"}, LECTURER)
    assert _errors(lect) == ["room: there is no room 'NOPE7' (check the code on the projector)"]


def test_reopening_the_link_with_the_seat_returns_the_same_seat(dbfile):
    store = Classroom(dbfile)
    room, _ = store.create_room(load_preset("classroom-two-player"), lecturer_key=KEY)
    s = _student(room.code, "Ada")
    token = s.query_params["seat"]
    again = _session({"room": room.code, "seat": token}, STUDENT)
    _ok(again)
    assert "P001 · Ada" in _texts(again) and store.status(room.code)["seated"] == 1


def test_a_server_key_guards_room_creation(dbfile, monkeypatch):
    monkeypatch.setenv("DILEMMA_LECTURER_KEY", "server-key-42")
    lect = _session({"preset": "classroom-two-player"}, LECTURER)
    lect.button(key="create").click().run()                       # no key typed
    assert _errors(lect) == ["lecturer_key: this server needs its lecturer key to create a room"]
    lect.text_input(key="new_key").set_value("guess")
    lect.button(key="create").click().run()
    assert _errors(lect) == ["lecturer_key: wrong key: not this server's lecturer key"]
    assert "room" not in lect.query_params
    lect.text_input(key="new_key").set_value("server-key-42")
    lect.button(key="create").click().run()
    _ok(lect, "created with the server's key")
    code = lect.query_params["room"]
    assert not lect.warning, "a key the lecturer typed is not shown back"
    Classroom(dbfile).check_key(code, "server-key-42")


def test_a_generated_key_is_shown_once(dbfile):
    lect = _session({"preset": "classroom-two-player"}, LECTURER)
    lect.button(key="create").click().run()
    code = lect.query_params["room"]
    (shown,) = [w.value for w in lect.warning]
    key = shown.split("**")[1]
    Classroom(dbfile).check_key(code, key)
    lect.run()
    assert not lect.warning, "the generated key is shown only once"
    assert lect.button(key="start")                               # this session keeps the key


def test_an_uploaded_scenario_is_the_rooms_game(dbfile):
    from dilemma.scenario import load_preset as lp

    text = lp("2025-baseline").to_toml().replace('title = "2025 baseline: five hyperscalers"',
                                                   'title = "Our own five firms"')
    assert "Our own five firms" in text
    lect = _session({"preset": "classroom-two-player"}, LECTURER)
    lect.file_uploader(key="room_upload").set_value(("ours.toml", text.encode(), "application/toml")).run()
    _ok(lect, "uploaded")
    assert any("This room plays the uploaded scenario:** Our own five firms (5 firms)" in m.value
               for m in lect.markdown)
    lect.text_input(key="new_key").set_value(KEY)
    lect.button(key="create").click().run()
    room = Classroom(dbfile).room(lect.query_params["room"])
    assert room.title == "Our own five firms" and room.info.n == 5 and room.settings.group_size == 5
    bad = _session({"preset": "classroom-two-player"}, LECTURER)
    bad.file_uploader(key="room_upload").set_value(("bad.toml", b"title = 3", "application/toml")).run()
    assert _errors(bad) and "bad.toml" in _errors(bad)[0]
    assert "create" not in [b.key for b in bad.button], "no room from a file that does not load"
