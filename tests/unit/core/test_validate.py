"""Tests of the protocol v1 field checks (csu_console.core.validate)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from csu_console.core.alerts import DEFAULT_PRIORITY_RULES, Category, Location, Reporter
from csu_console.core.validate import (
    MAX_ATTACHMENTS,
    MAX_DESCRIPTION,
    MAX_TITLE,
    check_number,
    check_position,
    check_text,
    describe,
    map_category,
    parse_alert_object,
    parse_rfc3339,
)
from csu_console.errors import ValidationError

PARIS_SUMMER = timezone(timedelta(hours=2))


def make_alert(**changes: Any) -> dict[str, Any]:
    """A valid protocol v1 ``alert`` object; ``None`` removes a field."""
    alert: dict[str, Any] = {
        "id": "SIG-1",
        "source": "plateforme-citoyenne",
        "sent": "2024-06-01T14:03:12+02:00",
        "category": "cambriolage",
        "title": "Porte fracturée",
        "description": "Bruit de verre brisé.",
        "location": {"lat": 48.85, "lon": 2.35, "address": "1 rue de la Paix"},
    }
    for key, value in changes.items():
        if value is None:
            alert.pop(key, None)
        else:
            alert[key] = value
    return alert


def reason_of(obj: object) -> str:
    with pytest.raises(ValidationError) as info:
        parse_alert_object(obj)
    return info.value.reason


# --- RFC 3339 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-01T12:03:12Z", datetime(2024, 6, 1, 12, 3, 12, tzinfo=UTC)),
        ("2024-06-01t12:03:12z", datetime(2024, 6, 1, 12, 3, 12, tzinfo=UTC)),
        ("2024-06-01 12:03:12Z", datetime(2024, 6, 1, 12, 3, 12, tzinfo=UTC)),
        ("2024-06-01T14:03:12+02:00", datetime(2024, 6, 1, 14, 3, 12, tzinfo=PARIS_SUMMER)),
        ("2024-06-01T12:03:12-00:00", datetime(2024, 6, 1, 12, 3, 12, tzinfo=UTC)),
        ("2024-06-01T12:03:12.5Z", datetime(2024, 6, 1, 12, 3, 12, 500000, tzinfo=UTC)),
        ("2024-06-01T12:03:12.123+02:00", datetime(2024, 6, 1, 12, 3, 12, 123000, PARIS_SUMMER)),
        ("2024-06-01T12:03:12.123456Z", datetime(2024, 6, 1, 12, 3, 12, 123456, tzinfo=UTC)),
        # Nanoseconds (Go, Java gateways): cut to microseconds, not refused.
        ("2024-06-01T12:03:12.123456789Z", datetime(2024, 6, 1, 12, 3, 12, 123456, tzinfo=UTC)),
        (
            "2024-06-01T12:03:12.1234567-05:30",
            datetime(2024, 6, 1, 12, 3, 12, 123456, timezone(-timedelta(hours=5, minutes=30))),
        ),
    ],
)
def test_rfc3339_accepted(text: str, expected: datetime) -> None:
    parsed = parse_rfc3339(text, "alert.sent")
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2024-06-01T12:03:12", "sans décalage UTC"),
        ("2024-06-01T12:03", "sans décalage UTC"),
        ("2024-06-01T12:03:12.250", "sans décalage UTC"),
        ("2024-06-01", "illisible"),
        ("01/06/2024 12:03", "illisible"),
        ("hier soir", "illisible"),
        ("", "illisible"),
        ("2024-06-01T12:03:12+0200", "illisible"),
        ("2024-06-01T12:03:12.Z", "illisible"),
        ("2024-06-01T12:03:12.1234567890Z", "illisible"),
        ("2024-02-30T12:00:00Z", "date invalide"),
        ("2024-06-01T24:00:00Z", "date invalide"),
        ("2024-06-01T23:59:60Z", "date invalide"),
        ("2024-06-01T12:00:00+24:00", "date invalide"),
        # Valid locally but with no UTC equivalent (the store keeps UTC).
        ("0001-01-01T00:00:00+01:00", "hors plage"),
        ("9999-12-31T23:59:59-01:00", "hors plage"),
        (1717243392, "date RFC 3339 attendue, reçu nombre 1717243392"),
        (None, "date RFC 3339 attendue, reçu null"),
    ],
)
def test_rfc3339_refused(value: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_rfc3339(value, "alert.sent")
    assert info.value.reason.startswith("alert.sent : ")
    assert fragment in info.value.reason


# --- texts ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"])
def test_check_text_refuses_control_characters(char: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_text(f"ab{char}cd", "alert.title", 100)
    assert info.value.reason == (
        f"alert.title : caractère de contrôle U+{ord(char):04X} à la position 2"
    )


@pytest.mark.parametrize("text", ["ligne 1\nligne 2", "a\tb", "a\r\nb", "é ñ 漢字 🚨"])
def test_check_text_keeps_newlines_tabs_and_unicode(text: str) -> None:
    assert check_text(text, "alert.description", 100) == text


def test_check_text_keeps_html_verbatim() -> None:
    html = '<script>alert("x")</script> &amp; <b>gras</b>'
    assert check_text(html, "alert.title", MAX_TITLE) == html


@pytest.mark.parametrize(("limit", "path"), [(MAX_TITLE, "t"), (MAX_DESCRIPTION, "d")])
def test_check_text_length_limit(limit: int, path: str) -> None:
    assert check_text("x" * limit, path, limit) == "x" * limit
    with pytest.raises(ValidationError) as info:
        check_text("x" * (limit + 1), path, limit)
    assert info.value.reason == f"{path} : trop long ({limit + 1} caractères, maximum {limit})"


def test_check_text_counts_characters_not_bytes() -> None:
    assert check_text("é" * MAX_TITLE, "alert.title", MAX_TITLE) == "é" * MAX_TITLE


def test_check_text_optional_and_required() -> None:
    assert check_text(None, "alert.commune", 10) is None
    assert check_text("", "alert.commune", 10) == ""
    with pytest.raises(ValidationError, match=r"^alert\.id : champ obligatoire manquant$"):
        check_text(None, "alert.id", 10, required=True)
    with pytest.raises(ValidationError, match=r"^alert\.id : texte vide$"):
        check_text(" \t", "alert.id", 10, required=True)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(12, "nombre 12"), (True, "booléen"), ([], "liste"), ({}, "objet"), (1.5, "nombre 1.5")],
)
def test_check_text_refuses_non_strings(value: object, shown: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_text(value, "alert.title", 10)
    assert info.value.reason == f"alert.title : texte attendu, reçu {shown}"


def test_describe_cuts_long_strings() -> None:
    assert describe("x" * 100) == f"chaîne {'x' * 37 + '...'!r}"
    assert describe(None) == "null"


# --- numbers --------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -90, 90, 45.5, -0.0])
def test_check_number_accepts_bounds(value: float) -> None:
    assert check_number(value, "alert.location.lat", -90.0, 90.0) == float(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "nombre attendu, reçu booléen"),
        (False, "nombre attendu, reçu booléen"),
        ("48.85", "nombre attendu, reçu chaîne '48.85'"),
        (None, "nombre attendu, reçu null"),
        (math.nan, "nombre non fini (nan)"),
        (math.inf, "nombre non fini (inf)"),
        (-math.inf, "nombre non fini (-inf)"),
        (90.000001, "hors plage [-90, 90] (reçu 90.000001)"),
        (-91, "hors plage [-90, 90] (reçu -91.0)"),
        # JSON allows integers of any length; float() of this one overflows.
        (10**400, "hors plage [-90, 90] (entier démesuré)"),
        (-(10**400), "hors plage [-90, 90] (entier démesuré)"),
    ],
)
def test_check_number_refused(value: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_number(value, "alert.location.lat", -90.0, 90.0)
    assert info.value.reason == f"alert.location.lat : {fragment}"


def test_check_position_names_the_failing_coordinate() -> None:
    assert check_position(48.85, 2.35, "alert.location") == (48.85, 2.35)
    with pytest.raises(ValidationError, match=r"^alert\.location\.lon : hors plage"):
        check_position(48.85, 180.5, "alert.location")


# --- categories and priorities --------------------------------------------------


@pytest.mark.parametrize("category", list(Category))
def test_map_category_known(category: Category) -> None:
    assert map_category(category.value) == (category, None)


@pytest.mark.parametrize("raw", ["Cambriolage", "tapage_nocturne", "incendie ", "🔥"])
def test_map_category_unknown_keeps_the_original(raw: str) -> None:
    assert map_category(raw) == (Category.AUTRE, raw)


def test_unknown_category_is_stored_as_autre() -> None:
    alert = parse_alert_object(make_alert(category="tapage_nocturne", priority=None))
    assert alert.category is Category.AUTRE
    assert alert.category_raw == "tapage_nocturne"
    assert alert.priority == DEFAULT_PRIORITY_RULES[Category.AUTRE]


def test_category_is_stripped_before_mapping() -> None:
    alert = parse_alert_object(make_alert(category="  rixe "))
    assert (alert.category, alert.category_raw) == (Category.RIXE, None)


@pytest.mark.parametrize("category", list(Category))
def test_priority_from_default_rules(category: Category) -> None:
    alert = parse_alert_object(make_alert(category=category.value, priority=None))
    assert alert.priority == DEFAULT_PRIORITY_RULES[category]
    assert alert.priority_from_rules


def test_priority_from_site_rules_and_null_priority() -> None:
    rules = {Category.CAMBRIOLAGE: 1}
    alert = parse_alert_object(make_alert(priority=None), rules)
    assert (alert.priority, alert.priority_from_rules) == (1, True)
    # A site rule set without the category falls back to the default rule.
    alert = parse_alert_object(make_alert(category="rixe"), {Category.CAMBRIOLAGE: 4})
    assert alert.priority == DEFAULT_PRIORITY_RULES[Category.RIXE]
    alert = parse_alert_object({**make_alert(), "priority": None}, rules)
    assert alert.priority_from_rules


@pytest.mark.parametrize("priority", [1, 2, 3, 4])
def test_explicit_priority_beats_rules(priority: int) -> None:
    alert = parse_alert_object(make_alert(priority=priority), {Category.CAMBRIOLAGE: 1})
    assert (alert.priority, alert.priority_from_rules) == (priority, False)


@pytest.mark.parametrize(
    ("priority", "fragment"),
    [
        (0, "hors plage 1 à 4 (reçu 0)"),
        (5, "hors plage 1 à 4 (reçu 5)"),
        (-1, "hors plage 1 à 4 (reçu -1)"),
        ("1", "entier 1 à 4 attendu, reçu chaîne '1'"),
        (True, "entier 1 à 4 attendu, reçu booléen"),
        (2.0, "entier 1 à 4 attendu, reçu nombre 2.0"),
    ],
)
def test_bad_priority(priority: object, fragment: str) -> None:
    assert reason_of(make_alert(priority=priority)) == f"alert.priority : {fragment}"


# --- reporter and attachments ---------------------------------------------------


def test_full_alert_fields() -> None:
    alert = parse_alert_object(
        make_alert(
            commune="Villeneuve",
            reporter={"pseudonym": "voisin75", "verified": True},
            attachments=["https://cdn.example/p/1.jpg", "HTTP://cdn.example/p/2.jpg"],
            location={"lat": 48.85, "lon": 2.35, "address": "1 rue", "accuracy_m": 12},
        )
    )
    assert alert.location == Location(48.85, 2.35, "1 rue", 12.0)
    assert alert.commune == "Villeneuve"
    assert alert.reporter == Reporter("voisin75", True)
    assert alert.attachments == ("https://cdn.example/p/1.jpg", "HTTP://cdn.example/p/2.jpg")
    assert alert.sent == datetime(2024, 6, 1, 12, 3, 12, tzinfo=UTC)
    assert alert.fmt == "json"
    assert alert.key == ("plateforme-citoyenne", "SIG-1")


@pytest.mark.parametrize(
    ("reporter", "expected"),
    [
        ({}, Reporter(None, False)),
        ({"pseudonym": "anonyme"}, Reporter("anonyme", False)),
        ({"verified": False}, Reporter(None, False)),
    ],
)
def test_reporter_shapes(reporter: dict[str, Any], expected: Reporter) -> None:
    assert parse_alert_object(make_alert(reporter=reporter)).reporter == expected


def test_reporter_absent_or_null() -> None:
    assert parse_alert_object(make_alert()).reporter is None
    assert parse_alert_object({**make_alert(), "reporter": None}).reporter is None


@pytest.mark.parametrize(
    ("reporter", "reason"),
    [
        ("voisin75", "alert.reporter : objet JSON attendu, reçu chaîne 'voisin75'"),
        ([], "alert.reporter : objet JSON attendu, reçu liste"),
        ({"verified": "oui"}, "alert.reporter.verified : booléen attendu, reçu chaîne 'oui'"),
        ({"verified": 1}, "alert.reporter.verified : booléen attendu, reçu nombre 1"),
        ({"verified": None}, "alert.reporter.verified : booléen attendu, reçu null"),
        ({"pseudonym": 7}, "alert.reporter.pseudonym : texte attendu, reçu nombre 7"),
        ({"pseudonym": "x" * 101}, "alert.reporter.pseudonym : trop long (101 caractères,"),
    ],
)
def test_bad_reporter(reporter: object, reason: str) -> None:
    assert reason_of(make_alert(reporter=reporter)).startswith(reason)


def test_attachments_empty_or_null() -> None:
    assert parse_alert_object(make_alert(attachments=[])).attachments == ()
    assert parse_alert_object({**make_alert(), "attachments": None}).attachments == ()


@pytest.mark.parametrize(
    ("attachments", "reason"),
    [
        ("https://x.example/a.jpg", "alert.attachments : liste d'URL attendue, reçu chaîne"),
        ({"url": "https://x"}, "alert.attachments : liste d'URL attendue, reçu objet"),
        (
            ["https://x.example/a"] * (MAX_ATTACHMENTS + 1),
            f"alert.attachments : trop de pièces jointes ({MAX_ATTACHMENTS + 1}, maximum",
        ),
        (["https://ok.example/", "ftp://x.example/a"], "alert.attachments[1] : URL http(s)"),
        (["javascript:alert(1)"], "alert.attachments[0] : URL http(s) attendue"),
        (["https://x.example/a b"], "alert.attachments[0] : URL http(s) attendue"),
        (["https://"], "alert.attachments[0] : URL http(s) attendue"),
        ([42], "alert.attachments[0] : texte attendu, reçu nombre 42"),
        ([None], "alert.attachments[0] : champ obligatoire manquant"),
        ([""], "alert.attachments[0] : texte vide"),
        (["https://x.example/\x00"], "alert.attachments[0] : caractère de contrôle U+0000"),
    ],
)
def test_bad_attachments(attachments: object, reason: str) -> None:
    assert reason_of(make_alert(attachments=attachments)).startswith(reason)


# --- the other fields of parse_alert_object ---------------------------------------


@pytest.mark.parametrize(
    ("alert", "reason"),
    [
        ("texte", "alert : objet JSON attendu, reçu chaîne 'texte'"),
        (None, "alert : objet JSON attendu, reçu null"),
        (make_alert(id=None), "alert.id : champ obligatoire manquant"),
        (make_alert(source=None), "alert.source : champ obligatoire manquant"),
        (make_alert(sent=None), "alert.sent : champ obligatoire manquant"),
        (make_alert(category=None), "alert.category : champ obligatoire manquant"),
        (make_alert(category=3), "alert.category : texte attendu, reçu nombre 3"),
        (make_alert(category=" "), "alert.category : texte vide"),
        (make_alert(location=None), "alert.location : champ obligatoire manquant"),
        ({**make_alert(), "location": None}, "alert.location : champ obligatoire manquant"),
        (make_alert(location={"lat": 1}), "alert.location.lon : champ obligatoire manquant"),
        (make_alert(location={"lon": 1}), "alert.location.lat : champ obligatoire manquant"),
        (
            make_alert(location={"lat": 1, "lon": 2, "accuracy_m": -1}),
            "alert.location.accuracy_m : hors plage [0, 1e+06] (reçu -1.0)",
        ),
        (
            make_alert(location={"lat": 1, "lon": 2, "address": "x" * 301}),
            "alert.location.address : trop long (301 caractères, maximum 300)",
        ),
        (make_alert(commune=["a"]), "alert.commune : texte attendu, reçu liste"),
    ],
)
def test_bad_alert_object(alert: object, reason: str) -> None:
    assert reason_of(alert) == reason


def test_unknown_fields_are_ignored() -> None:
    alert = parse_alert_object(make_alert(futur={"champ": 1}))
    assert alert.id == "SIG-1"
