"""Tests of protocol v1 (csu_console.core.protocol): one test per bad frame shape,
the valid messages, the outgoing builders, and fuzzing of ``decode_frame``."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csu_console.core.alerts import Alert, AlertState, Category, Location, Reporter
from csu_console.core.cap import CAP_NAMESPACE
from csu_console.core.protocol import (
    MAX_FRAME_BYTES,
    MAX_SEQ,
    PROTOCOL_VERSION,
    RAW_KEEP_BYTES,
    AlertMessage,
    Rejection,
    UpdateMessage,
    ack,
    decode_frame,
    hello,
    reject,
    status,
)

Json = dict[str, Any]
DROP = object()  # marks a field to remove in make_frame / make_alert


def make_alert(**changes: Any) -> Json:
    """A valid ``alert`` object; a value of DROP removes the field."""
    alert: Json = {
        "id": "SIG-2024-000123",
        "source": "plateforme-citoyenne",
        "sent": "2024-06-01T14:03:12+02:00",
        "category": "cambriolage",
        "priority": 2,
        "title": "Porte fracturée",
        "description": "Bruit de verre brisé au rez-de-chaussée.",
        "location": {"lat": 48.8566, "lon": 2.3522, "address": "1 rue de la Paix"},
        "commune": "Villeneuve",
        "reporter": {"pseudonym": "voisin75", "verified": True},
        "attachments": ["https://cdn.example/p/1.jpg"],
    }
    return _apply(alert, changes)


def make_frame(**changes: Any) -> Json:
    """A valid ``alert`` message with seq 7."""
    return _apply({"type": "alert", "seq": 7, "alert": make_alert()}, changes)


def _apply(obj: Json, changes: dict[str, Any]) -> Json:
    for key, value in changes.items():
        if value is DROP:
            obj.pop(key, None)
        else:
            obj[key] = value
    return obj


def encode(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def alert_frame(**alert_changes: Any) -> bytes:
    return encode(make_frame(alert=make_alert(**alert_changes)))


CAP_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NAMESPACE}">
  <identifier>CRUE-42</identifier>
  <sender>capteurs@ville.example</sender>
  <sent>2024-11-14T06:42:00+01:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <info>
    <language>fr-FR</language>
    <category>Fire</category>
    <event>Feu de poubelle</event>
    <severity>Severe</severity>
    <headline>Feu de poubelle rue Haute</headline>
    <area><areaDesc>Rue Haute</areaDesc><circle>48.85,2.35 0.1</circle></area>
  </info>
</alert>"""

UPDATE: Json = {
    "type": "update",
    "source": "plateforme-citoyenne",
    "id": "SIG-2024-000123",
    "state": "acknowledged",
    "station": "poste-2",
    "operator": "Martin",
    "at": "2024-06-01T12:05:00Z",
}

# --- one test per bad frame shape ---------------------------------------------------

