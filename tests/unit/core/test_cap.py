"""Tests of the OASIS CAP 1.2 mapping (csu_console.core.cap)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csu_console.core.alerts import DEFAULT_PRIORITY_RULES, Alert, Category
from csu_console.core.cap import CAP_NAMESPACE, MAX_CAP_BYTES, parse_cap
from csu_console.core.validate import MAX_DESCRIPTION, MAX_TITLE
from csu_console.errors import ValidationError

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>CRUE-2024-0042</identifier>
  <sender>capteurs-crue@ville.example</sender>
  <sent>2024-11-14T06:42:00+01:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>fr-FR</language>
    <category>Met</category>
    <event>Inondation</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <senderName>Service des eaux - capteur n°3</senderName>
    <headline>Montée des eaux quai de la Seine</headline>
    <description>Le capteur n°3 mesure 1,20 m au-dessus de la cote d'alerte.</description>
    <instruction>Fermer l'accès aux berges &amp; au parking.</instruction>
    <web>https://crue.ville.example/capteurs/3</web>
    <parameter>
      <valueName>niveau_cm</valueName>
      <value>120</value>
    </parameter>
    <parameter>
      <valueName>commune</valueName>
      <value>Villeneuve-sur-Seine</value>
    </parameter>
    <area>
      <areaDesc>Quai de la Seine, parking des berges</areaDesc>
      <circle>48.8566,2.3522 0.25</circle>
    </area>
  </info>
</alert>
"""


def _el(name: str, value: str | None) -> str:
    """An element with raw (unescaped) content; None leaves it out."""
    return "" if value is None else f"<{name}>{value}</{name}>"


def make_info(
    *,
    language: str | None = "fr-FR",
    category: str | None = "Safety",
    event: str | None = "Inondation",
    urgency: str | None = None,
    severity: str | None = None,
    headline: str | None = None,
    description: str | None = None,
    instruction: str | None = None,
    web: str | None = None,
    areas: str = "",
) -> str:
    """One CAP <info> block."""
    return (
        "<info>"
        + _el("language", language)
        + _el("category", category)
        + _el("event", event)
        + _el("urgency", urgency)
        + _el("severity", severity)
        + _el("headline", headline)
        + _el("description", description)
        + _el("instruction", instruction)
        + _el("web", web)
        + areas
        + "</info>"
    )


def make_cap(
    *,
    identifier: str | None = "ID-1",
    sender: str | None = "capteurs-crue@ville.example",
    sent: str | None = "2024-11-14T06:42:00+01:00",
    status: str | None = "Actual",
    msg_type: str | None = "Alert",
    infos: str | None = None,
    namespace: str = CAP_NAMESPACE,
    prolog: str = "",
) -> str:
    """A CAP document; ``infos`` defaults to one French info without area."""
    return (
        f'{prolog}<alert xmlns="{namespace}">'
        + _el("identifier", identifier)
        + _el("sender", sender)
        + _el("sent", sent)
        + _el("status", status)
        + _el("msgType", msg_type)
        + _el("scope", "Public")
        + (make_info() if infos is None else infos)
        + "</alert>"
    )


