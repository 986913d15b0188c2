"""Property-based: random frames thrown at the real link never crash it and never
make it lose or double the valid alerts sent around them."""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import RecordingListener, wait_until

from csu_console.net.link import AlertLink, LinkSettings
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.writer import StorageWriter

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
alert_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["alert", "cap", "update", "ack", "x"]), "seq": st.just("auto")},
    optional={
        "alert": st.dictionaries(
            st.sampled_from(["id", "source", "sent", "category", "priority", "title",
                             "location", "reporter", "attachments", "commune"]),
            json_values, max_size=8,
        ),
        "xml": st.text(max_size=200),
    },
)  # fmt: skip
frames = st.one_of(
    st.binary(max_size=200).map(lambda b: {"b64": base64.b64encode(b).decode(), "binary": True}),
    st.binary(max_size=200).map(lambda b: {"b64": base64.b64encode(b).decode()}),
    st.text(max_size=200).map(lambda t: {"raw": t}),
    json_values.map(lambda v: {"raw": json.dumps(v)}),
    # Untracked: a frame whose seq cannot be read is answered with seq null.
    alert_like.map(lambda obj: {"json": obj, "expect": "none"}),
)


@pytest.mark.expected_logs("csu.net")
def test_random_frames_never_crash_nor_lose(sim: SimProcess, writer: StorageWriter) -> None:
    listener = RecordingListener()
    link = AlertLink(LinkSettings(sim.url, "poste-1"), writer, listener)
    link.start()
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    sent_valid = 0

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(frames, min_size=1, max_size=8))
    def throw(batch: list[dict[str, Any]]) -> None:
        nonlocal sent_valid
        sim.command("inject", frames=batch)
        # A valid alert right behind the garbage: frames are handled in order, so
        # once it is acked, everything before it was decoded and answered.
        sim.command("emit", count=1)
        sent_valid += 1
        wait_until(
            lambda: sim.command("stats")["stations"]["poste-1"]["unanswered"] == 0,
            20,
            "la liaison répond à tout",
        )
        assert listener.phase is LinkPhase.CONNECTED

    try:
        throw()
    finally:
        link.stop()
    conn = sqlite3.connect(writer.path)
    try:
        # Every stored key (the fuzz's own alert-like frames may be stored too).
        got = {tuple(r) for r in conn.execute("SELECT source, alert_id FROM alerts")}
    finally:
        conn.close()
    expected = {tuple(k) for k in sim.command("ids")}
    assert expected <= got and len(expected) == sent_valid