BAD_FRAMES = [
    # frame level: seq cannot be read
    pytest.param(
        b'{"type":"alert","seq":1,"alert":{"title":"caf\xe9"}}',
        True,
        "UTF-8 invalide à l'octet 45",
        1,
        id="invalid-utf8",
    ),
    pytest.param(b"\xed\xa0\x80", True, "UTF-8 invalide à l'octet 0", None, id="utf8-surrogate"),
    pytest.param(encode(make_frame()), False, "trame binaire refusée", 7, id="binary-frame"),
    pytest.param(b"\x00\x01", False, "trame binaire refusée", None, id="binary-garbage"),
    pytest.param(b"{type: alert}", True, "JSON invalide", None, id="not-json"),
    pytest.param(b"", True, "JSON invalide", None, id="empty-frame"),
    pytest.param(b'{"type":"alert","seq":7', True, "JSON invalide", 7, id="truncated-json"),
    pytest.param(
        b'{"seq":7,"alert":{"seq":8},', True, "JSON invalide", None, id="truncated-two-seqs"
    ),
    pytest.param(b'{"seq":7.5,', True, "JSON invalide", None, id="truncated-seq-float"),
    pytest.param(b'{"seq":-7,', True, "JSON invalide", None, id="truncated-seq-negative"),
    pytest.param(b'{"seq":7,"seq":7,]', True, "JSON invalide", 7, id="truncated-same-seq-twice"),
    pytest.param(b'{"seq":NaN,"type":"alert"}', True, "JSON invalide", None, id="seq-nan"),
    pytest.param(b"[1, 2]", True, "objet JSON attendu, reçu liste", None, id="json-array"),
    pytest.param(b'"alert"', True, "objet JSON attendu, reçu chaîne 'alert'", None, id="string"),
    pytest.param(b"42", True, "objet JSON attendu, reçu nombre 42", None, id="json-number"),
    pytest.param(b"null", True, "objet JSON attendu, reçu null", None, id="json-null"),
    pytest.param(
        b'{"type":"alert","seq":7,"alert":{"location":{"lat": NaN}}}',
        True,
        "JSON invalide : constante non JSON NaN",
        7,
        id="nan",
    ),
    pytest.param(
        b'{"type":"alert","seq":7,"x":-Infinity}',
        True,
        "JSON invalide : constante non JSON -Infinity",
        7,
        id="infinity",
    ),
    # envelope: seq is read whenever it is a valid one
    pytest.param(
        encode({"type": "alerte", "seq": 3}),
        True,
        "type de message inconnu : chaîne 'alerte'",
        3,
        id="unknown-type",
    ),
    pytest.param(
        encode({"type": 1, "seq": 3}), True, "type de message inconnu : nombre 1", 3, id="type-int"
    ),
    pytest.param(
        encode(make_frame(type=DROP)), True, "champ « type » manquant", 7, id="missing-type"
    ),
    pytest.param(
        encode(make_frame(seq=DROP)),
        True,
        "seq : entier attendu, reçu null",
        None,
        id="alert-without-seq",
    ),
    pytest.param(
        encode(make_frame(seq="7")),
        True,
        "seq : entier attendu, reçu chaîne '7'",
        None,
        id="seq-string",
    ),
    pytest.param(
        encode(make_frame(seq=True)),
        True,
        "seq : entier attendu, reçu booléen",
        None,
        id="seq-bool",
    ),
    pytest.param(
        encode(make_frame(seq=7.0)),
        True,
        "seq : entier attendu, reçu nombre 7.0",
        None,
        id="seq-float",
    ),
    # A negative or oversized seq is not one: it is neither stored nor echoed back.
    pytest.param(
        encode(make_frame(seq=-1)),
        True,
        "seq : entier positif attendu, reçu -1",
        None,
        id="seq-negative",
    ),
    pytest.param(
        encode(make_frame(seq=MAX_SEQ + 1)),
        True,
        "seq : hors plage (maximum 9223372036854775807)",
        None,
        id="seq-over-64-bits",
    ),
    pytest.param(
        encode({"type": "inconnu", "seq": 10**30}),
        True,
        "type de message inconnu",
        None,
        id="huge-seq-on-rejection",
    ),
    # alert object
    pytest.param(
        encode(make_frame(alert=DROP)),
        True,
        "alert : objet JSON attendu, reçu null",
        7,
        id="missing-alert",
    ),
    pytest.param(
        encode(make_frame(alert=[make_alert()])),
        True,
        "alert : objet JSON attendu, reçu liste",
        7,
        id="alert-not-object",
    ),
    pytest.param(
        alert_frame(id=DROP), True, "alert.id : champ obligatoire manquant", 7, id="missing-id"
    ),
    pytest.param(alert_frame(id=""), True, "alert.id : texte vide", 7, id="empty-id"),
    pytest.param(
        alert_frame(id=123), True, "alert.id : texte attendu, reçu nombre 123", 7, id="id-int"
    ),
    pytest.param(alert_frame(id="x" * 201), True, "alert.id : trop long (201", 7, id="id-too-long"),
    pytest.param(
        alert_frame(source=DROP),
        True,
        "alert.source : champ obligatoire manquant",
        7,
        id="missing-source",
    ),
    pytest.param(
        alert_frame(sent=DROP), True, "alert.sent : champ obligatoire manquant", 7, id="no-sent"
    ),
    pytest.param(
        alert_frame(sent="2024-06-01T14:03:12"),
        True,
        "alert.sent : date sans décalage UTC ('2024-06-01T14:03:12')",
        7,
        id="sent-without-offset",
    ),
    pytest.param(
        alert_frame(sent="samedi 14h"),
        True,
        "alert.sent : date RFC 3339 illisible",
        7,
        id="sent-unparseable",
    ),
    pytest.param(
        alert_frame(sent=1717243392),
        True,
        "alert.sent : date RFC 3339 attendue, reçu nombre",
        7,
        id="sent-number",
    ),
    pytest.param(
        alert_frame(category=DROP),
        True,
        "alert.category : champ obligatoire manquant",
        7,
        id="missing-category",
    ),
    pytest.param(
        alert_frame(priority=0), True, "alert.priority : hors plage 1 à 4 (reçu 0)", 7, id="prio-0"
    ),
    pytest.param(
        alert_frame(priority=5), True, "alert.priority : hors plage 1 à 4 (reçu 5)", 7, id="prio-5"
    ),
    pytest.param(
        alert_frame(priority="1"),
        True,
        "alert.priority : entier 1 à 4 attendu, reçu chaîne '1'",
        7,
        id="prio-string",
    ),
    pytest.param(
        alert_frame(priority=True),
        True,
        "alert.priority : entier 1 à 4 attendu, reçu booléen",
        7,
        id="prio-true",
    ),
    pytest.param(
        alert_frame(title="t" * 201),
        True,
        "alert.title : trop long (201 caractères, maximum 200)",
        7,
        id="title-201",
    ),
    pytest.param(
        alert_frame(description="d" * 4001),
        True,
        "alert.description : trop long (4001 caractères, maximum 4000)",
        7,
        id="description-4001",
    ),
    pytest.param(
        alert_frame(description="voir\x1b[31m ici"),
        True,
        "alert.description : caractère de contrôle U+001B à la position 4",
        7,
        id="control-char-description",
    ),
    pytest.param(
        alert_frame(title="\u0085titre"),
        True,
        "alert.title : caractère de contrôle U+0085 à la position 0",
        7,
        id="c1-control-title",
    ),
    pytest.param(
        alert_frame(location=DROP),
        True,
        "alert.location : champ obligatoire manquant",
        7,
        id="location-missing",
    ),
    pytest.param(
        alert_frame(location={"lat": 91, "lon": 2.35}),
        True,
        "alert.location.lat : hors plage [-90, 90] (reçu 91.0)",
        7,
        id="lat-91",
    ),
    pytest.param(
        alert_frame(location={"lat": 48.85, "lon": -181}),
        True,
        "alert.location.lon : hors plage [-180, 180] (reçu -181.0)",
        7,
        id="lon-minus-181",
    ),
    pytest.param(
        # json turns 1e999 into inf: the range check must catch it, not the parser.
        alert_frame(location={"lat": "@LAT@", "lon": 2.35}).replace(b'"@LAT@"', b"1e999"),
        True,
        "alert.location.lat : nombre non fini (inf)",
        7,
        id="lat-1e999",
    ),
    pytest.param(
        alert_frame(location={"lat": "@LAT@", "lon": 2.35}).replace(b'"@LAT@"', b"1" * 400),
        True,
        "alert.location.lat : hors plage [-90, 90] (entier démesuré)",
        7,
        id="lat-400-digits",
    ),
    pytest.param(
        alert_frame(location={"lat": "48.85", "lon": 2.35}),
        True,
        "alert.location.lat : nombre attendu, reçu chaîne '48.85'",
        7,
        id="lat-string",
    ),
    pytest.param(
        alert_frame(location=[48.85, 2.35]),
        True,
        "alert.location : objet JSON attendu, reçu liste",
        7,
        id="location-not-object",
    ),
    pytest.param(
        alert_frame(reporter={"pseudonym": "v", "verified": "oui"}),
        True,
        "alert.reporter.verified : booléen attendu, reçu chaîne 'oui'",
        7,
        id="verified-not-bool",
    ),
    pytest.param(
        alert_frame(attachments="https://cdn.example/p/1.jpg"),
        True,
        "alert.attachments : liste d'URL attendue, reçu chaîne",
        7,
        id="attachments-not-list",
    ),
    pytest.param(
        alert_frame(attachments=["https://ok.example/a", "file:///etc/passwd"]),
        True,
        "alert.attachments[1] : URL http(s) attendue, reçu chaîne 'file:///etc/passwd'",
        7,
        id="attachment-not-http",
    ),
    # cap
    pytest.param(
        encode({"type": "cap", "seq": 9, "xml": 3}),
        True,
        "xml : document CAP attendu, reçu nombre 3",
        9,
        id="cap-xml-not-string",
    ),
    pytest.param(
        encode({"type": "cap", "seq": 9}),
        True,
        "xml : document CAP attendu, reçu null",
        9,
        id="cap-xml-missing",
    ),
    pytest.param(
        encode({"type": "cap", "seq": 9, "xml": "<alert><info>"}),
        True,
        "cap : XML mal formé",
        9,
        id="cap-malformed-xml",
    ),
    pytest.param(
        encode({"type": "cap", "xml": CAP_XML}),
        True,
        "seq : entier attendu, reçu null",
        None,
        id="cap-without-seq",
    ),
    # update
    pytest.param(
        encode({**UPDATE, "state": "archived"}),
        True,
        "state : état inconnu chaîne 'archived'",
        None,
        id="update-unknown-state",
    ),
    pytest.param(
        encode({**UPDATE, "station": None}),
        True,
        "station : champ obligatoire manquant",
        None,
        id="update-no-station",
    ),
    pytest.param(
        encode({**UPDATE, "at": "2024-06-01 12:05"}),
        True,
        "at : date sans décalage UTC",
        None,
        id="update-at-without-offset",
    ),
    # depth: the C JSON parser gives up with RecursionError, which must not escape
    pytest.param(b"[" * 100_000 + b"]" * 100_000, True, "JSON invalide", None, id="deep-arrays"),
    pytest.param(
        b'{"type":"alert","seq":7,"alert":' + b'{"a":' * 100_000 + b"1" + b"}" * 100_001,
        True,
        "JSON invalide",
        7,  # too deep to parse, but its seq is still read: answered, not resent for ever
        id="deep-objects-in-alert",
    ),
]