def area(geometry: str = "", desc: str | None = "Secteur nord") -> str:
    return "<area>" + _el("areaDesc", desc) + geometry + "</area>"


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Independent great-circle distance (spherical law of cosines)."""
    lat1, lon1, lat2, lon2 = (math.radians(x) for x in (*a, *b))
    cos_angle = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lon2 - lon1
    )
    return 6_371_008.8 * math.acos(min(1.0, cos_angle))


# --- nominal mapping -------------------------------------------------------------


def test_realistic_french_flood_sensor_alert() -> None:
    alert = parse_cap(SAMPLE)

    assert alert.fmt == "cap"
    assert alert.source == "capteurs-crue@ville.example"
    assert alert.id == "CRUE-2024-0042"
    assert alert.key == ("capteurs-crue@ville.example", "CRUE-2024-0042")
    assert alert.sent == datetime(2024, 11, 14, 5, 42, tzinfo=UTC)
    assert alert.sent.utcoffset() == timedelta(hours=1)
    assert alert.category is Category.INONDATION
    assert alert.category_raw is None  # the event says the category's label, nothing more
    assert alert.priority == 2  # severity Severe
    assert not alert.priority_from_rules
    assert alert.title == "Montée des eaux quai de la Seine"
    assert alert.description == (
        "Le capteur n°3 mesure 1,20 m au-dessus de la cote d'alerte.\n\n"
        "Fermer l'accès aux berges & au parking."
    )
    assert alert.commune == "Villeneuve-sur-Seine"
    assert alert.attachments == ("https://crue.ville.example/capteurs/3",)
    assert alert.reporter is None
    assert alert.location is not None
    assert alert.location.lat == pytest.approx(48.8566)
    assert alert.location.lon == pytest.approx(2.3522)
    assert alert.location.accuracy_m == pytest.approx(250.0)
    assert alert.location.address == "Quai de la Seine, parking des berges"
    assert alert.extra == {
        "msgType": "Alert",
        "status": "Actual",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Observed",
    }


def test_polygon_gives_vertex_centroid_and_farthest_vertex_accuracy() -> None:
    ring = "48.0,2.0 48.0,2.2 48.2,2.2 48.2,2.0 48.0,2.0"
    xml = make_cap(infos=make_info(areas=area(f"<polygon>{ring}</polygon>")))

    location = parse_cap(xml).location

    assert location is not None
    assert location.lat == pytest.approx(48.1)
    assert location.lon == pytest.approx(2.1)
    expected = max(
        haversine_m((48.1, 2.1), p) for p in [(48.0, 2.0), (48.0, 2.2), (48.2, 2.2), (48.2, 2.0)]
    )
    assert location.accuracy_m == pytest.approx(expected, rel=1e-6)
    assert location.address == "Secteur nord"


def test_a_zero_radius_circle_alone_is_a_point() -> None:
    areas = area(desc="Toute la commune") + area(
        "<circle>43.6,1.44 0</circle>", desc="Place du Capitole"
    )
    alert = parse_cap(make_cap(infos=make_info(areas=areas)))

    assert alert.location is not None
    assert (alert.location.lat, alert.location.lon) == (43.6, 1.44)
    assert alert.location.accuracy_m == 0.0
    assert alert.location.address == "Place du Capitole"  # the first area placed
    assert alert.area is None  # a point draws nothing
    assert "areaDesc" not in alert.extra
    assert alert.cap is not None
    assert alert.cap.unplaced == ("Toute la commune",)


@pytest.mark.parametrize(
    "areas",
    [
        pytest.param("", id="no-area"),
        pytest.param(area(desc="Centre-ville"), id="area-without-geometry"),
        pytest.param(
            area("<geocode><valueName>INSEE</valueName><value>75056</value></geocode>"),
            id="geocode-only",
        ),
    ],
)
def test_alert_without_geometry_is_accepted_without_location(areas: str) -> None:
    alert = parse_cap(make_cap(infos=make_info(areas=areas)))

    assert alert.location is None
    if areas:
        assert alert.extra["areaDesc"] in {"Centre-ville", "Secteur nord"}


def test_french_info_is_preferred() -> None:
    infos = (
        make_info(language="en-US", event="Flood", headline="Flood warning")
        + make_info(language="FR-be", event="Inondation", headline="Alerte crue")
        + make_info(language="fr-FR", event="Inondation", headline="Deuxième bloc fr")
    )
    alert = parse_cap(make_cap(infos=infos))

    assert alert.title == "Alerte crue"
    assert alert.category is Category.INONDATION
    assert alert.cap is not None
    assert alert.cap.chosen_info == 1
    assert len(alert.cap.infos) == 3


@pytest.mark.parametrize(
    "languages",
    [("en-US", "de-DE"), (None, "es")],
    ids=["explicit-languages", "default-language"],
)
def test_first_info_is_used_without_french(languages: tuple[str | None, str | None]) -> None:
    infos = make_info(language=languages[0], headline="First") + make_info(
        language=languages[1], headline="Second"
    )

    assert parse_cap(make_cap(infos=infos)).title == "First"


def test_status_and_message_type_are_recorded_not_rejected() -> None:
    xml = make_cap(status="Exercise", msg_type="cancel").replace(
        "<scope>",
        "<references>capteurs-crue@ville.example,ID-0,2024-11-14T06:00:00+01:00"
        "</references><scope>",
    )
    alert = parse_cap(xml)

    assert alert.extra["status"] == "Exercise"
    assert alert.extra["msgType"] == "Cancel"
    assert alert.extra["references"].startswith("capteurs-crue@ville.example,ID-0,")


def test_headline_falls_back_to_event_and_description_to_instruction() -> None:
    alert = parse_cap(make_cap(infos=make_info(event="Rixe", instruction="Envoyer 2 agents")))

    assert alert.title == "Rixe"
    assert alert.description == "Envoyer 2 agents"


def test_long_free_texts_are_cut_not_rejected() -> None:
    headline = "Crue " + "x" * 300
    description = "d" * (MAX_DESCRIPTION + 10)
    alert = parse_cap(
        make_cap(infos=make_info(headline=headline, description=description, instruction="i"))
    )

    assert len(alert.title) == MAX_TITLE
    assert alert.title == headline[: MAX_TITLE - 1] + "…"
    assert len(alert.description) == MAX_DESCRIPTION
    assert alert.description.endswith("d…")


@pytest.mark.parametrize(
    ("web", "expected"),
    [
        ("http://x.example/a.jpg", ("http://x.example/a.jpg",)),
        ("ftp://x.example/a.jpg", ()),
        ("voir le site", ()),
        (None, ()),
    ],
)
def test_web_becomes_attachment_only_if_http(web: str | None, expected: tuple[str, ...]) -> None:
    assert parse_cap(make_cap(infos=make_info(web=web))).attachments == expected


def test_missing_commune_parameter_gives_none() -> None:
    assert parse_cap(make_cap()).commune is None


# --- priority and category -------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "urgency", "expected"),
    [
        ("Extreme", None, 1),
        ("Extreme", "Past", 1),
        ("Minor", "Immediate", 1),
        (None, "Immediate", 1),
        ("Unknown", "Immediate", 1),
        ("Severe", "Expected", 2),
        ("Severe", None, 2),
        ("Moderate", "Future", 3),
        ("Minor", None, 4),
        ("minor", "expected", 4),
    ],
)
def test_priority_from_severity_and_urgency(
    severity: str | None, urgency: str | None, expected: int
) -> None:
    alert = parse_cap(make_cap(infos=make_info(severity=severity, urgency=urgency)))

    assert alert.priority == expected
    assert not alert.priority_from_rules


@pytest.mark.parametrize(
    ("severity", "urgency", "event"),
    [
        ("Unknown", "Unknown", "Inondation"),
        (None, None, "Inondation"),
        (None, "Expected", "Cambriolage en cours"),
        ("Unknown", None, "Incendie de poubelle"),
    ],
)
def test_priority_from_rules_when_cap_says_nothing(
    severity: str | None, urgency: str | None, event: str
) -> None:
    alert = parse_cap(make_cap(infos=make_info(severity=severity, urgency=urgency, event=event)))

    assert alert.priority == DEFAULT_PRIORITY_RULES[alert.category]
    assert alert.priority_from_rules


def test_custom_priority_rules_are_used() -> None:
    rules = {**DEFAULT_PRIORITY_RULES, Category.INONDATION: 1}

    alert = parse_cap(make_cap(), priority_rules=rules)

    assert alert.category is Category.INONDATION
    assert alert.priority == 1
    assert alert.priority_from_rules


@pytest.mark.parametrize(
    ("cap_category", "event", "expected", "raw"),
    [
        ("Fire", None, Category.INCENDIE, None),
        ("Fire", "Sinistre", Category.INCENDIE, "Sinistre"),
        (
            "Transport",
            "Accident de la circulation",
            Category.ACCIDENT,
            "Accident de la circulation",
        ),
        ("Transport", "Road accident", Category.ACCIDENT, "Road accident"),
        ("Transport", "Bouchon", Category.AUTRE, "Bouchon"),
        (
            "Security",
            "Cambriolage d'un commerce",
            Category.CAMBRIOLAGE,
            "Cambriolage d'un commerce",
        ),
        ("Security", "Burglary in progress", Category.CAMBRIOLAGE, "Burglary in progress"),
        ("Security", "Individu SUSPECT", Category.COMPORTEMENT_SUSPECT, "Individu SUSPECT"),
        (
            "Other",
            "Démarchage abusif signalé",
            Category.DEMARCHAGE_ABUSIF,
            "Démarchage abusif signalé",
        ),
        ("Other", "DEMARCHEUR insistant", Category.DEMARCHAGE_ABUSIF, "DEMARCHEUR insistant"),
        ("Other", "Animal perdu", Category.ANIMAL_PERDU, None),  # the label itself
        ("Other", "Animaux errants", Category.ANIMAL_PERDU, "Animaux errants"),
        (
            "Security",
            "Dégradation de mobilier urbain",
            Category.DEGRADATION,
            "Dégradation de mobilier urbain",
        ),
        ("Security", "Vandalism", Category.DEGRADATION, "Vandalism"),
        ("Safety", "Incendie de véhicule", Category.INCENDIE, "Incendie de véhicule"),
        ("Safety", "Départ de feu", Category.INCENDIE, "Départ de feu"),
        ("Safety", "Feux de poubelles", Category.INCENDIE, "Feux de poubelles"),
        ("Safety", "Brush fire", Category.INCENDIE, "Brush fire"),
        ("Safety", "Rixe sur la place", Category.RIXE, "Rixe sur la place"),
        ("Safety", "Bagarre", Category.RIXE, "Bagarre"),
        ("Safety", "Street fight", Category.RIXE, "Street fight"),
        ("Fire", "Rixe", Category.RIXE, None),  # event keywords win over CAP category
        ("Met", "Inondation", Category.INONDATION, None),  # issue 17: a risk category
        ("Met", None, Category.METEO, None),  # issue 17: CAP Met is météo
        ("Safety", "Couvre-feu", Category.AUTRE, "Couvre-feu"),
        ("Transport", "Feux tricolores en panne", Category.AUTRE, "Feux tricolores en panne"),
        ("Safety", "Chute de feuilles", Category.AUTRE, "Chute de feuilles"),
        ("Safety", "Fireworks", Category.AUTRE, "Fireworks"),
        ("Safety", None, Category.AUTRE, "Safety"),
        (None, None, Category.AUTRE, None),
    ],
)
def test_category_mapping(
    cap_category: str | None, event: str | None, expected: Category, raw: str | None
) -> None:
    alert = parse_cap(make_cap(infos=make_info(category=cap_category, event=event)))

    assert alert.category is expected
    assert alert.category_raw == raw


# --- refused documents -----------------------------------------------------------

_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
)
_POLY_OK = "48.0,2.0 48.0,2.2 48.2,2.2 48.0,2.0"


def _with_area(geometry: str) -> str:
    return make_cap(infos=make_info(areas=area(geometry)))


BAD_DOCUMENTS = [
    pytest.param("<alert", "cap : XML mal formé : ", id="malformed"),
    pytest.param("", "cap : XML mal formé : ", id="empty"),
    pytest.param(make_cap() + "<alert/>", "XML mal formé : junk", id="two-roots"),
    pytest.param(
        make_cap(identifier="&undefined;"), "XML mal formé : undefined entity", id="undef-entity"
    ),
    pytest.param(
        make_cap(prolog="<!DOCTYPE alert [<!ELEMENT alert ANY>]>"),
        "cap : XML refusé (DTD interdite)",
        id="dtd",
    ),
    pytest.param(
        make_cap(prolog=_LAUGHS, identifier="&lol2;"), "cap : XML refusé", id="billion-laughs"
    ),
    pytest.param(
        make_cap(prolog='<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(
            "ID-1", "&xxe;"
        ),
        "cap : XML refusé",
        id="external-entity",
    ),
    pytest.param(
        make_cap(prolog='<!DOCTYPE alert SYSTEM "file:///etc/passwd">'),
        "cap : XML refusé",
        id="external-dtd",
    ),
    pytest.param(
        make_cap(namespace="urn:oasis:names:tc:emergency:cap:1.1"),
        "espace de noms urn:oasis:names:tc:emergency:cap:1.1",
        id="cap-1.1-namespace",
    ),
    pytest.param(
        make_cap().replace(f' xmlns="{CAP_NAMESPACE}"', ""),
        "espace de noms aucun",
        id="no-namespace",
    ),
    pytest.param(f'<info xmlns="{CAP_NAMESPACE}"/>', "cap : racine <info>", id="wrong-root"),
    pytest.param(
        make_cap(identifier=None), "cap.identifier : champ obligatoire manquant", id="no-id"
    ),
    pytest.param(make_cap(identifier="  "), "cap.identifier : texte vide", id="blank-id"),
    pytest.param(make_cap(sender=None), "cap.sender : champ obligatoire manquant", id="no-sender"),
    pytest.param(make_cap(sent=None), "cap.sent : champ obligatoire manquant", id="no-sent"),
    pytest.param(
        make_cap(sent="2024-11-14T06:42:00"), "cap.sent : date sans décalage UTC", id="naive-sent"
    ),
    pytest.param(make_cap(sent="hier"), "cap.sent : date RFC 3339 illisible", id="bad-sent"),
    pytest.param(
        make_cap(msg_type="Ping"), "cap.msgType : type de message non pris en charge", id="ping"
    ),
    pytest.param(make_cap(status="Draft"), "cap.status : brouillon (Draft) refusé", id="draft"),
    pytest.param(make_cap(status="Real"), "cap.status : statut inconnu", id="bad-status"),
    pytest.param(
        make_cap(msg_type="Update", infos=""), "cap.info : aucun bloc info", id="update-no-info"
    ),
    pytest.param(make_cap(infos=""), "cap.info : aucun bloc info", id="no-info"),
    pytest.param(
        make_cap(infos=make_info(headline="Alerte\x85")),
        "cap.info.headline : caractère de contrôle U+0085",
        id="control-char",
    ),
    pytest.param(make_cap(identifier="\ud800"), "cap : caractère invalide U+D800", id="surrogate"),
    pytest.param(
        make_cap(infos=make_info(description="x" * MAX_CAP_BYTES)),
        "cap : document trop volumineux",
        id="over-1-mib",
    ),
]


@pytest.mark.parametrize(("xml", "reason"), BAD_DOCUMENTS)
def test_bad_document_is_refused_with_precise_reason(xml: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_cap(xml)

    assert reason in info.value.reason
    assert str(info.value) == info.value.reason


@pytest.mark.parametrize("value", [None, 42, ["<alert/>"]])
def test_non_text_non_bytes_input_is_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="document XML attendu"):
        parse_cap(value)  # type: ignore[arg-type]


def test_bytes_input_is_accepted() -> None:
    assert parse_cap(make_cap().encode("utf-8")).id == "ID-1"


def test_valid_polygon_still_accepted_next_to_bad_cases() -> None:
    alert = parse_cap(_with_area(f"<polygon>{_POLY_OK}</polygon>"))

    assert alert.location is not None
    assert alert.location.lat == pytest.approx((48.0 + 48.0 + 48.2) / 3)


def test_sent_keeps_its_offset() -> None:
    alert = parse_cap(make_cap(sent="2024-06-01T12:00:00-03:30"))

    assert alert.sent.utcoffset() == timedelta(hours=-3, minutes=-30)
    assert alert.sent.tzinfo == timezone(timedelta(hours=-3, minutes=-30))


# --- robustness ------------------------------------------------------------------


def _parse_or_refuse(text: str) -> None:
    """parse_cap must return an Alert or raise ValidationError, nothing else."""
    try:
        result = parse_cap(text)
    except ValidationError as exc:
        assert exc.reason
    else:
        assert isinstance(result, Alert)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_only_raises_validation_error(text: str) -> None:
    _parse_or_refuse(text)


_XML_TOKENS = [
    *"<>/?!&;#=\"' \n[]-:x1.,",
    *("alert", "info", "area", "circle", "polygon", "xmlns", CAP_NAMESPACE, "DOCTYPE"),
    *("ENTITY", "SYSTEM", "&#0;", "&lt;", "\ud800", "\x85", "é"),
]
_XMLISH = st.lists(st.sampled_from(_XML_TOKENS), max_size=40).map("".join)


@given(_XMLISH)
@settings(max_examples=300, deadline=None)
def test_xmlish_text_only_raises_validation_error(text: str) -> None:
    _parse_or_refuse(text)


@given(
    st.sampled_from(
        ["identifier", "sender", "sent", "status", "msg_type", "event", "severity", "geometry"]
    ),
    st.one_of(st.text(max_size=60), _XMLISH),
)
@settings(max_examples=300, deadline=None)
def test_cap_with_arbitrary_field_only_raises_validation_error(field: str, value: str) -> None:
    cap_fields: dict[str, str] = {}
    info_fields: dict[str, str] = {}
    geometry = "<circle>48.8,2.3 1</circle>"
    if field == "geometry":
        geometry = f"<circle>{escape(value)}</circle><polygon>{value}</polygon>"
    elif field in {"event", "severity"}:
        info_fields[field] = value
    else:
        cap_fields[field] = escape(value) if field == "sent" else value
    _parse_or_refuse(make_cap(infos=make_info(areas=area(geometry), **info_fields), **cap_fields))


@pytest.mark.parametrize(
    "prefix",
    [
        "<!DOCTYPE alert>",
        '<!DOCTYPE alert [<!ENTITY x "y">]>',
        "<!doctype alert>",
        '<!ENTITY x "y">',
    ],
)
def test_any_dtd_marker_goes_to_the_hardened_parser_and_is_refused(prefix: str) -> None:
    """The fast C parser only sees documents without any DTD marker; every other
    document is parsed by defusedxml, which refuses it (or it is malformed)."""
    xml = make_cap().replace("<alert", prefix + "<alert", 1)
    with pytest.raises(ValidationError, match=r"cap : XML (refusé|mal formé)"):
        parse_cap(xml)


def test_a_dtd_marker_in_a_comment_is_harmless() -> None:
    """Goes the hardened way (the marker is seen) and is accepted: no DTD there."""
    xml = make_cap().replace("<alert", "<!-- <!DOCTYPE alert> --><alert", 1)
    assert parse_cap(xml).fmt == "cap"
