"""The ``[cap]`` section of site.toml: exercises, the geocode table (entries, file, zone
ids), trusted certificates; the demo site, defaults, and one test per bad shape."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from csu_console.config import ConfigProblem, check_site, default_config_dir, load_site
from csu_console.config.cap_section import CapConfig, TrustedCertificate
from csu_console.config.commands import config_check

GARD = ["secteur-centre", "secteur-gare", "secteur-port", "secteur-kaisaniemi"]


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of the demo configuration."""
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def problems(site_dir: Path, toml: str) -> list[ConfigProblem]:
    (site_dir / "site.toml").write_text(toml + "\n", encoding="utf-8")
    config, found = check_site(site_dir)
    assert (config is None) == bool(found)
    return found


def only(site_dir: Path, toml: str) -> ConfigProblem:
    found = problems(site_dir, toml)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def pem_certificate(common_name: str = "vigicrues") -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def feature(props: dict[str, Any], size: float = 0.002, x: float = 24.94, y: float = 60.17) -> Any:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write_geojson(path: Path, features: list[Any]) -> None:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )


# --- the demo site and the defaults ---------------------------------------------------


def test_the_demo_site() -> None:
    site = load_site(default_config_dir())
    assert site.cap.ring_exercises is False
    assert site.cap.geocodes[("INSEE", "30189")] == tuple(GARD)
    assert site.cap.trusted == ()
    resolver = site.cap.resolver(site.zones)
    nimes = resolver.resolve("code_insee", "30189")
    assert nimes is not None and len(nimes.polygons) == 4
    assert resolver.resolve("DEPARTEMENT", "030") == nimes
    assert resolver.resolve("NUTS3", "FRJ12") == nimes
    kamppi = next(z for z in site.zones if z.id == "quartier-kamppi")
    assert resolver.resolve("INSEE", "30321") == kamppi.area
    assert resolver.resolve("ZONE", "quartier-kamppi") == kamppi.area
    assert resolver.resolve("INSEE", "75056") is None


def test_defaults_when_absent(site_dir: Path) -> None:
    assert problems(site_dir, "") == []
    assert load_site(site_dir).cap == CapConfig()


def test_ring_exercises(site_dir: Path) -> None:
    assert problems(site_dir, "[cap]\nring_exercises = true") == []
    assert load_site(site_dir).cap.ring_exercises is True
    p = only(site_dir, '[cap]\nring_exercises = "oui"')
    assert (p.where, p.field, p.message) == (
        "[cap]",
        "ring_exercises",
        'true ou false attendu, reçu "oui"',
    )


def test_a_french_key_gets_a_hint(site_dir: Path) -> None:
    p = only(site_dir, "[cap]\nexercices = true")
    assert (p.field, p.message, p.hint) == (
        "exercices",
        "clé inconnue",
        "vouliez-vous dire « ring_exercises » ?",
    )
    p = only(site_dir, '[cap]\ngeocode_file = "x.geojson"')
    assert p.hint == "vouliez-vous dire « geocodes_file » ?"


# --- [cap.geocodes] --------------------------------------------------------------------


def test_geocode_entries_forms(site_dir: Path) -> None:
    toml = (
        '[cap.geocodes]\n"code_insee:30189" = ["secteur-centre", "secteur-gare"]\n'
        '"DEPT:030" = "secteur-port"'
    )
    assert problems(site_dir, toml) == []
    cap = load_site(site_dir).cap
    assert cap.geocodes == {
        ("INSEE", "30189"): ("secteur-centre", "secteur-gare"),
        ("DEPT", "30"): ("secteur-port",),
    }


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ('"30189" = ["secteur-centre"]', "clé « NOM:valeur » attendue"),
        ('"INSEE:Nîmes" = ["secteur-centre"]', "code INSEE de commune à 5 caractères"),
        ('"DEPT:3000" = ["secteur-centre"]', "numéro de département attendu"),
        ('"INSEE:30189" = []', "liste d'identifiants de zones attendue, reçu []"),
        ('"INSEE:30189" = "secteur-centre"\n"x" = 1', "clé « NOM:valeur » attendue"),
        ('"INSEE:30189" = [3]', "liste d'identifiants de zones attendue, reçu [3]"),
        (
            '"INSEE:30189" = ["secteur-centre"]\n"code_insee:30189" = ["secteur-gare"]',
            "même code que",
        ),
    ],
)
def test_bad_geocode_entries(site_dir: Path, entry: str, fragment: str) -> None:
    p = only(site_dir, f"[cap.geocodes]\n{entry}")
    assert p.where == "[cap.geocodes]"
    assert p.field == entry.rpartition("\n")[2].partition(" = ")[0].strip('"')
    assert fragment in p.message