@pytest.mark.parametrize(("data", "is_text", "fragment", "seq"), BAD_FRAMES)
def test_bad_frame_is_rejected(data: bytes, is_text: bool, fragment: str, seq: int | None) -> None:
    result = decode_frame(data, is_text)
    assert isinstance(result, Rejection), result
    assert fragment in result.reason
    assert result.seq == seq
    assert result.raw == data[:RAW_KEEP_BYTES]
    assert result.raw_size == len(data)
    assert result.is_text is is_text


@pytest.mark.parametrize("size", [MAX_FRAME_BYTES + 1, 3 * MAX_FRAME_BYTES])
def test_frame_over_one_mib_is_rejected_unparsed(size: int) -> None:
    # Valid JSON, only too big: the size check comes first.
    head = encode(make_frame())
    data = head[:-1] + b" " * (size - len(head)) + b"}"
    assert len(data) == size
    result = decode_frame(data, True)
    assert isinstance(result, Rejection)
    assert result.reason == f"trame trop grande ({size} octets, maximum {MAX_FRAME_BYTES})"
    assert result.seq is None
    assert result.raw_size == size
    assert result.raw == data[:RAW_KEEP_BYTES]
    assert len(result.raw) == RAW_KEEP_BYTES


def test_frame_of_exactly_one_mib_is_decoded() -> None:
    head = encode(make_frame())
    data = head[:-1] + b" " * (MAX_FRAME_BYTES - len(head)) + b"}"
    assert len(data) == MAX_FRAME_BYTES
    assert isinstance(decode_frame(data, True), AlertMessage)


