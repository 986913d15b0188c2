"""What a partner's CAP message said, in the alert detail (HTML for its text browser).

The operator reads it at the end of a night shift, from two metres: the message's
kind and status first (« MISE À JOUR n° 2 », « ANNULÉE », « EXERCICE »…), the scope,
who sent it and until when it applies, in the site's local time; then every
``<info>`` block — the chosen one open, the others (translations) folded under a
link that opens them; blocks that are different events are all open —, the areas
(drawn, or « sans localisation »), the resources, the signature's verdict, the raw
document's SHA-256 and the versions an Update replaced. Every text from outside is
HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from csu_console.core.alerts import PRIORITY_LABELS, IssuerState, StoredAlert
from csu_console.core.cap_facts import (
    CapArea,
    CapFacts,
    CapInfo,
    CapResource,
    MsgType,
    Scope,
    Signature,
    Status,
)
from csu_console.storage.cap_lifecycle import AlertVersion
from csu_console.ui.console.cap_record import cancellation, document_sha256
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current

#: Link scheme of a folded info block's header: ``csu-info:<index>`` toggles it.
INFO_SCHEME = "csu-info"
#: Colours of the message's badges (white text on them). The signature's verdict
#: takes the theme's « ok » and « danger » text colours (read on either theme).
BADGE_UPDATE = "#1565c0"
BADGE_ENDED = "#616161"
BADGE_EXERCISE = "#6a1b9a"
BADGE_RESTRICTED = "#4e342e"
#: Digits of a SHA-256 shown (enough to compare with the main courante by eye).
SHA_SHORT = 16


def short_sha(digest: str) -> str:
    """The first :data:`SHA_SHORT` hex digits of a digest, with an ellipsis."""
    return digest[:SHA_SHORT] + "…" if len(digest) > SHA_SHORT else digest


def decimal(value: float) -> str:
    """One decimal, French style (« 12,3 »)."""
    return f"{value:.1f}".replace(".", ",")


class CapDetail(QObject):
    """Renders the CAP part of an alert's detail (see the module docstring)."""

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz

    # -- words -----------------------------------------------------------------

    def severity(self, value: str) -> str:
        words = {
            "Extreme": self.tr("extrême"),
            "Severe": self.tr("sévère"),
            "Moderate": self.tr("modérée"),
            "Minor": self.tr("mineure"),
            "Unknown": self.tr("inconnue"),
        }
        return words.get(value, value)

    def urgency(self, value: str) -> str:
        words = {
            "Immediate": self.tr("immédiate"),
            "Expected": self.tr("attendue"),
            "Future": self.tr("future"),
            "Past": self.tr("passée"),
            "Unknown": self.tr("inconnue"),
        }
        return words.get(value, value)

    def certainty(self, value: str) -> str:
        words = {
            "Observed": self.tr("observée"),
            "Likely": self.tr("probable"),
            "Possible": self.tr("possible"),
            "Unlikely": self.tr("improbable"),
            "Unknown": self.tr("inconnue"),
        }
        return words.get(value, value)

    def when(self, text: str) -> str:
        """A CAP dateTime in the site's local time (as written when unreadable)."""
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            return text
        if value.tzinfo is None:
            return text
        return value.astimezone(self._tz).strftime("%d/%m/%Y %H:%M")

    def size(self, size: int) -> str:
        """A byte count for the operator (« 450 o », « 12,3 Ko », « 1,2 Mo »)."""
        if size < 1000:
            return self.tr("{n} o").format(n=size)
        if size < 1_000_000:
            return self.tr("{n} Ko").format(n=decimal(size / 1000))
        return self.tr("{n} Mo").format(n=decimal(size / 1_000_000))

    # -- parts -----------------------------------------------------------------

    def badges(self, item: StoredAlert) -> list[tuple[str, str]]:
        """(text, colour) of what the operator must see first about the message."""
        facts = item.alert.cap
        out: list[tuple[str, str]] = []
        if item.issuer_state is IssuerState.CANCELLED:
            out.append((self.tr("ANNULÉE par l'émetteur"), BADGE_ENDED))
        elif item.issuer_state is IssuerState.EXPIRED:
            out.append((self.tr("EXPIRÉE"), BADGE_ENDED))
        if item.version > 0 or (facts is not None and facts.msg_type is MsgType.UPDATE):
            out.append((self.tr("MISE À JOUR n° {n}").format(n=max(1, item.version)), BADGE_UPDATE))
        if facts is not None:
            if facts.msg_type is MsgType.CANCEL and item.issuer_state is None:
                out.append((self.tr("ANNULATION"), BADGE_ENDED))
            if facts.status is Status.EXERCISE:
                out.append((self.tr("EXERCICE"), BADGE_EXERCISE))
            elif facts.status is Status.TEST:
                out.append((self.tr("TEST"), BADGE_EXERCISE))
            elif facts.status is Status.SYSTEM:
                out.append((self.tr("SYSTÈME"), BADGE_EXERCISE))
            if facts.restricted:
                out.append((self.tr("diffusion restreinte"), BADGE_RESTRICTED))
        return out

    def badges_html(self, item: StoredAlert) -> str:
        """The badges as a paragraph (under the alert's title: seen first)."""
        badges = self.badges(item)
        if not badges:
            return ""
        return (
            "<p style='font-size:15pt'>"
            + " ".join(
                f"<span style='background-color:{color}; color:#ffffff'>"
                f"<b>&nbsp;{html.escape(text)}&nbsp;</b></span>"
                for text, color in badges
            )
            + "</p>"
        )

    def signature(self, facts: CapFacts) -> str:
        """The verdict in its colour (empty for an unsigned document)."""
        e = html.escape
        if facts.signature is None:
            return ""
        if facts.signature is Signature.VALID:
            text, color = self.tr("signé ✔"), current().ok_text
        elif facts.signature is Signature.INVALID:
            text, color = self.tr("signature invalide ✖"), current().danger_text
        else:
            text, color = self.tr("signature non vérifiée"), current().muted_text
        detail = f" – {e(facts.signature_detail)}" if facts.signature_detail else ""
        return f"<span style='color:{color}'><b>{e(text)}</b></span>{detail}"

    def _row(self, label: str, value_html: str) -> str:
        return f"<tr><td valign='top'><b>{html.escape(label)}</b></td><td>{value_html}</td></tr>"

    def _link(self, url: str) -> str:
        e = html.escape
        if url.startswith(("http://", "https://")):
            # Double quotes: Qt decodes entities (&amp;) only in double-quoted values.
            return f'<a href="{e(url, quote=True)}">{e(url)}</a>'
        return e(url)

    def area_line(self, area: CapArea) -> str:
        e = html.escape
        if area.resolved or area.polygons or area.circles:
            shapes = []
            if area.polygons:
                shapes.append(self.tr("{n} polygone(s)").format(n=area.polygons))
            if area.circles:
                shapes.append(self.tr("{n} cercle(s)").format(n=area.circles))
            if not shapes:
                shapes.append(self.tr("code géographique placé"))
            drawn = self.tr("tracée sur la carte")
            return f"{e(area.desc)} – {e(drawn)} ({e(', '.join(shapes))})"
        codes = ", ".join(f"{n} {v}" for n, v in area.geocodes)
        suffix = f" ({e(codes)})" if codes else ""
        muted = current().warn_text
        label = self.tr("sans localisation")
        return f"{e(area.desc)}{suffix} – <span style='color:{muted}'><b>{e(label)}</b></span>"

    def info_block(self, info: CapInfo, index: int, chosen: bool, foldable: bool = False) -> str:
        """One ``<info>`` block, open (``foldable``: a translation the operator opened,
        its header folds it again)."""
        e = html.escape
        rows: list[str] = []
        rows.append(self._row(self.tr("Langue"), e(info.language)))
        rows.append(self._row(self.tr("Événement"), e(info.event)))
        if info.categories:
            rows.append(self._row(self.tr("Catégorie CAP"), e(", ".join(info.categories))))
        if info.severity or info.urgency or info.certainty:
            words = " · ".join(
                x
                for x in (
                    self.tr("gravité {v}").format(v=self.severity(info.severity))
                    if info.severity
                    else "",
                    self.tr("urgence {v}").format(v=self.urgency(info.urgency))
                    if info.urgency
                    else "",
                    self.tr("certitude {v}").format(v=self.certainty(info.certainty))
                    if info.certainty
                    else "",
                )
                if x
            )
            rows.append(self._row(self.tr("Évaluation"), e(words)))
        if info.sender_name:
            rows.append(self._row(self.tr("Émetteur"), e(info.sender_name)))
        for label, value in (
            (self.tr("En vigueur"), info.effective),
            (self.tr("Début"), info.onset),
            (self.tr("Fin de validité"), info.expires),
        ):
            if value:
                rows.append(self._row(label, e(self.when(value))))
        if info.web:
            rows.append(self._row(self.tr("Site web"), self._link(info.web)))
        if info.contact:
            rows.append(self._row(self.tr("Contact"), e(info.contact)))
        parts = []
        heading = info.headline or info.event
        title = self.tr("Bloc {n}").format(n=index + 1)
        if chosen:
            title += " – " + self.tr("affiché")
        if foldable:
            fold = self.tr("replier")
            head = f'▾ <a href="{INFO_SCHEME}:{index}">{e(title)} ({e(fold)})</a>'
        else:
            head = e(title)
        parts.append(
            f"<p style='font-size:15pt; margin-top:10px; margin-bottom:2px'>"
            f"<b>{head} : {e(heading)}</b></p>"
        )
        # What happens and what to do first, then the block's particulars.
        if info.description:
            label = self.tr("Description")
            body = e(info.description).replace("\n", "<br>")
            parts.append(f"<p><b>{e(label)}</b><br>{body}</p>")
        if info.instruction:
            label = self.tr("Consignes")
            body = e(info.instruction).replace("\n", "<br>")
            parts.append(f"<p><b>{e(label)}</b><br>{body}</p>")
        parts.append("<table cellspacing='2'>" + "".join(rows) + "</table>")
        if info.areas:
            label = self.tr("Zones")
            lines = "<br>".join(self.area_line(a) for a in info.areas)
            parts.append(f"<p><b>{e(label)}</b><br>{lines}</p>")
        return "".join(parts)

    def folded_block(self, info: CapInfo, index: int) -> str:
        """A folded block: one line, a link that opens it."""
        e = html.escape
        heading = info.headline or info.event
        words = " – ".join(x for x in (info.language, heading, self.severity(info.severity)) if x)
        action = self.tr("afficher")
        title = self.tr("Bloc {n}").format(n=index + 1)
        return f'<p>▸ <a href="{INFO_SCHEME}:{index}">{e(title)} ({e(action)})</a> : {e(words)}</p>'

    def resource_line(self, r: CapResource) -> str:
        e = html.escape
        bits = [e(r.desc or self.tr("(sans description)"))]
        if r.mime_type:
            bits.append(e(r.mime_type))
        size = r.size if r.size is not None else (r.embedded_bytes or None)
        if size is not None:
            bits.append(e(self.size(size)))
        if r.embedded_bytes:
            bits.append(e(self.tr("incluse dans le document")))
        line = " · ".join(bits)
        if r.uri:
            line += "<br>" + self._link(r.uri)
        return line

    def cancel_notice(self, cancel: Mapping[str, Any]) -> str:
        """What the issuer's Cancel said: when, which message, its note and text."""
        e = html.escape
        at = cancel.get("at")
        when = self.when(at) if isinstance(at, str) else ""
        who = str(cancel.get("identifier") or "")
        head = self.tr("Annulée par l'émetteur le {at}").format(at=when) if when else ""
        head = head or self.tr("Annulée par l'émetteur")
        if who:
            head += " " + self.tr("(message {id})").format(id=who)
        lines = [f"<b>{e(head)}</b>"]
        for key in ("note", "text"):
            value = cancel.get(key)
            if isinstance(value, str) and value.strip():
                lines.append("« " + e(value).replace("\n", "<br>") + " »")
        digest = cancel.get("raw_sha256")
        if isinstance(digest, str) and digest:
            doc = self.tr("Document d'annulation : SHA-256 {d}").format(d=short_sha(digest))
            lines.append(e(doc))
        return f"<p style='color:{current().warn_text}'>" + "<br>".join(lines) + "</p>"

    def versions(self, rows: Sequence[AlertVersion] | None) -> str:
        """The contents Updates replaced (oldest first): ``Store.alert_versions``."""
        e = html.escape
        if not rows:
            return ""
        lines = []
        for row in rows:
            old = row.stored.alert
            at = row.replaced_at.astimezone(self._tz).strftime("%d/%m/%Y %H:%M")
            bits = [self.tr("v{n}").format(n=row.version)]
            if row.by_identifier:
                bits.append(
                    self.tr("remplacée le {at} par {by}").format(at=at, by=row.by_identifier)
                )
            else:
                bits.append(self.tr("remplacée le {at}").format(at=at))
            if old.priority in PRIORITY_LABELS:
                bits.append(f"{old.priority} – {tr_label(PRIORITY_LABELS[old.priority])}")
            if old.title:
                bits.append(old.title)
            lines.append(e(" · ".join(bits)))
        label = self.tr("Versions précédentes")
        return f"<p><b>{e(label)}</b><br>" + "<br>".join(lines) + "</p>"

    # -- the whole -------------------------------------------------------------

    def render(
        self,
        item: StoredAlert,
        events: Sequence[Mapping[str, Any]] | None,
        versions: Sequence[Any] | None,
        expanded: Collection[int] = (),
    ) -> str:
        """The CAP part of the detail of ``item`` (empty for an alert that is not CAP)."""
        a = item.alert
        facts = a.cap
        if facts is None:
            return ""
        e = html.escape
        parts: list[str] = []
        rows: list[str] = []
        kind = {
            MsgType.ALERT: self.tr("alerte"),
            MsgType.UPDATE: self.tr("mise à jour"),
            MsgType.CANCEL: self.tr("annulation"),
            MsgType.ACK: self.tr("accusé de réception"),
            MsgType.ERROR: self.tr("erreur"),
        }[facts.msg_type]
        status = {
            Status.ACTUAL: self.tr("réel"),
            Status.EXERCISE: self.tr("exercice"),
            Status.SYSTEM: self.tr("système"),
            Status.TEST: self.tr("test"),
            Status.DRAFT: self.tr("brouillon"),
        }[facts.status]
        rows.append(self._row(self.tr("Message CAP"), e(f"{kind} · {status}")))
        if facts.scope is not Scope.PUBLIC:
            scope = self.tr("diffusion restreinte")
            text = e(scope)
            if facts.restriction:
                text += f" : « {e(facts.restriction)} »"
            if facts.addresses:
                text += "<br>" + e(self.tr("Destinataires : {who}").format(who=facts.addresses))
            rows.append(self._row(self.tr("Diffusion"), text))
        chosen = facts.infos[facts.chosen_info] if facts.infos else None
        sender = chosen.sender_name if chosen is not None and chosen.sender_name else ""
        rows.append(
            self._row(self.tr("Émetteur"), e(f"{sender} ({a.source})" if sender else a.source))
        )
        if facts.sent_text:
            rows.append(self._row(self.tr("Émis le"), e(self.when(facts.sent_text))))
        if chosen is not None:
            for label, value in (
                (self.tr("En vigueur"), chosen.effective),
                (self.tr("Début"), chosen.onset),
            ):
                if value:
                    rows.append(self._row(label, e(self.when(value))))
        if a.expires is not None:
            until = a.expires.astimezone(self._tz).strftime("%d/%m/%Y %H:%M")
            rows.append(self._row(self.tr("Fin de validité"), e(until)))
        else:
            rows.append(
                self._row(self.tr("Fin de validité"), e(self.tr("aucune (jusqu'à clôture)")))
            )
        if facts.references:
            rows.append(
                self._row(
                    self.tr("Références"),
                    "<br>".join(
                        e(f"{r.sender}, {r.identifier}, {r.sent}") for r in facts.references
                    ),
                )
            )
        if facts.incidents:
            rows.append(self._row(self.tr("Incidents"), e(facts.incidents)))
        signature = self.signature(facts)
        if signature:
            rows.append(self._row(self.tr("Signature"), signature))
        digest = document_sha256(events)
        doc_bits = []
        if facts.document_bytes:
            doc_bits.append(self.size(facts.document_bytes))
        if digest:
            doc_bits.append("SHA-256 " + short_sha(digest))
        elif events is None:
            doc_bits.append(self.tr("SHA-256 : chargement…"))
        if doc_bits:
            rows.append(self._row(self.tr("Document"), e(" · ".join(doc_bits))))
        parts.append("<table cellspacing='2'>" + "".join(rows) + "</table>")
        cancel = cancellation(events)
        if cancel is not None:
            parts.append(self.cancel_notice(cancel))
        if facts.note:
            label = self.tr("Note de l'émetteur")
            parts.append(f"<p><b>{e(label)}</b><br>{e(facts.note).replace(chr(10), '<br>')}</p>")
        if facts.unplaced:
            label = self.tr("Zones sans localisation")
            parts.append(f"<p><b>{e(label)}</b><br>" + "<br>".join(map(e, facts.unplaced)) + "</p>")
        # The blocks: the chosen one first and open; translations folded, different
        # events all open.
        if facts.infos:
            if not facts.translations:
                note = self.tr("Ce message porte {n} événements différents :").format(
                    n=len(facts.infos)
                )
                parts.append(f"<p><b>{e(note)}</b></p>")
            order = [facts.chosen_info] + [
                i for i in range(len(facts.infos)) if i != facts.chosen_info
            ]
            for i in order:
                info = facts.infos[i]
                if i == facts.chosen_info or not facts.translations or i in expanded:
                    foldable = facts.translations and i != facts.chosen_info
                    parts.append(self.info_block(info, i, i == facts.chosen_info, foldable))
                else:
                    parts.append(self.folded_block(info, i))
        if facts.resources:
            label = self.tr("Ressources")
            lines = "<br>".join(self.resource_line(r) for r in facts.resources)
            parts.append(f"<p><b>{e(label)}</b><br>{lines}</p>")
        parts.append(self.versions(versions))
        if facts.warnings:
            label = self.tr("Ignoré à la lecture")
            muted = current().muted_text
            text = " · ".join(facts.warnings)
            parts.append(f"<p style='color:{muted}'>{e(label)} : {e(text)}</p>")
        return "".join(parts)
