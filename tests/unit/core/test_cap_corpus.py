"""The parser over the corpus of real CAP documents (``tests/data/cap/``, see its
README): every document listed in ``manifest.json`` is parsed from its bytes and
checked against the facts the manifest records; hostile ones and Draft are refused.

The folder comes from another branch; without it these tests skip. Point
``CAP_CORPUS_DIR`` at a copy elsewhere (``CAP_CORPUS_DIR=/path/tests/data/cap``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from csu_console.core.alerts import Category
from csu_console.core.cap import parse_cap
from csu_console.core.cap_facts import Signature, Status, disposition
from csu_console.errors import ValidationError

REPO = Path(__file__).resolve().parents[3]
CORPUS = Path(os.environ.get("CAP_CORPUS_DIR") or REPO / "tests" / "data" / "cap")


def _documents() -> list[Any]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"pas de corpus CAP : {CORPUS}"))]
    docs = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    return [pytest.param(doc, id=doc["file"]) for doc in docs]


DOCUMENTS = _documents()

#: What the parser makes of some documents, beyond the manifest's facts (the
#: categories of issue 17: French vigilance is météo, floods inondation…).
CATEGORIES = {
    "derived-bouches-du-rhone-forest-fire-exercise-iso-8859-1.xml": Category.FEU_DE_FORET,
    "derived-gard-flood-1-alert.xml": Category.INONDATION,
    "derived-gard-flood-2-update.xml": Category.INONDATION,
    "derived-gard-flood-3-cancel.xml": Category.INONDATION,
    "derived-sommieres-flood-early-1-alert.xml": Category.INONDATION,
    "derived-gard-vigilance-canicule-utf-16.xml": Category.METEO,
    "derived-gard-vigilance-orages-windows-1252.xml": Category.METEO,
    "dwd-heavy-rain-update-8-languages.xml": Category.METEO,
    "dwd-wind-gusts-1352-areas.xml": Category.METEO,
    "eccc-snowfall-update-signed-en-fr.xml": Category.METEO,
    "eccc-thunderstorm-update-en-fr.xml": Category.METEO,
    "bom-thunderstorm-geocodes.xml": Category.METEO,
    "imo-wind-warning-is-en.xml": Category.METEO,
    "noaa-hurricane-update-multi-polygon.xml": Category.METEO,
    "oasis-thunderstorm-polygon.xml": Category.METEO,
    "ipaws-civil-emergency-450k.xml": Category.ALERTE_POPULATION,
    "ipaws-local-area-emergency-polygon-image.xml": Category.ALERTE_POPULATION,
    "oasis-amber-alert-en-es.xml": Category.ALERTE_POPULATION,
    "krisinformation-vma-nonstandard-area.xml": Category.ALERTE_POPULATION,
    "oasis-earthquake-update.xml": Category.SEISME,
    "usgs-earthquake-iso-8859-1.xml": Category.SEISME,
    "noaa-wcatwc-tsunami-update.xml": Category.SEISME,
}
#: Météo phenomena expected in ``extra["phenomene"]``.
PHENOMENA = {
    "derived-gard-vigilance-orages-windows-1252.xml": "orages",
    "derived-gard-vigilance-canicule-utf-16.xml": "canicule",
    "dwd-wind-gusts-1352-areas.xml": "vent",
    "eccc-snowfall-update-signed-en-fr.xml": "neige",
}
#: Where the parser deliberately departs from the document's written status.
STATUS_OVERRIDES = {
    # IPAWS sends its Required Monthly Test as Actual; the SAME code RMT says it is a
    # test: the partner-feed log, never the queue (a warning says so).
    "ipaws-required-monthly-test.xml": (Status.TEST, "feed_log"),
}


def _load(doc: dict[str, Any]) -> bytes:
    return (CORPUS / doc["file"]).read_bytes()


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_real_document(doc: dict[str, Any]) -> None:
    data = _load(doc)
    if doc["must_reject"]:
        with pytest.raises(ValidationError) as refused:
            parse_cap(data)
        reason = refused.value.reason
        if doc.get("hostile"):
            assert re.match(r"cap : XML (refusé|mal formé)", reason), reason
        if doc.get("status") == "Draft":
            assert reason.startswith("cap.status : brouillon (Draft) refusé")
        return

    alert = parse_cap(data)
    facts = alert.cap
    assert facts is not None
    name = doc["file"]
    assert (alert.source, alert.id, facts.sent_text) == (
        doc["sender"],
        doc["identifier"],
        doc["sent"],
    )
    assert alert.fmt == "cap"
    assert facts.msg_type.value == doc["msgType"]
    status, kind = STATUS_OVERRIDES.get(name, (Status(doc["status"]), doc["disposition"]))
    assert facts.status is status
    assert disposition(facts).value == kind
    assert facts.scope.value == doc["scope"]
    own = f"{doc['sender']},{doc['identifier']},"
    expected_refs = [r for r in doc["references"] if not r.startswith(own)]
    assert [f"{r.sender},{r.identifier},{r.sent}" for r in facts.references] == expected_refs
    assert facts.document_bytes == doc["bytes"]

    # Every <info> kept, as written.
    assert len(facts.infos) == doc["info_count"]
    assert [i.language for i in facts.infos] == [lang or "en-US" for lang in doc["languages"]]
    assert [i.event for i in facts.infos] == [e.strip() for e in doc["events"]]
    assert [list(i.categories) for i in facts.infos] == doc["categories"]
    assert [i.severity for i in facts.infos] == doc["severities"]
    assert [i.expires or None for i in facts.infos] == doc["expires"]
    if any(doc["expires"]):
        assert alert.expires is not None and alert.expires.tzinfo is not None

    # Areas: every one accounted for; each polygon kept or ignored with a warning.
    areas = [a for i in facts.infos for a in i.areas]
    assert len(areas) == doc["area_count"]
    assert sum(len(a.geocodes) for a in areas) == doc["geocode_count"]
    ignored = [w for w in facts.warnings if ".polygon" in w and w.endswith("ignoré")]
    assert sum(a.polygons for a in areas) + len(ignored) == len(doc["polygon_point_counts"])
    assert sum(a.circles for a in areas) <= doc["circle_count"]
    if any(a.polygons or a.circles for a in areas):
        assert alert.location is not None
        if alert.area is not None:
            assert alert.area.contains(alert.location.lon, alert.location.lat)
    elif doc["area_count"]:
        assert alert.location is None and facts.unplaced

    # Resources: metadata only (translated blocks repeat them: kept once).
    assert (len(facts.resources) > 0) == (doc["resource_count"] > 0)
    assert len(facts.resources) <= doc["resource_count"]
    embedded = [r for r in facts.resources if r.embedded_bytes]
    assert (len(embedded) > 0) == (doc["deref_resource_count"] > 0)
    assert all(len(r.embedded_sha256) == 64 for r in embedded)

    assert facts.signature is (Signature.UNTRUSTED if doc["signed"] else None)
    if name in CATEGORIES:
        assert alert.category is CATEGORIES[name]
    if name in PHENOMENA:
        assert alert.extra["phenomene"] == PHENOMENA[name]


def test_french_block_is_shown_for_bilingual_documents() -> None:
    doc = next((d for d in DOCUMENTS if d.values[0] and "eccc-thunderstorm" in d.id), None)
    if doc is None:
        pytest.skip(f"pas de corpus CAP : {CORPUS}")
    alert = parse_cap(_load(doc.values[0]))

    assert alert.cap is not None
    assert alert.cap.infos[alert.cap.chosen_info].language.startswith("fr")
    assert alert.cap.translations