def test_short_rejected_frame_is_kept_whole() -> None:
    data = encode({"type": "alerte", "seq": 1})
    result = decode_frame(data, True)
    assert isinstance(result, Rejection)
    assert result.raw == data


# --- valid messages ------------------------------------------------------------------


def test_full_valid_alert() -> None:
    result = decode_frame(encode(make_frame()), True)
    assert result == AlertMessage(
        seq=7,
        alert=Alert(
            source="plateforme-citoyenne",
            id="SIG-2024-000123",
            sent=datetime(2024, 6, 1, 12, 3, 12, tzinfo=UTC),
            category=Category.CAMBRIOLAGE,
            priority=2,
            title="Porte fracturée",
            description="Bruit de verre brisé au rez-de-chaussée.",
            location=Location(48.8566, 2.3522, "1 rue de la Paix"),
            commune="Villeneuve",
            reporter=Reporter("voisin75", True),
            attachments=("https://cdn.example/p/1.jpg",),
        ),
    )
    assert result.alert.sent.utcoffset() == timedelta(hours=2)


def test_minimal_alert_takes_priority_from_rules() -> None:
    alert = make_alert(
        priority=DROP, title=DROP, description=DROP, commune=DROP, reporter=DROP, attachments=DROP
    )
    result = decode_frame(encode(make_frame(alert=alert)), True, {Category.CAMBRIOLAGE: 1})
    assert isinstance(result, AlertMessage)
    assert (result.alert.priority, result.alert.priority_from_rules) == (1, True)
    assert (result.alert.title, result.alert.description) == ("", "")
    assert result.alert.reporter is None
    assert result.alert.attachments == ()