def test_geocodes_not_a_table(site_dir: Path) -> None:
    p = only(site_dir, '[cap]\ngeocodes = "INSEE:30189"')
    assert (p.where, p.field) == ("[cap]", "geocodes")
    assert p.message.startswith("table [cap.geocodes] attendue")


def test_every_bad_entry_is_listed_under_its_key(site_dir: Path) -> None:
    found = problems(
        site_dir, '[cap.geocodes]\n"30189" = ["secteur-centre"]\n"DEPT:300" = ["secteur-gare"]'
    )
    assert [(p.where, p.field) for p in found] == [
        ("[cap.geocodes]", "30189"),
        ("[cap.geocodes]", "DEPT:300"),
    ]


def test_unknown_zone_ids_are_listed_with_a_hint(site_dir: Path) -> None:
    found = problems(
        site_dir,
        '[cap.geocodes]\n"INSEE:30189" = ["secteur-centre", "secteur-garre"]\n'
        '"DEPT:30" = ["nulle-part"]',
    )
    assert [(p.where, p.field, p.message, p.hint) for p in found] == [
        ("[cap.geocodes]", "INSEE:30189", "zone « secteur-garre » absente de zones.geojson",
         "vouliez-vous dire « secteur-gare » ?"),
        ("[cap.geocodes]", "DEPT:30", "zone « nulle-part » absente de zones.geojson", ""),
    ]  # fmt: skip


# --- geocodes_file ---------------------------------------------------------------------


def test_geocodes_file(site_dir: Path) -> None:
    write_geojson(
        site_dir / "communes.geojson",
        [
            feature({"INSEE_COM": "30189", "INSEE_DEP": "30", "NOM": "Nîmes"}, x=24.94),
            feature({"code_insee": 30007, "dept": 30, "commune": "Aigues-Mortes"}, x=24.95),
            feature({"code": "34172", "nom": "Montpellier"}, x=24.96),
            feature({"geocodes": ["EMMA_ID:FR030", "NUTS3:FRJ12"]}, x=24.97),
        ],
    )
    toml = (
        '[cap]\ngeocodes_file = "communes.geojson"\n'
        '[cap.geocodes]\n"INSEE:30189" = ["secteur-gare"]'
    )
    assert problems(site_dir, toml) == []
    site = load_site(site_dir)
    assert site.cap.geocodes_file == site_dir.resolve() / "communes.geojson"
    resolver = site.cap.resolver(site.zones)
    gare = next(z for z in site.zones if z.id == "secteur-gare")
    assert resolver.resolve("INSEE", "30189") == gare.area  # the entry wins
    dept = resolver.resolve("DEPT", "30")
    assert dept is not None and len(dept.polygons) == 2  # Nîmes and Aigues-Mortes
    assert resolver.resolve("INSEE", "30007") is not None
    assert resolver.resolve("INSEE", "34172") is not None
    assert resolver.resolve("EMMA_ID", "FR030") == resolver.resolve("nuts3", "frj12")
    assert resolver.resolve("INSEE", "Aigues-Mortes") is None


