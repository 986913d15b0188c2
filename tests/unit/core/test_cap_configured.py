"""The site's CAP parser crosses to the receiving process (spawn: pickled) with its
geocode table and trusted certificates, and uses both there."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from cap_support import SENDER, area, cap, geocode, info

from csu_console.core.cap.configured import SiteCapParser
from csu_console.core.cap_facts import Signature
from csu_console.core.geo import Area
from csu_console.core.geocodes import GeocodeTable
from csu_console.sim.cap_sign import self_signed, sign_cap


class _Zone:
    id = "secteur-gare"
    area = Area(((((24.93, 60.17), (24.95, 60.17), (24.95, 60.18), (24.93, 60.17)),),))


def _document() -> bytes:
    block = info(areas=area(geocode("INSEE", "30189"), desc="Nîmes"))
    return cap(block).encode("utf-8")


def _table() -> GeocodeTable:
    return GeocodeTable([_Zone()], {("INSEE", "30189"): ("secteur-gare",)})


def test_a_pickled_parser_still_places_geocodes_and_verifies_signatures(tmp_path: Path) -> None:
    partner = self_signed("Vigilance Météo")
    pem = tmp_path / "partner.pem"
    pem.write_bytes(partner.cert_pem)
    parser = SiteCapParser.from_files(_table(), {SENDER: (pem,)})
    signed = sign_cap(_document(), partner.key_pem, partner.cert_pem)
    assert parser(signed).cap is not None  # the checker is built in this process…
    child = pickle.loads(pickle.dumps(parser))  # …and rebuilt in the receiving one
    alert = child(signed)
    assert alert.cap is not None
    assert alert.cap.signature is Signature.VALID
    assert alert.area == _Zone.area
    tampered = signed.replace("Nîmes".encode(), b"Ales")
    assert child(tampered).cap.signature is Signature.INVALID  # type: ignore[union-attr]


def test_without_trusted_certificates_a_signed_document_is_unverified() -> None:
    partner = self_signed("Vigilance Météo")
    signed = sign_cap(_document(), partner.key_pem, partner.cert_pem)
    alert = SiteCapParser(_table())(signed)
    assert alert.cap is not None and alert.cap.signature is Signature.UNTRUSTED
    unsigned = SiteCapParser(_table())(_document())
    assert unsigned.cap is not None and unsigned.cap.signature is None


@pytest.mark.expected_logs("csu.cap")
def test_an_unreadable_certificate_is_skipped_with_a_warning(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    parser = SiteCapParser.from_files(None, {SENDER: (tmp_path / "absent.pem",)})
    assert parser.trusted == {SENDER: ()}
    assert "illisible" in caplog.text
    assert parser(_document()).title