def test_seq_zero_and_max_are_valid() -> None:
    for seq in (0, MAX_SEQ):
        result = decode_frame(encode(make_frame(seq=seq)), True)
        assert isinstance(result, AlertMessage)
        assert result.seq == seq


def test_unknown_category_is_accepted_as_autre() -> None:
    result = decode_frame(alert_frame(category="tapage_nocturne", priority=DROP), True)
    assert isinstance(result, AlertMessage), result
    assert result.alert.category is Category.AUTRE
    assert result.alert.category_raw == "tapage_nocturne"
    assert result.alert.priority_from_rules


def test_html_title_is_kept_verbatim() -> None:
    title = '<img src=x onerror="alert(1)"> <b>Rixe</b> &amp; cris'
    result = decode_frame(alert_frame(title=title, description="<p>détails</p>"), True)
    assert isinstance(result, AlertMessage)
    assert result.alert.title == title
    assert result.alert.description == "<p>détails</p>"


def test_text_frame_given_as_str() -> None:
    result = decode_frame(json.dumps(make_frame()), True)
    assert isinstance(result, AlertMessage)
    bad = decode_frame('{"type":"x","s":"\ud800"}', True)
    assert isinstance(bad, Rejection)
    assert "UTF-8 invalide" in bad.reason


def test_cap_message_goes_through_the_real_parser() -> None:
    result = decode_frame(encode({"type": "cap", "seq": 12, "xml": CAP_XML}), True)
    assert isinstance(result, AlertMessage), result
    alert = result.alert
    assert result.seq == 12
    assert (alert.fmt, alert.source, alert.id) == ("cap", "capteurs@ville.example", "CRUE-42")
    assert alert.sent == datetime(2024, 11, 14, 5, 42, tzinfo=UTC)
    assert alert.category is Category.INCENDIE
    assert (alert.priority, alert.priority_from_rules) == (2, False)
    assert alert.title == "Feu de poubelle rue Haute"
    assert alert.location == Location(48.85, 2.35, "Rue Haute", 100.0)
    assert alert.extra["msgType"] == "Alert"


def test_cap_parser_can_be_injected() -> None:
    seen: list[tuple[str, object]] = []

    def fake_parser(xml: str, rules: object) -> Alert:
        seen.append((xml, rules))
        return Alert("s", "i", datetime(2024, 1, 1, tzinfo=UTC), Category.AUTRE, 3, fmt="cap")

    rules = {Category.AUTRE: 4}
    frame = encode({"type": "cap", "seq": 1, "xml": "<x/>"})
    result = decode_frame(frame, True, rules, cap_parser=fake_parser)
    assert isinstance(result, AlertMessage)
    assert seen == [("<x/>", rules)]


def test_update_message() -> None:
    result = decode_frame(encode({**UPDATE, "seq": 4}), True)
    assert result == UpdateMessage(
        source="plateforme-citoyenne",
        id="SIG-2024-000123",
        state=AlertState.ACKNOWLEDGED,
        station="poste-2",
        operator="Martin",
        at=datetime(2024, 6, 1, 12, 5, tzinfo=UTC),
    )


def test_update_without_operator() -> None:
    result = decode_frame(encode({**UPDATE, "operator": None, "state": "closed"}), True)
    assert isinstance(result, UpdateMessage)
    assert (result.operator, result.state) == ("", AlertState.CLOSED)