@pytest.mark.parametrize(
    ("features", "where", "field", "fragment"),
    [
        ([feature({"nom": "Nîmes"})], "feature 1", "properties", "aucun code"),
        ([feature({"code_inse": "30189"})], "feature 1", "properties", "aucun code"),
        ([feature({"insee": "Nîmes"})], "feature 1 (INSEE:NÎMES)", "properties", "code INSEE"),
        ([feature({"geocode": "FR030"})], "feature 1", "properties", "« NOM:valeur » attendu"),
        ([feature({"insee": ["30189"]})], "feature 1", "properties", "code (texte) attendu"),
        (
            [{"type": "Feature", "properties": {"insee": "30189"},
              "geometry": {"type": "Point", "coordinates": [1, 2]}}],
            "feature 1 (INSEE:30189)", "geometry", "« Polygon » ou « MultiPolygon »",
        ),
        (
            [{"type": "Feature", "properties": {"insee": "30189"},
              "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}}],
            "feature 1 (INSEE:30189)", "geometry", "anneau non fermé",
        ),
        (
            [{"type": "Feature", "properties": {"insee": "30189"},
              "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}}],
            "feature 1 (INSEE:30189)", "geometry", "aire nulle",
        ),
        (
            [{"type": "Feature", "properties": {"insee": "30189"},
              "geometry": {"type": "MultiPolygon", "coordinates": [
                  [[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[0, 0], [500, 0], [1, 1], [0, 0]]]]}}],
            "feature 1 (INSEE:30189)", "geometry", "polygone 2, anneau extérieur : position 2",
        ),
        (["x"], "feature 1", "", "objet de type « Feature » attendu"),
    ],
)  # fmt: skip
def test_bad_geocodes_file(
    site_dir: Path, features: list[Any], where: str, field: str, fragment: str
) -> None:
    write_geojson(site_dir / "communes.geojson", features)
    p = only(site_dir, '[cap]\ngeocodes_file = "communes.geojson"')
    assert (p.file, p.where, p.field) == ("communes.geojson", where, field)
    assert fragment in p.message


def test_a_misspelt_code_property_gets_a_hint(site_dir: Path) -> None:
    write_geojson(site_dir / "communes.geojson", [feature({"nom": "Nîmes", "code_inse": "30189"})])
    p = only(site_dir, '[cap]\ngeocodes_file = "communes.geojson"')
    assert p.hint == "vouliez-vous dire « code_insee » ?"


def test_unreadable_geocodes_file(site_dir: Path) -> None:
    p = only(site_dir, '[cap]\ngeocodes_file = "absent.geojson"')
    assert (p.file, p.message) == ("absent.geojson", f"fichier absent de {site_dir.resolve()}")
    (site_dir / "bad.geojson").write_text("{", encoding="utf-8")
    p = only(site_dir, '[cap]\ngeocodes_file = "bad.geojson"')
    assert p.file == "bad.geojson" and p.message.startswith("JSON invalide")
    (site_dir / "dossier").mkdir()
    p = only(site_dir, '[cap]\ngeocodes_file = "dossier"')
    assert (p.where, p.field) == ("[cap]", "geocodes_file") and "dossier" in p.message
    (site_dir / "list.geojson").write_text("[]", encoding="utf-8")
    p = only(site_dir, '[cap]\ngeocodes_file = "list.geojson"')
    assert "FeatureCollection" in p.message


# --- [[cap.trusted]] -------------------------------------------------------------------


def test_trusted_certificates(site_dir: Path) -> None:
    (site_dir / "certs").mkdir()
    (site_dir / "certs" / "a.pem").write_bytes(pem_certificate("a"))
    (site_dir / "certs" / "b.pem").write_bytes(pem_certificate("b") + pem_certificate("chain"))
    (site_dir / "certs" / "c.pem").write_bytes(pem_certificate("c"))
    toml = (
        '[[cap.trusted]]\nsender = "vigicrues@example.gouv.fr"\ncertificate = "certs/a.pem"\n'
        '[[cap.trusted]]\nsender = "vigicrues@example.gouv.fr"\ncertificate = "certs/b.pem"\n'
        f'[[cap.trusted]]\nsender = "prefecture"\ncertificate = "{site_dir / "certs" / "c.pem"}"\n'
    )
    assert problems(site_dir, toml) == []
    cap = load_site(site_dir).cap
    certs = site_dir.resolve() / "certs"
    assert cap.certificates("vigicrues@example.gouv.fr") == (certs / "a.pem", certs / "b.pem")
    assert cap.trusted_by_sender() == {
        "vigicrues@example.gouv.fr": (certs / "a.pem", certs / "b.pem"),
        "prefecture": (site_dir / "certs" / "c.pem",),
    }
    assert cap.trusted[0] == TrustedCertificate("vigicrues@example.gouv.fr", certs / "a.pem")
    assert cap.certificates("inconnu") == ()


def test_bad_certificate_files(site_dir: Path) -> None:
    (site_dir / "key.pem").write_text(
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", encoding="utf-8"
    )
    (site_dir / "broken.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", encoding="utf-8"
    )
    toml = "".join(
        f'[[cap.trusted]]\nsender = "s{i}"\ncertificate = "{name}"\n'
        for i, name in enumerate(["absent.pem", "key.pem", "broken.pem"], 1)
    )
    found = problems(site_dir, toml)
    assert [(p.where, p.field) for p in found] == [
        ("[[cap.trusted]] 1 (s1)", "certificate"),
        ("[[cap.trusted]] 2 (s2)", "certificate"),
        ("[[cap.trusted]] 3 (s3)", "certificate"),
    ]
    assert found[0].message.startswith("fichier de certificat introuvable")
    assert found[1].message.startswith("certificat PEM attendu (-----BEGIN CERTIFICATE-----)")
    assert found[2].message.startswith("certificat PEM illisible")


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[[cap.trusted]]\nsender = "s"',
         "certificat 1 : certificate : chemin (texte non vide) attendu, reçu rien"),
        ('[[cap.trusted]]\ncertificate = "a.pem"',
         "certificat 1 : sender : texte non vide attendu, reçu rien"),
        ('[[cap.trusted]]\nsender = "s"\ncertificat = "a.pem"',
         "clé « certificat » inconnue (vouliez-vous dire « certificate » ?)"),
        ('[cap]\ntrusted = "a.pem"', "[[cap.trusted]] attendu"),
        ("[cap]\ntrusted = [1]", "certificat 1 : table { sender, certificate } attendue"),
    ],
)  # fmt: skip
def test_bad_trusted_entries(site_dir: Path, toml: str, fragment: str) -> None:
    found = problems(site_dir, toml)
    assert found and all((p.where, p.field) == ("[cap]", "trusted") for p in found)
    assert fragment in found[0].message


# --- all at once, as the installer sees them --------------------------------------------


def test_config_check_lists_every_cap_problem(site_dir: Path) -> None:
    write_geojson(site_dir / "communes.geojson", [feature({"nom": "Nîmes"})])
    (site_dir / "site.toml").write_text(
        '[cap]\nring_exercises = 1\ngeocodes_file = "communes.geojson"\n'
        '[cap.geocodes]\n"INSEE:30189" = ["centre"]\n'
        '[[cap.trusted]]\nsender = "s"\ncertificate = "absent.pem"\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    assert config_check(site_dir, out) == 1
    text = out.getvalue()
    assert "site.toml: [cap]: ring_exercises : true ou false attendu, reçu 1" in text
    assert (
        "site.toml: [[cap.trusted]] 1 (s): certificate : fichier de certificat introuvable" in text
    )
    assert (
        "site.toml: [cap.geocodes]: INSEE:30189 : zone « centre » absente de zones.geojson" in text
    )
    assert "communes.geojson: feature 1: properties : aucun code" in text
    assert "4 problème(s)" in text
