"""The detail of a partner's CAP alert: what its message said, read from two metres.

The alert is stored in a real database through the storage thread (its ``received``
event names the raw document's SHA-256); the detail shows the message's kind and
status, scope, sender, times in the site's local time, every info block (the chosen
one open, translations folded, different events all open), areas drawn or « sans
localisation », resources, the signature's verdict, the document's digest, the
warnings and the versions an Update replaced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QTextCharFormat

from csu_console.core.alerts import Alert, Category, IssuerState, Location, StoredAlert
from csu_console.core.cap_facts import (
    CapArea,
    CapFacts,
    CapInfo,
    CapRef,
    CapResource,
    MsgType,
    Scope,
    Signature,
    Status,
)
from csu_console.core.geo import Area
from csu_console.core.protocol import AlertMessage
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_detail import AlertDetail
from csu_console.ui.theme import current

DOCUMENT = b"<?xml version='1.0' encoding='ISO-8859-1'?><alert>crue \xe9</alert>"
SENT = datetime(2025, 1, 15, 7, 30, tzinfo=UTC)  # 08:30 in Paris
EXPIRES = datetime(2025, 1, 15, 18, 0, tzinfo=UTC)  # 19:00 in Paris
FLOOD = Area(((((4.87, 45.75), (4.89, 45.75), (4.89, 45.77), (4.87, 45.75)),),))

FR = CapInfo(
    language="fr-FR",
    event="Inondation",
    categories=("Met",),
    headline="Crue du Rhône : quais submergés",
    description="Le Rhône déborde sur les quais bas.\nNiveau 6,20 m à 8 h.",
    instruction="Ne pas stationner sur les quais. Évacuer les parkings souterrains.",
    urgency="Immediate",
    severity="Severe",
    certainty="Observed",
    sender_name="Service de prévision des crues Rhône-Saône",
    web="https://vigicrues.example/rhone?station=1&x=2",
    contact="Astreinte SPC 04 00 00 00 00",
    effective="2025-01-15T08:30:00+01:00",
    onset="2025-01-15T09:00:00+01:00",
    expires="2025-01-15T19:00:00+01:00",
    areas=(
        CapArea("Quais bas du Rhône", polygons=1, resolved=True),
        CapArea("Commune 69381", geocodes=(("INSEE", "69381"),)),
    ),
    category="inondation",
)
EN = replace(
    FR,
    language="en-US",
    event="Flood",
    headline="Rhône flood: quays under water",
    description="The Rhône overflows the lower quays.",
    instruction="Do not park on the quays.",
)


def cap_facts(**kw: Any) -> CapFacts:
    values: dict[str, Any] = {
        "msg_type": MsgType.UPDATE,
        "status": Status.ACTUAL,
        "scope": Scope.RESTRICTED,
        "restriction": "Services municipaux et PC sécurité uniquement",
        "references": (CapRef("spc@rhone.example", "crue-1", "2025-01-15T07:00:00+01:00"),),
        "infos": (FR, EN),
        "chosen_info": 0,
        "translations": True,
        "unplaced": ("Commune 69381",),
        "resources": (
            CapResource(
                "Carte de la zone inondée",
                "image/png",
                size=245_000,
                uri="https://vigicrues.example/carte.png",
            ),
            CapResource("Bulletin", "application/pdf", embedded_bytes=12_300),
        ),
        "signature": Signature.VALID,
        "signature_detail": "certificat SPC Rhône-Saône",
        "warnings": ("polygone à 2 points ignoré (zone « Île Barbe »)",),
        "sent_text": "2025-01-15T08:30:00+01:00",
        "document_bytes": len(DOCUMENT),
    }
    values.update(kw)
    return CapFacts(**values)


def cap_alert(facts: CapFacts, **kw: Any) -> Alert:
    values: dict[str, Any] = {
        "source": "spc@rhone.example",
        "id": "crue-2",
        "sent": SENT,
        "category": Category.INONDATION,
        "priority": 1,
        "title": FR.headline,
        "description": FR.description,
        "location": Location(45.76, 4.88, "Quais bas du Rhône"),
        "commune": "Lyon",
        "fmt": "cap",
        "area": FLOOD,
        "expires": EXPIRES,
        "cap": facts,
    }
    values.update(kw)
    return Alert(**values)


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


@pytest.fixture
def detail(qtbot: Any, tasks: DbTasks, tz: ZoneInfo) -> AlertDetail:
    w = AlertDetail(tasks, tz)
    qtbot.addWidget(w)
    return w


def store(writer: StorageWriter, alert: Alert) -> StoredAlert:
    """Stored like the link stores a new ``cap`` message (the document's digest in its
    ``received`` event); the alert shown keeps every CAP fact of ``alert`` (an Update,
    a Test… which the store would apply or log rather than store as new)."""
    facts = alert.cap
    assert facts is not None
    as_new = replace(
        alert, cap=replace(facts, msg_type=MsgType.ALERT, status=Status.ACTUAL, references=())
    )
    msg = AlertMessage(
        seq=1, alert=as_new, raw=b"{}", document_sha256=hashlib.sha256(DOCUMENT).hexdigest()
    )
    received = datetime(2025, 1, 15, 7, 31, tzinfo=UTC)
    (outcome,) = writer.submit(
        lambda s: s.commit_batch([msg], "CSU-1", received_at=received)
    ).result(timeout=10)
    assert outcome.stored is not None, outcome
    return replace(outcome.stored, alert=alert)


def loaded(qtbot: Any, detail: AlertDetail) -> str:
    qtbot.waitUntil(lambda: "Alerte reçue" in detail.browser.toPlainText(), timeout=5000)
    return detail.browser.toPlainText()


def test_an_update_shows_every_fact_of_its_message(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    item = replace(store(writer, cap_alert(cap_facts())), version=2)
    detail.show_alert(item)
    text = loaded(qtbot, detail)

    # Kind, status, scope: the badges first, under the title.
    assert "MISE À JOUR n° 2" in text
    assert text.index("MISE À JOUR n° 2") < text.index("Priorité")
    assert "mise à jour · réel" in text
    assert "diffusion restreinte : « Services municipaux et PC sécurité uniquement »" in text
    # Sender and times in Paris time.
    assert "Service de prévision des crues Rhône-Saône (spc@rhone.example)" in text
    assert "15/01/2025 08:30" in text  # sent / effective
    assert "15/01/2025 09:00" in text  # onset
    assert "15/01/2025 19:00" in text  # expires
    assert "spc@rhone.example, crue-1, 2025-01-15T07:00:00+01:00" in text
    # The chosen (French) block, open, in French words.
    assert "Bloc 1 – affiché : Crue du Rhône : quais submergés" in text
    assert "gravité sévère · urgence immédiate · certitude observée" in text
    assert "Niveau 6,20 m à 8 h." in text
    assert "Évacuer les parkings souterrains." in text
    assert "Astreinte SPC 04 00 00 00 00" in text
    # The description is shown once (in its block), not twice.
    assert text.count("Le Rhône déborde sur les quais bas.") == 1
    # Areas: drawn, or « sans localisation ».
    assert "Quais bas du Rhône – tracée sur la carte (1 polygone(s))" in text
    assert "Commune 69381 (INSEE 69381) – sans localisation" in text
    # The English translation is folded: its header only.
    assert "Bloc 2 (afficher) : en-US – Rhône flood: quays under water" in text
    assert "The Rhône overflows the lower quays." not in text
    # Resources, signature, document, warnings.
    assert "Carte de la zone inondée · image/png · 245,0 Ko" in text
    assert "https://vigicrues.example/carte.png" in text
    assert "Bulletin · application/pdf · 12,3 Ko · incluse dans le document" in text
    assert "signé ✔ – certificat SPC Rhône-Saône" in text
    digest = hashlib.sha256(DOCUMENT).hexdigest()
    assert f"SHA-256 {digest[:16]}…" in text
    assert "Ignoré à la lecture : polygone à 2 points ignoré" in text
    html = detail.browser.toHtml()
    assert current().ok_text.lower() in html.lower()
    # Links from outside are links, with their query intact.
    assert "https://vigicrues.example/rhone?station=1&x=2" in text


def test_a_folded_translation_opens_and_folds(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    item = store(writer, cap_alert(cap_facts()))
    detail.show_alert(item)
    loaded(qtbot, detail)
    detail.browser.anchorClicked.emit(QUrl("csu-info:1"))
    text = detail.browser.toPlainText()
    assert "Bloc 2 (replier) : Rhône flood: quays under water" in text
    assert "The Rhône overflows the lower quays." in text
    assert "Alerte reçue" in text  # the timeline is kept, not reloaded
    detail.browser.anchorClicked.emit(QUrl("csu-info:1"))
    assert "The Rhône overflows the lower quays." not in detail.browser.toPlainText()


def test_the_place_is_kept_for_the_same_alert_not_for_another(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    first = store(writer, cap_alert(cap_facts(msg_type=MsgType.ALERT)))
    detail.resize(500, 250)
    detail.show()
    detail.show_alert(first)
    loaded(qtbot, detail)
    bar = detail.browser.verticalScrollBar()
    assert bar.maximum() > 200
    bar.setValue(200)
    detail.show_alert(replace(first, version=1))  # the same alert, revised
    assert bar.value() == 200
    second = replace(first, pk=first.pk + 1000)
    detail.show_alert(second)
    assert bar.value() == 0


def test_blocks_of_different_events_are_all_shown(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    storm = replace(
        FR, event="Orages", headline="Orages violents", description="Grêle", severity="Extreme"
    )
    facts = cap_facts(msg_type=MsgType.ALERT, infos=(FR, storm), chosen_info=1, translations=False)
    item = store(writer, cap_alert(facts, title="Orages violents"))
    detail.show_alert(item)
    text = loaded(qtbot, detail)
    assert "Ce message porte 2 événements différents :" in text
    assert text.index("Bloc 2 – affiché : Orages violents") < text.index("Bloc 1 : Crue du Rhône")
    assert "gravité extrême" in text and "Grêle" in text
    assert "Le Rhône déborde sur les quais bas." in text
    assert "MISE À JOUR" not in text


@pytest.mark.parametrize(
    ("change", "expected", "absent"),
    [
        ({"issuer_state": IssuerState.CANCELLED}, "ANNULÉE par l'émetteur", "EXERCICE"),
        ({"issuer_state": IssuerState.EXPIRED}, "EXPIRÉE", "ANNULÉE"),
        ({"status": Status.EXERCISE}, "EXERCICE", "EXPIRÉE"),
        ({"status": Status.TEST}, "TEST", "EXERCICE"),
        ({"signature": Signature.INVALID}, "signature invalide ✖", "signé ✔"),
        ({"signature": Signature.UNTRUSTED}, "signature non vérifiée", "signé ✔"),
        ({"signature": None}, "Message CAP", "Signature"),
        ({"scope": Scope.PUBLIC}, "Message CAP", "diffusion restreinte"),
    ],
)
def test_status_badges_and_verdicts(
    qtbot: Any,
    detail: AlertDetail,
    writer: StorageWriter,
    change: dict[str, Any],
    expected: str,
    absent: str,
) -> None:
    issuer = change.pop("issuer_state", None)
    facts = cap_facts(msg_type=MsgType.ALERT, **change)
    item = replace(store(writer, cap_alert(facts)), issuer_state=issuer)
    detail.show_alert(item)
    text = loaded(qtbot, detail)
    assert expected in text
    assert absent not in text
    if change.get("signature") is Signature.INVALID:
        assert current().danger_text.lower() in detail.browser.toHtml().lower()


def test_a_cancel_with_text_shows_it_and_no_expiry_is_said(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    facts = cap_facts(msg_type=MsgType.CANCEL, note="Décrue amorcée, fin de l'alerte.")
    item = replace(
        store(writer, cap_alert(facts, expires=None)), issuer_state=IssuerState.CANCELLED
    )
    detail.show_alert(item)
    text = loaded(qtbot, detail)
    assert "Note de l'émetteur" in text and "Décrue amorcée, fin de l'alerte." in text
    assert "aucune (jusqu'à clôture)" in text


@dataclass(frozen=True)
class OldVersion:
    """The shape of ``storage.cap_lifecycle.AlertVersion`` (helper D's store)."""

    version: int
    replaced_at: datetime
    by_sender: str
    by_identifier: str
    stored: StoredAlert


def test_versions_come_from_the_store_when_it_keeps_them(
    qtbot: Any,
    detail: AlertDetail,
    writer: StorageWriter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``Store.alert_versions(pk)`` (helper D's storage): read on the storage thread
    like the timeline; without it the detail says nothing of versions."""
    item = replace(store(writer, cap_alert(cap_facts())), version=1)
    detail.show_alert(item)
    assert "Versions précédentes" not in loaded(qtbot, detail)

    asked: list[int] = []

    before = replace(item, alert=replace(item.alert, priority=2, title="Crue : vigilance"))

    def alert_versions(self: Store, pk: int) -> list[OldVersion]:
        asked.append(pk)
        return [OldVersion(0, SENT + timedelta(minutes=20), "spc@rhone.example", "crue-2", before)]

    monkeypatch.setattr(Store, "alert_versions", alert_versions, raising=False)
    detail.show_alert(None)
    detail.show_alert(item)
    qtbot.waitUntil(lambda: "Versions précédentes" in detail.browser.toPlainText(), timeout=5000)
    text = detail.browser.toPlainText()
    assert asked == [item.pk]
    assert "v0 · remplacée le 15/01/2025 08:50 par crue-2 · 2 – Haute · Crue : vigilance" in text


def test_legible_and_never_scrolled_sideways(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    long_word = "https://vigicrues.example/" + "x" * 300
    info = replace(FR, web=long_word, description="mot " * 400)
    item = store(writer, cap_alert(cap_facts(infos=(info, EN))))
    detail.resize(420, 600)
    detail.show()
    detail.show_alert(item)
    loaded(qtbot, detail)
    bar = detail.browser.horizontalScrollBar()
    assert bar.maximum() == 0  # everything wraps inside the pane's width
    # Every character is 13 pt or more.
    doc = detail.browser.document()
    block = doc.begin()
    sizes: set[float] = set()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt: QTextCharFormat = it.fragment().charFormat()
            font: QFont = fmt.font()
            sizes.add(font.pointSizeF())
            it += 1
        block = block.next()
    assert sizes and min(sizes) >= 13.0, sizes


def test_a_real_update_lists_the_version_it_replaced(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    """Through the real store: an alert, then an Update referencing it; the detail of
    the updated alert names the content it replaced."""
    first = cap_alert(
        cap_facts(msg_type=MsgType.ALERT, references=()), priority=2, title="Crue : vigilance"
    )
    stored = store(writer, first)
    ref = CapRef(first.source, first.id, "2025-01-15T08:30:00+01:00")
    update = cap_alert(cap_facts(references=(ref,)), id="crue-3")
    msg = AlertMessage(seq=2, alert=update, raw=b"{}")
    later = datetime(2025, 1, 15, 7, 50, tzinfo=UTC)
    (outcome,) = writer.submit(lambda s: s.commit_batch([msg], "CSU-1", received_at=later)).result(
        timeout=10
    )
    assert outcome.kind == "updated", outcome
    assert outcome.stored is not None and outcome.stored.pk == stored.pk
    detail.show_alert(outcome.stored)
    qtbot.waitUntil(lambda: "Versions précédentes" in detail.browser.toPlainText(), timeout=5000)
    text = detail.browser.toPlainText()
    assert "MISE À JOUR n° 1" in text
    assert "v0 · remplacée le 15/01/2025 08:50 par crue-3 · 2 – Haute · Crue : vigilance" in text


def test_the_issuers_cancel_says_when_and_why(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter
) -> None:
    """The storage writes a Cancel as a ``cap_cancelled`` event on its alert (its
    note, its text, the Cancel document's digest): the detail shows it, and the
    alert's own document digest stays the one of its content."""
    item = store(writer, cap_alert(cap_facts(msg_type=MsgType.ALERT)))
    cancel_digest = "cd" * 32
    details = {
        "identifier": "annul-7",
        "note": "Décrue amorcée",
        "text": "Fin de l'alerte crue.",
        "raw_sha256": cancel_digest,
    }
    at = datetime(2025, 1, 15, 10, 15, tzinfo=UTC)
    writer.submit(lambda s: s.add_event("cap_cancelled", item.pk, None, None, details, at=at))
    detail.show_alert(replace(item, issuer_state=IssuerState.CANCELLED))
    qtbot.waitUntil(
        lambda: "Annulée par l'émetteur le" in detail.browser.toPlainText(), timeout=5000
    )
    text = detail.browser.toPlainText()
    assert "Annulée par l'émetteur le 15/01/2025 11:15 (message annul-7)" in text
    assert "« Décrue amorcée »" in text and "« Fin de l'alerte crue. »" in text
    assert f"Document d'annulation : SHA-256 {cancel_digest[:16]}…" in text
    assert f"SHA-256 {hashlib.sha256(DOCUMENT).hexdigest()[:16]}…" in text  # the content's
