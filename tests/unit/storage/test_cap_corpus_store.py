"""Every real (and derived) CAP document of ``tests/data/cap`` through the whole
station path: a protocol v1 ``cap`` frame carrying its bytes as received
(``xml_base64``), decoded, stored by ``commit_batch`` — none refused unless the
standard says so, each doing what its type and status say, its bytes kept exactly,
and the main courante and the alerts still verifying at the end."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from csu_console.core.protocol import AlertMessage, Rejection, decode_frame
from csu_console.storage.alert_audit import verify_alerts
from csu_console.storage.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "data" / "cap"

#: The outcome a message's disposition (manifest) can give.
EXPECTED = {
    "new": {"stored"},
    "feed_log": {"logged"},
    "update": {"updated", "pending", "logged", "stored"},
    "cancel": {"cancelled", "pending", "logged"},
}

#: Where the console knows better than the header: an IPAWS Required Monthly Test
#: sent as ``Actual`` is a test (the parser says so with a warning): the log, no ring.
OVERRIDES = {"ipaws-required-monthly-test.xml": {"logged"}}


def _frame(seq: int, data: bytes) -> bytes:
    body = {"type": "cap", "seq": seq, "xml_base64": base64.b64encode(data).decode()}
    return json.dumps(body).encode()


def test_every_corpus_document_is_stored_as_its_type_says(store: Store) -> None:
    docs: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text())["documents"]
    assert len([d for d in docs if not d["hostile"]]) >= 40
    stored: set[tuple[str, str]] = set()
    kinds: dict[str, str] = {}
    for seq, doc in enumerate(docs, start=1):
        data = (CORPUS / doc["file"]).read_bytes()
        item = decode_frame(_frame(seq, data), True)
        if doc["hostile"] or doc["must_reject"]:
            assert isinstance(item, Rejection), doc["file"]
            continue
        assert isinstance(item, AlertMessage), (doc["file"], getattr(item, "reason", ""))
        (outcome,) = store.commit_batch([item], "poste-1")
        kinds[doc["file"]] = outcome.kind
        want = OVERRIDES.get(doc["file"], EXPECTED[doc["disposition"]])
        assert outcome.kind in want, (doc["file"], outcome.kind)
        refs = {tuple(r.split(",")[:2]) for r in doc["references"]}
        if doc["disposition"] == "cancel" and refs & stored:
            assert outcome.kind == "cancelled", doc["file"]
            assert outcome.stored is not None and outcome.stored.issuer_state is not None
        if outcome.kind == "stored":
            stored.add((doc["sender"], doc["identifier"]))
        if outcome.kind in ("updated", "cancelled"):
            stored.add((doc["sender"], doc["identifier"]))
        # The document as received, byte for byte, under the digest in the book.
        assert store.cap_document(hashlib.sha256(data).hexdigest()) == data, doc["file"]
    # The whole chains of the corpus played out (the Gard flood: alert, update, cancel).
    assert kinds["derived-gard-flood-2-update.xml"] == "updated"
    assert kinds["derived-gard-flood-3-cancel.xml"] == "cancelled"
    assert store.verify_chain().ok
    report = verify_alerts(store.conn)
    assert report.ok, report.problems
    assert report.checked == store.count("alerts") >= 20  # every row checked