# --- outgoing messages: the exact shapes of protocol v1 -------------------------------


def test_hello() -> None:
    assert PROTOCOL_VERSION == 1
    assert hello("poste-1", None) == (
        '{"type":"hello","protocol":1,"station":"poste-1","last_seq":null}'
    )
    assert hello("poste-1", 41) == (
        '{"type":"hello","protocol":1,"station":"poste-1","last_seq":41}'
    )


def test_ack() -> None:
    assert ack(7, "SIG-2024-000123") == '{"type":"ack","seq":7,"id":"SIG-2024-000123"}'


def test_reject() -> None:
    assert reject(7, "alert.title : trop long") == (
        '{"type":"reject","seq":7,"reason":"alert.title : trop long"}'
    )
    # Non-ASCII as is, quotes escaped; a frame without readable seq gets null.
    assert reject(None, 'type « x" »') == '{"type":"reject","seq":null,"reason":"type « x\\" »"}'


def test_status() -> None:
    at = datetime(2024, 6, 1, 14, 5, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
    text = status("plateforme-citoyenne", "SIG-1", AlertState.DISPATCHED, "poste-1", "Léa", at)
    assert text == (
        '{"type":"status","source":"plateforme-citoyenne","id":"SIG-1","state":"dispatched",'
        '"station":"poste-1","operator":"Léa","at":"2024-06-01T14:05:00.250000+02:00"}'
    )


def test_status_round_trips_as_update() -> None:
    at = datetime(2024, 6, 1, 12, 5, tzinfo=UTC)
    sent = json.loads(status("s", "i", AlertState.CLOSED, "poste-1", "Léa", at))
    relayed = {**sent, "type": "update"}  # what the gateway sends to the other stations
    assert decode_frame(encode(relayed), True) == UpdateMessage(
        "s", "i", AlertState.CLOSED, "poste-1", "Léa", at
    )


# --- fuzzing: decode_frame never raises -----------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**500), max_value=10**500)
    | st.floats()
    | st.text(max_size=30)
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
_DATES = st.datetimes(timezones=_OFFSETS).map(lambda d: d.isoformat()) | st.text(max_size=30)
_TEXTS = st.text(max_size=250)
_NUMBERS = st.floats() | st.integers()
_WRONG: st.SearchStrategy[Any] = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.just([]) | st.just({})
)

_EDGE_DATES = [
    "0001-01-01T00:00:00+01:00",  # no UTC equivalent
    "9999-12-31T23:59:59-12:00",
    "2024-06-01T12:00:00",
    "2024-02-30T00:00:00Z",
    "2024-06-01T12:00:00.1234567891Z",
]
_EDGE_TEXTS = ["", " ", "\x00", "\x85", "\ud800", "<b>x</b>", "x" * 4001, "é" * 201, "a\u202eb"]
_EDGE_NUMBERS = [10**400, -(10**400), 1e308, -1e308, 90.0000001, -180.0000001, 0, -0.0]

