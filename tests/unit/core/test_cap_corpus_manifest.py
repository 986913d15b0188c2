"""The CAP corpus (tests/data/cap) matches its manifest: every document listed, its bytes
unchanged (SHA-256), well formed, and its main facts as recorded. Not a test of the parser."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "data" / "cap"
NOT_DOCUMENTS = {"README.md", "manifest.json", ".gitattributes"}
STATUSES = {"Actual", "Exercise", "System", "Test", "Draft"}
MSG_TYPES = {"Alert", "Update", "Cancel", "Ack", "Error"}
SCOPES = {"Public", "Restricted", "Private"}


def _manifest() -> list[dict[str, Any]]:
    data = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    documents: list[dict[str, Any]] = data["documents"]
    return documents


DOCUMENTS = _manifest()
SAFE = [d for d in DOCUMENTS if not d["hostile"]]
HOSTILE = [d for d in DOCUMENTS if d["hostile"]]


def _ids(docs: list[dict[str, Any]]) -> list[str]:
    return [d["file"] for d in docs]


def test_every_file_is_listed_once_and_every_entry_exists() -> None:
    on_disk = {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name not in NOT_DOCUMENTS
    }
    listed = [d["file"] for d in DOCUMENTS]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == on_disk


def test_corpus_covers_what_the_issue_asks() -> None:
    real = [d for d in SAFE if not d["derived"]]
    issuers = {d["issuer"] for d in real}
    assert len(issuers) >= 5
    french = [d for d in SAFE if any((x or "").lower().startswith("fr") for x in d["languages"])]
    assert len(french) >= 2
    assert any(d["msgType"] == "Cancel" and d["info_count"] == 0 for d in real)
    assert any(d["encoding"].upper() == "ISO-8859-1" for d in real)
    assert any(d["signed"] for d in real)
    assert HOSTILE
    statuses = {d["status"] for d in SAFE}
    assert {"Actual", "Exercise", "Test", "System", "Draft"} <= statuses
    assert {"Alert", "Update", "Cancel", "Ack", "Error"} <= {d["msgType"] for d in SAFE}
    assert {"Public", "Restricted", "Private"} <= {d["scope"] for d in SAFE}
    assert {"ISO-8859-1", "WINDOWS-1252", "UTF-16"} <= {d["encoding"].upper() for d in SAFE}
    counts = [n for d in SAFE for n in d["polygon_point_counts"]]
    assert 0 in counts and any(0 < n < 4 for n in counts)
    assert [d["file"] for d in SAFE if d["must_reject"]] == ["derived-draft-thunderstorm.xml"]


def test_derived_chains_reference_documents_of_the_corpus() -> None:
    """Every reference of a derived message, and the first one of the real ECCC Update and
    IPAWS Cancel, designates a document of the corpus by its exact (sender, identifier, sent)."""
    known = {(d["sender"], d["identifier"], d["sent"]) for d in SAFE}
    checked = 0
    for doc in SAFE:
        refs = [tuple(r.split(",")) for r in doc["references"]]
        if doc["derived"]:
            to_check = refs
        elif doc["file"] in {"eccc-thunderstorm-update-en-fr.xml", "ipaws-cancel-no-info.xml"}:
            to_check = refs[:1]
        else:
            continue
        for ref in to_check:
            assert ref in known, f"{doc['file']}: {ref} is not in the corpus"
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize("doc", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_bytes_match_the_recorded_sha256(doc: dict[str, Any]) -> None:
    data = (CORPUS / doc["file"]).read_bytes()
    assert len(data) == doc["bytes"]
    assert hashlib.sha256(data).hexdigest() == doc["sha256"]


@pytest.mark.parametrize("doc", SAFE, ids=_ids(SAFE))
def test_document_is_well_formed_and_its_facts_are_recorded(doc: dict[str, Any]) -> None:
    data = (CORPUS / doc["file"]).read_bytes()
    assert re.search(rb"<!\s*(DOCTYPE|ENTITY)", data) is None, "no DTD in a safe document"
    root = ET.fromstring(data)  # the declared encoding (or UTF-8) decodes the bytes
    ns = doc["cap_namespace"]
    assert root.tag == f"{{{ns}}}alert"

    def text(name: str) -> str | None:
        return root.findtext(f"{{{ns}}}{name}")

    assert text("sender") == doc["sender"]
    assert text("identifier") == doc["identifier"]
    assert text("sent") == doc["sent"]
    assert text("msgType") == doc["msgType"] and doc["msgType"] in MSG_TYPES
    assert text("status") == doc["status"] and doc["status"] in STATUSES
    assert text("scope") == doc["scope"] and doc["scope"] in SCOPES
    assert (text("references") or "").split() == doc["references"]
    infos = root.findall(f"{{{ns}}}info")
    assert len(infos) == doc["info_count"]
    languages = [(i.findtext(f"{{{ns}}}language") or "").strip() or None for i in infos]
    assert languages == doc["languages"]
    areas = [a for i in infos for a in i.findall(f"{{{ns}}}area")]
    assert len(areas) == doc["area_count"]
    polygons = [p for a in areas for p in a.findall(f"{{{ns}}}polygon")]
    assert [len((p.text or "").split()) for p in polygons] == doc["polygon_point_counts"]
    assert doc["must_reject"] == (doc["status"] == "Draft")


@pytest.mark.parametrize("doc", HOSTILE, ids=_ids(HOSTILE))
def test_hostile_sample_carries_a_dtd_and_must_be_rejected(doc: dict[str, Any]) -> None:
    # Only looked at as bytes: never handed to an XML parser here.
    data = (CORPUS / doc["file"]).read_bytes()
    assert doc["must_reject"] is True
    assert re.search(rb"<!\s*(DOCTYPE|ENTITY)", data) is not None
    assert doc["attack"]
    assert doc["source"]["repository"] or doc["source"]["url"]
