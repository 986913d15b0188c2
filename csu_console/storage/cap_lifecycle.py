"""A partner's CAP message in the store: what it does to the alerts (issue 17).

Called from :meth:`~csu_console.storage.store.Store.commit_batch`, inside its
transaction, for every CAP alert of the batch (the citizens' JSON alerts keep the
bulk path). Each message is remembered in ``cap_messages`` by (sender,
identifier): a repeat of any message is a ``duplicate``, and a reference to an
Update's own identifier finds the alert it updated. By
:func:`~csu_console.core.cap_facts.disposition`:

- **new**: a row of ``alerts`` and its ``received`` event (the digest of its
  fields, the raw document's SHA-256), then every Update or Cancel kept for it
  (``cap_pending``) applied in ``sent`` order: the ``stored`` outcome shows the
  alert as it is after them;
- **update**: each known alert it references gets the new content (same pk, CSU
  state and claims kept); the content it replaced goes to ``alert_versions``,
  ``version`` + 1, and a ``cap_updated`` event carries the new content's digest
  (``logbook verify`` checks the row against the latest one). It rings again only
  when the priority rose, never once cancelled. An Update older (``sent``) than
  the content it would replace changes nothing (logged in the partners' log);
- **cancel**: each known alert referenced is marked ``issuer_state`` CANCELLED
  (its CSU state is kept) with a ``cap_cancelled`` event (the note and text);
- an Update or Cancel whose references are not all known is kept in
  ``cap_pending`` (the unknown ones in ``cap_pending_refs``) and applied when
  they come; ``pending`` when none was known;
- **feed log** (Ack, Error, Test, System): a ``cap_logged`` event only.

Every message but a duplicate writes one event naming the raw document's
SHA-256, and the document's bytes are kept once in ``cap_documents``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from csu_console.core.alerts import Alert, IssuerState, StoredAlert
from csu_console.core.cap_facts import (
    CapFacts,
    Disposition,
    MsgType,
    disposition,
    sent_instant,
)
from csu_console.core.logbook import EventKind
from csu_console.core.protocol import AlertMessage
from csu_console.storage import alert_seal
from csu_console.storage.codec import iso, row_to_stored
from csu_console.storage.logbook import NewEvent, append_events

log = logging.getLogger("csu.storage.cap")

#: The columns an Update replaces (identity, reception, CSU state and salt stay).
CONTENT = (
    "sent", "category", "category_raw", "priority", "priority_from_rules", "title",
    "description", "lat", "lon", "address", "accuracy_m", "commune", "reporter_pseudonym",
    "reporter_verified", "attachments", "extra", "area", "expires", "cap",
)  # fmt: skip
_IDENTITY = ("source", "alert_id", "seq", "fmt", "received_at")
_INSERT = (
    f"INSERT OR IGNORE INTO alerts ({', '.join((*_IDENTITY, *CONTENT, 'fields_salt'))})"
    f" VALUES ({', '.join('?' * (len(_IDENTITY) + len(CONTENT) + 1))})"
)
_MESSAGE = (
    "INSERT INTO cap_messages (sender, identifier, sent, msg_type, status, disposition,"
    " alert_pk, document_sha256, received_at, seq, summary) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
_SUMMARY_MAX = 300


def goes_through(msg: AlertMessage) -> bool:
    """Does this alert take the CAP path (not the citizens' bulk insert)?"""
    a = msg.alert
    return a.fmt == "cap" or a.cap is not None or a.area is not None or a.expires is not None


@dataclass(frozen=True)
class CapResult:
    """What one message did: the outcome's kind and the alerts to show (by pk)."""

    kind: str  # stored | duplicate | updated | cancelled | pending | logged
    pk: int | None = None
    others: tuple[int, ...] = ()
    rings: bool = True
    new_pk: int | None = None  # the row this message inserted (claims apply to it)


@dataclass(frozen=True)
class AlertVersion:
    """A content an Update replaced (:meth:`Store.alert_versions`)."""

    version: int  # the alert's ``version`` while it held this content
    replaced_at: datetime
    by_sender: str  # the Update that replaced it
    by_identifier: str
    stored: StoredAlert  # the alert as it was (its CSU state at that time)


def content(alert: Alert) -> dict[str, Any]:
    """The stored form of an alert's content (``store._alert_row``'s, plus the CAP columns)."""
    loc, rep = alert.location, alert.reporter
    return {
        "sent": iso(alert.sent),
        "category": alert.category.value,
        "category_raw": alert.category_raw,
        "priority": alert.priority,
        "priority_from_rules": int(alert.priority_from_rules),
        "title": alert.title,
        "description": alert.description,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "address": loc.address if loc else None,
        "accuracy_m": loc.accuracy_m if loc else None,
        "commune": alert.commune,
        "reporter_pseudonym": rep.pseudonym if rep else None,
        "reporter_verified": None if rep is None else int(rep.verified),
        "attachments": json.dumps(list(alert.attachments)),
        "extra": json.dumps(alert.extra, ensure_ascii=False),
        "area": None if alert.area is None else json.dumps(alert.area.to_geojson()),
        "expires": None if alert.expires is None else iso(alert.expires),
        "cap": None if alert.cap is None else json.dumps(alert.cap.to_json(), ensure_ascii=False),
    }


def document_bytes(msg: AlertMessage) -> bytes | None:
    """The CAP document's bytes: the message's, else read back from its frame
    (``xml_base64`` decoded, ``xml`` in UTF-8); None when there is none."""
    if msg.document_bytes is not None:
        return msg.document_bytes
    if not msg.raw:
        return None
    try:
        obj = json.loads(msg.raw)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    b64, xml = obj.get("xml_base64"), obj.get("xml")
    if isinstance(b64, str):
        try:
            return base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            return None
    if isinstance(xml, str):
        return xml.encode("utf-8", "surrogatepass")
    return None


def _summary(alert: Alert, facts: CapFacts | None) -> str:
    """What the partners' log shows of a message: headline (or event), and its note."""
    text = alert.title
    if facts is not None and 0 <= facts.chosen_info < len(facts.infos):
        info = facts.infos[facts.chosen_info]
        text = info.headline or info.event or text
    note = " ".join(facts.note.split()) if facts is not None else ""
    if note and note not in " ".join(text.split()):  # a message without <info> is titled by it
        text = f"{text} — {note}" if text else note
    return " ".join(text.split())[:_SUMMARY_MAX]


class CapLifecycle:
    """The CAP messages of one batch, applied in order inside its transaction."""

    def __init__(self, cur: sqlite3.Cursor, now: datetime, station: str, tz: tzinfo | None) -> None:
        self.cur = cur
        self.now = now
        self.at = iso(now)
        self.station = station
        self.tz = tz

    # -- one message -------------------------------------------------------

    def apply(self, msg: AlertMessage) -> CapResult:
        """What ``msg`` does (see the module's text)."""
        alert, facts = msg.alert, msg.alert.cap
        if self._known(alert.key):
            return CapResult("duplicate")
        which = disposition(facts)
        if facts is None or which is Disposition.NEW:
            return self._new(msg)
        digest = self._keep_document(msg)
        if which is Disposition.FEED_LOG:
            return self._logged(msg, facts, digest, "logged")
        targets, unknown = self._resolve(alert.key, facts)
        if not targets and not unknown:
            if facts.msg_type is MsgType.UPDATE:
                # An Update of nothing at all (no usable reference): its content is news.
                log.warning(
                    "CAP %s / %s : mise à jour sans référence connue, gardée comme alerte",
                    *alert.key,
                )
                return self._new(msg)
            log.warning("CAP %s / %s : annulation sans référence connue, journalisée", *alert.key)
            return self._logged(msg, facts, digest, "logged")
        changed: list[int] = []
        rings = False
        kind = "cancelled" if facts.msg_type is MsgType.CANCEL else "updated"
        for pk in targets:
            done = self._apply_to(pk, msg.alert, msg.seq, digest)
            if done is not None:
                changed.append(pk)
                rings = rings or done
        primary = targets[0] if targets else None
        if targets and not changed:
            kind = "logged"  # an Update older than every content it would replace
        message_pk = self._remember(
            msg.alert, digest, kind if targets else "pending", primary, msg.seq
        )
        if unknown:
            self._keep_pending(message_pk, msg, digest, unknown, targets)
        if primary is not None:
            self._release(alert.key, primary)  # what referenced this very message
        if not targets:
            self._event(EventKind.CAP_PENDING, None, self._message_details(msg, digest))
            return CapResult("pending")
        if not changed:
            return CapResult("logged")
        return CapResult(kind, changed[0], tuple(changed[1:]), rings and kind == "updated")

    # -- the dispositions ----------------------------------------------------

    def _new(self, msg: AlertMessage) -> CapResult:
        alert = msg.alert
        values = content(alert)
        [salt] = alert_seal.new_salts(1)
        identity = (alert.source, alert.id, msg.seq, alert.fmt, self.at)
        self.cur.execute(_INSERT, (*identity, *values.values(), salt))
        if self.cur.rowcount == 0:
            return CapResult("duplicate")  # the key is an alert's already (not a CAP one)
        pk = int(self.cur.lastrowid or 0)
        digest = self._keep_document(msg)
        sealed = alert_seal.digest(alert_seal.row_fields(self._row(pk)), salt)
        details: dict[str, Any] = {"seq": msg.seq, "fmt": alert.fmt}
        raw = msg.raw_sha256
        if raw is not None:
            details["raw_sha256"] = raw
        details["alert_sha256"] = sealed.sha256
        details["alert_parts"] = sealed.parts_text
        self._event(EventKind.RECEIVED, pk, details)
        if values["expires"] is not None and values["expires"] <= self.at:
            # Past its expiry already (a replay after an outage): never rings.
            self.cur.execute(
                "UPDATE alerts SET issuer_state = ?, issuer_state_at = ? WHERE pk = ?",
                (IssuerState.EXPIRED.value, self.at, pk),
            )
            self._event(EventKind.EXPIRED, pk, {"expires": values["expires"]})
        if alert.fmt == "cap" or alert.cap is not None:
            self._remember(alert, digest, "new", pk, msg.seq)
            self._release(alert.key, pk)
        return CapResult("stored", pk, new_pk=pk)

    def _logged(
        self, msg: AlertMessage, facts: CapFacts, digest: str | None, kind: str
    ) -> CapResult:
        self._remember(msg.alert, digest, kind, None, msg.seq)
        details = self._message_details(msg, digest)
        details["status"] = facts.status.value
        self._event(EventKind.CAP_LOGGED, None, details)
        return CapResult("logged")

    def _apply_to(self, pk: int, alert: Alert, seq: int | None, digest: str | None) -> bool | None:
        """Apply an Update (True: it rings) or a Cancel (False) to alert ``pk``; None
        when an Update is older than the content it would replace."""
        facts = alert.cap
        assert facts is not None
        row = self._row(pk)
        base = {
            "sender": alert.source,
            "identifier": alert.id,
            "sent": facts.sent_text or iso(alert.sent),
            "seq": seq,
            "fmt": alert.fmt,
        }
        if digest is not None:
            base["raw_sha256"] = digest
        if facts.msg_type is MsgType.CANCEL:
            if row["issuer_state"] != IssuerState.CANCELLED.value:  # the first one counts
                self.cur.execute(
                    "UPDATE alerts SET issuer_state = ?, issuer_state_at = ? WHERE pk = ?",
                    (IssuerState.CANCELLED.value, self.at, pk),
                )
            details = {**base, "from_issuer_state": row["issuer_state"]}
            if facts.note:
                details["note"] = facts.note
            if 0 <= facts.chosen_info < len(facts.infos):
                info = facts.infos[facts.chosen_info]
                text = info.description or info.headline
                if text:
                    details["text"] = text
            self._event(EventKind.CAP_CANCELLED, pk, details)
            return False
        values = content(alert)
        if values["sent"] < row["sent"]:
            log.info(
                "CAP %s / %s : mise à jour envoyée avant le contenu de l'alerte n° %d, ignorée",
                alert.source,
                alert.id,
                pk,
            )
            return None
        self.cur.execute(
            "INSERT INTO alert_versions (alert_pk, version, row, replaced_at, by_sender,"
            " by_identifier) VALUES (?, ?, ?, ?, ?, ?)",
            (pk, row["version"], json.dumps(row, ensure_ascii=False), self.at, *alert.key),
        )
        salt = row["fields_salt"] or alert_seal.new_salts(1)[0]
        changes: dict[str, Any] = {**values, "version": row["version"] + 1, "fields_salt": salt}
        if row["purged_at"] is not None:
            changes["purged_at"] = None  # the new content is in clear: the purge seals it
        issuer = row["issuer_state"]
        if issuer == IssuerState.EXPIRED.value and (
            values["expires"] is None or values["expires"] > self.at
        ):
            changes["issuer_state"] = changes["issuer_state_at"] = None  # extended
            issuer = None
        sets = ", ".join(f"{c} = ?" for c in changes)
        self.cur.execute(f"UPDATE alerts SET {sets} WHERE pk = ?", (*changes.values(), pk))
        sealed = alert_seal.digest(alert_seal.row_fields(self._row(pk)), salt)
        details = {
            **base,
            "version": row["version"] + 1,
            "priority_from": row["priority"],
            "priority_to": values["priority"],
            "alert_sha256": sealed.sha256,
            "alert_parts": sealed.parts_text,
        }
        self._event(EventKind.CAP_UPDATED, pk, details)
        rose = int(values["priority"]) < int(row["priority"])
        return rose and issuer != IssuerState.CANCELLED.value

    # -- pending messages ----------------------------------------------------

    def _keep_pending(
        self,
        message_pk: int,
        msg: AlertMessage,
        digest: str | None,
        unknown: Sequence[tuple[str, str]],
        applied: Sequence[int],
    ) -> None:
        frame = {
            "seq": msg.seq,
            "fmt": msg.alert.fmt,
            "raw_sha256": digest,
            "source": msg.alert.source,
            "id": msg.alert.id,
            "content": content(msg.alert),
        }
        self.cur.execute(
            "INSERT INTO cap_pending (message_pk, sent_at, received_at, frame, applied)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                message_pk,
                iso(msg.alert.sent),
                self.at,
                json.dumps(frame, ensure_ascii=False),
                json.dumps(list(applied)),
            ),
        )
        self.cur.executemany(
            "INSERT OR IGNORE INTO cap_pending_refs (message_pk, sender, identifier)"
            " VALUES (?, ?, ?)",
            [(message_pk, s, i) for s, i in unknown],
        )

    def _release(self, key: tuple[str, str], pk: int) -> None:
        """Apply, in ``sent`` order, what waited for ``key`` (now alert ``pk``), then
        what waited for those messages, and so on (each wave removes the references
        that found it: this ends)."""
        keys = [key]
        while keys:
            found: dict[int, tuple[str, str, str]] = {}
            for sender, identifier in keys:
                for message_pk, sent_at, frame, applied in self.cur.execute(
                    "SELECT p.message_pk, p.sent_at, p.frame, p.applied FROM cap_pending_refs r"
                    " JOIN cap_pending p ON p.message_pk = r.message_pk"
                    " WHERE r.sender = ? AND r.identifier = ?",
                    (sender, identifier),
                ).fetchall():
                    found[int(message_pk)] = (sent_at, frame, applied)
            ordered = sorted(found.items(), key=lambda item: (item[1][0], item[0]))
            keys = [self._apply_pending(m, f, done, pk) for m, (_s, f, done) in ordered]

    def _apply_pending(
        self, message_pk: int, frame_text: str, applied_text: str, pk: int
    ) -> tuple[str, str]:
        frame = json.loads(frame_text)
        applied: list[int] = json.loads(applied_text)
        self.cur.execute(
            "DELETE FROM cap_pending_refs AS r WHERE r.message_pk = ? AND EXISTS (SELECT 1"
            " FROM cap_messages m WHERE m.sender = r.sender AND m.identifier = r.identifier"
            " AND m.alert_pk IS NOT NULL)",
            (message_pk,),
        )
        alert = _pending_alert(frame)
        cancel = alert.cap is not None and alert.cap.msg_type is MsgType.CANCEL
        kind = "cancelled" if cancel else "updated"
        if pk not in applied:
            done = self._apply_to(pk, alert, frame["seq"], frame["raw_sha256"])
            applied.append(pk)
            if done is None:
                kind = "logged"
        self.cur.execute(
            "UPDATE cap_messages SET disposition = CASE WHEN disposition = 'pending' THEN ?"
            " ELSE disposition END, alert_pk = coalesce(alert_pk, ?) WHERE pk = ?",
            (kind, pk, message_pk),
        )
        left = self.cur.execute(
            "SELECT 1 FROM cap_pending_refs WHERE message_pk = ? LIMIT 1", (message_pk,)
        ).fetchone()
        if left is None:
            self.cur.execute("DELETE FROM cap_pending WHERE message_pk = ?", (message_pk,))
        else:
            self.cur.execute(
                "UPDATE cap_pending SET applied = ? WHERE message_pk = ?",
                (json.dumps(applied), message_pk),
            )
        return (frame["source"], frame["id"])

    # -- helpers -------------------------------------------------------------

    def _known(self, key: tuple[str, str]) -> bool:
        return (
            self.cur.execute(
                "SELECT 1 FROM cap_messages WHERE sender = ? AND identifier = ?", key
            ).fetchone()
            is not None
        )

    def _resolve(
        self, own: tuple[str, str], facts: CapFacts
    ) -> tuple[list[int], list[tuple[str, str]]]:
        """The known alerts a message references (in order, once each) and the
        references still unknown (not received, or waiting themselves)."""
        targets: list[int] = []
        unknown: list[tuple[str, str]] = []
        for ref in facts.references:
            if ref.key == own:
                log.info("CAP %s / %s : référence à lui-même ignorée", *own)
                continue
            row = self.cur.execute(
                "SELECT alert_pk, sent, disposition FROM cap_messages"
                " WHERE sender = ? AND identifier = ?",
                ref.key,
            ).fetchone()
            if row is None or (row[0] is None and row[2] == "pending"):
                if ref.key not in unknown:
                    unknown.append(ref.key)
                continue
            if row[0] is None:
                continue  # a message that is no alert (Ack, Test…): nothing to change
            said, stored = sent_instant(ref.sent), sent_instant(row[1])
            if said is not None and stored is not None and said != stored:
                log.warning(
                    "CAP %s / %s : la référence à %s / %s donne l'envoi %s, reçu %s :"
                    " appliquée quand même",
                    *own,
                    *ref.key,
                    ref.sent,
                    row[1],
                )
            if int(row[0]) not in targets:
                targets.append(int(row[0]))
        return targets, unknown

    def _remember(
        self, alert: Alert, digest: str | None, kind: str, pk: int | None, seq: int | None
    ) -> int:
        facts = alert.cap
        self.cur.execute(
            _MESSAGE,
            (
                alert.source,
                alert.id,
                (facts.sent_text if facts is not None else "") or iso(alert.sent),
                facts.msg_type.value if facts is not None else MsgType.ALERT.value,
                facts.status.value if facts is not None else "Actual",
                kind,
                pk,
                digest,
                self.at,
                seq,
                _summary(alert, facts),
            ),
        )
        return int(self.cur.lastrowid or 0)

    def _keep_document(self, msg: AlertMessage) -> str | None:
        """Keep the raw document's bytes once; its SHA-256 (the courante's)."""
        data = document_bytes(msg)
        expected = msg.document_sha256
        if data is None:
            return expected
        digest = hashlib.sha256(data).hexdigest()
        if expected is not None and digest != expected:
            log.error(
                "CAP %s / %s : octets du document différents de son empreinte, non gardés",
                *msg.alert.key,
            )
            return expected
        self.cur.execute(
            "INSERT OR IGNORE INTO cap_documents (sha256, bytes, size, stored_at)"
            " VALUES (?, ?, ?, ?)",
            (digest, data, len(data), self.at),
        )
        return digest

    def _message_details(self, msg: AlertMessage, digest: str | None) -> dict[str, Any]:
        facts = msg.alert.cap
        details: dict[str, Any] = {
            "sender": msg.alert.source,
            "identifier": msg.alert.id,
            "sent": (facts.sent_text if facts else "") or iso(msg.alert.sent),
            "msg_type": facts.msg_type.value if facts else MsgType.ALERT.value,
            "seq": msg.seq,
            "fmt": msg.alert.fmt,
        }
        if digest is not None:
            details["raw_sha256"] = digest
        if facts is not None and facts.references:
            refs = facts.references
            details["references"] = [f"{r.sender},{r.identifier},{r.sent}" for r in refs]
        return details

    def _row(self, pk: int) -> dict[str, Any]:
        cur = self.cur.execute("SELECT * FROM alerts WHERE pk = ?", (pk,))
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))

    def _event(self, kind: str, pk: int | None, details: dict[str, Any]) -> None:
        event = NewEvent(kind, self.now, pk, self.station, details=details)
        append_events(self.cur, [event], self.tz)


def _pending_alert(frame: dict[str, Any]) -> Alert:
    """The kept Update or Cancel as an :class:`Alert` (its content read back as a row)."""
    values = frame["content"]
    row = {
        "pk": 0,
        "source": frame["source"],
        "alert_id": frame["id"],
        "seq": frame["seq"],
        "fmt": frame["fmt"],
        "received_at": values["sent"],
        "state": "new",
        "state_station": None,
        "state_operator": None,
        **values,
    }
    names = list(row)
    return row_to_stored(list(row.values()), [(n,) for n in names]).alert


def read_stored(cur: sqlite3.Cursor, pks: Sequence[int]) -> dict[int, StoredAlert]:
    """The alerts ``pks`` as stored now."""
    if not pks:
        return {}
    marks = ", ".join("?" * len(pks))
    rows = cur.execute(f"SELECT * FROM alerts WHERE pk IN ({marks})", list(pks))
    description = rows.description
    return {s.pk: s for s in (row_to_stored(r, description) for r in rows.fetchall())}