#: Where a mutation may strike: plausible values there, and edge values.
_FIELDS: dict[tuple[str, ...], tuple[st.SearchStrategy[Any], list[Any]]] = {
    ("type",): (st.sampled_from(["alert", "cap", "update", "hello"]), ["", "ALERT"]),
    ("seq",): (st.integers(min_value=0), [-1, 0, MAX_SEQ, MAX_SEQ + 1, 10**30, 2**64]),
    ("alert",): (st.just({}), ["alerte", []]),
    ("alert", "id"): (st.text(max_size=210), _EDGE_TEXTS),
    ("alert", "source"): (st.text(max_size=110), _EDGE_TEXTS),
    ("alert", "sent"): (_DATES, _EDGE_DATES),
    ("alert", "category"): (
        st.sampled_from([c.value for c in Category]) | st.text(max_size=20),
        [*_EDGE_TEXTS, "Incendie", " rixe "],
    ),
    ("alert", "priority"): (st.integers(1, 4), [0, 5, True, "1", 1.0, 10**30]),
    ("alert", "title"): (_TEXTS, _EDGE_TEXTS),
    ("alert", "description"): (_TEXTS, _EDGE_TEXTS),
    ("alert", "location"): (st.just({}), [[48.8, 2.3], "48.8,2.3"]),
    ("alert", "location", "lat"): (_NUMBERS, _EDGE_NUMBERS),
    ("alert", "location", "lon"): (_NUMBERS, _EDGE_NUMBERS),
    ("alert", "location", "address"): (_TEXTS, _EDGE_TEXTS),
    ("alert", "location", "accuracy_m"): (_NUMBERS, _EDGE_NUMBERS),
    ("alert", "commune"): (_TEXTS, _EDGE_TEXTS),
    ("alert", "reporter"): (st.just({}), ["voisin", []]),
    ("alert", "reporter", "pseudonym"): (_TEXTS, _EDGE_TEXTS),
    ("alert", "reporter", "verified"): (st.booleans(), [0, 1, "true"]),
    ("alert", "attachments"): (
        st.lists(st.from_regex(r"\Ahttps?://\S{0,30}\Z"), max_size=3),
        [["ftp://x.example/"], ["https://x.example/"] * 21, [""], ["https://a b"]],
    ),
    ("xml",): (
        st.text(max_size=100),
        ["", "<alert/>", CAP_XML.replace("+01:00", ""), "<!DOCTYPE a [<!ENTITY b 'c'>]><a/>"],
    ),
    ("source",): (_TEXTS, _EDGE_TEXTS),
    ("id",): (_TEXTS, _EDGE_TEXTS),
    ("state",): (st.sampled_from([s.value for s in AlertState]), ["", "NEW", "new "]),
    ("station",): (_TEXTS, _EDGE_TEXTS),
    ("operator",): (_TEXTS, _EDGE_TEXTS),
    ("at",): (_DATES, _EDGE_DATES),
}
_PATHS = sorted(_FIELDS)
_EDGES = {path: st.sampled_from(edges) for path, (_, edges) in _FIELDS.items()}
_BASES = [
    make_frame(),
    {"type": "cap", "seq": 3, "xml": CAP_XML},
    {**UPDATE, "seq": 4},
]


@st.composite
def _messages(draw: st.DrawFn) -> Json:
    """A valid message with up to three fields dropped or given odd values."""
    message: Json = json.loads(json.dumps(draw(st.sampled_from(_BASES))))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_PATHS))
        parent: Any = message
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue  # an earlier mutation replaced the container
        kind = draw(st.sampled_from(("plausible", "edge", "wrong", "drop")))
        if kind == "drop":
            parent.pop(path[-1], None)
            continue
        values = {"plausible": _FIELDS[path][0], "edge": _EDGES[path], "wrong": _WRONG}[kind]
        # A copy: strategies such as st.just({}) hand out the same object every time,
        # and a later mutation into it would reach other examples (even this one's
        # other fields: "Circular reference detected").
        parent[path[-1]] = copy.deepcopy(draw(values))
    return message


def _check_outcome(data: bytes | str, is_text: bool) -> None:
    result = decode_frame(data, is_text)
    assert isinstance(result, AlertMessage | UpdateMessage | Rejection)
    if isinstance(result, Rejection):
        assert result.reason
        result.reason.encode("utf-8")  # stored as TEXT and sent back: must be valid text
        assert result.seq is None or 0 <= result.seq <= MAX_SEQ
        assert result.is_text is is_text
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        assert result.raw == raw[:RAW_KEEP_BYTES]
        assert result.raw_size == len(raw)
    elif isinstance(result, AlertMessage):
        assert 0 <= result.seq <= MAX_SEQ
        result.alert.sent.astimezone(UTC)  # what the store does with it
    else:
        result.at.astimezone(UTC)


@given(st.binary(max_size=300), st.booleans())
@settings(max_examples=300, deadline=None)
def test_fuzz_arbitrary_bytes(data: bytes, is_text: bool) -> None:
    _check_outcome(data, is_text)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_fuzz_arbitrary_text(text: str) -> None:
    _check_outcome(text, True)
    _check_outcome(text.encode("utf-8", "surrogatepass"), True)


@given(_JSON)
@settings(max_examples=200, deadline=None)
def test_fuzz_arbitrary_json(value: object) -> None:
    _check_outcome(json.dumps(value).encode(), True)


@given(_messages())
@settings(max_examples=300, deadline=None)
def test_fuzz_alert_shaped_messages(message: Json) -> None:
    _check_outcome(json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass"), True)
