"""Verifying a CAP document's XML-DSig signature, against parsing it.

    .venv/bin/python bench/cap_signature.py [--repeat 30]

Documents signed by :func:`csu_console.sim.cap_sign.sign_cap` with an RSA-2048 and a
P-256 key (self-signed certificates made here): a typical 5 KB alert (two info
blocks, a polygon), a 450 KB one whose bulk is an embedded base64 resource (few
elements, one big text), and a 450 KB one made of 600 areas with 30-point polygons
(many elements: the worst case for canonicalisation). For each: the median time of
:meth:`CapSignatureVerifier.check` (a VALID verdict), and of parsing the same bytes
with ElementTree (what the CAP parser does first) for scale. Last line:
``signature_ms 5kB=… 450kB_resource=… 450kB_areas=…`` (RSA).
"""

from __future__ import annotations

import argparse
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

from csu_console.core.cap_facts import Signature
from csu_console.core.cap_signature import CapSignatureVerifier
from csu_console.sim.cap_sign import self_signed, sign_cap

SENDER = "alertes@gard.gouv.fr"


def document(areas: str = "", resource: str = "") -> bytes:
    """A French flood alert with extra ``areas`` / ``resource`` XML in its first info."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>FR-GARD-2026-1205-0042</identifier>
  <sender>{SENDER}</sender>
  <sent>2026-12-05T04:30:00+01:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>fr-FR</language>
    <category>Met</category>
    <event>Crue</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <senderName>Préfecture du Gard, centre opérationnel départemental</senderName>
    <headline>Vigilance rouge crues : le Vidourle déborde à Sommières</headline>
    <description>{"Montée rapide des eaux, quais évacués, routes coupées. " * 25}</description>
    <instruction>{"Rejoindre les étages, ne pas rouler sur une voie inondée. " * 10}</instruction>
    <web>https://www.gard.gouv.fr/alertes/crues</web>
    <parameter><valueName>commune</valueName><value>Sommières</value></parameter>
    {resource}
    <area>
      <areaDesc>Sommières, rives du Vidourle</areaDesc>
      <polygon>43.790,4.080 43.790,4.100 43.775,4.100 43.775,4.080 43.790,4.080</polygon>
      <geocode><valueName>INSEE</valueName><value>30321</value></geocode>
    </area>
    {areas}
  </info>
  <info>
    <language>en-GB</language>
    <category>Met</category>
    <event>Flood</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <headline>Red flood warning: the Vidourle overflows in Sommières</headline>
    <description>{"Water rising fast, quays evacuated, roads closed. " * 20}</description>
  </info>
</alert>
""".encode()


def many_areas(target: int) -> str:
    parts: list[str] = []
    size = 0
    i = 0
    while size < target:
        points = " ".join(
            f"{43.7 + (i % 50) * 0.001 + k * 0.0001:.5f},{4.0 + k * 0.0003:.5f}" for k in range(30)
        )
        part = f"<area><areaDesc>Secteur {i}</areaDesc><polygon>{points}</polygon></area>\n"
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm-up (schemas, caches)
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    docs = {
        "5kB": document(),
        "450kB_resource": document(
            resource="<resource><resourceDesc>carte</resourceDesc><mimeType>image/png"
            "</mimeType><derefUri>" + "iVBORw0KGgo" * 40_000 + "</derefUri></resource>"
        ),
        "450kB_areas": document(areas=many_areas(440_000)),
    }
    results: dict[str, float] = {}
    for kind in ("rsa", "ec"):
        partner = self_signed(f"CAP Gard {kind}", kind=kind)
        key_pem, cert_pem = partner.key_pem, partner.cert_pem
        checker = CapSignatureVerifier({SENDER: [cert_pem]})
        for name, doc in docs.items():
            signed = sign_cap(doc, key_pem, cert_pem)
            verdict, detail = checker.check(signed, SENDER)
            assert verdict is Signature.VALID, detail
            check_ms = median_ms(lambda s=signed, c=checker: c.check(s, SENDER), args.repeat)
            parse_ms = median_ms(lambda s=signed: ET.fromstring(s), args.repeat)
            print(
                f"{kind:3} {name:15} {len(signed) / 1024:6.0f} KiB  "
                f"check {check_ms:6.2f} ms   ElementTree parse {parse_ms:6.2f} ms"
            )
            if kind == "rsa":
                results[name] = check_ms
    print("signature_ms " + " ".join(f"{k}={v:.1f}" for k, v in results.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
