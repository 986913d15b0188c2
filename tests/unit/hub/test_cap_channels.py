"""The hub's CAP channels without a network: reading Atom and RSS feeds, a document's
encoding and its frame, the triplet, ``[cap_http]`` / ``[[partners]]`` / ``[[feeds]]``."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import trustme

from csu_console.core.alerts import Alert, Category
from csu_console.errors import ValidationError
from csu_console.hub.cap_feeds import FeedError, parse_feed
from csu_console.hub.cap_intake import cap_frame_body, declared_encoding, document_text
from csu_console.hub.cap_seen import CapTriplet, normal_sent
from csu_console.hub.config import check_hub_config, token_hash

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
DOC = (
    f'<alert xmlns="{CAP}"><identifier>X-1</identifier><sender>s@x.fr</sender>'
    "<sent>2026-12-05T08:00:00+01:00</sent><status>Actual</status><msgType>Alert</msgType>"
    "<scope>Public</scope></alert>"
)
BASE = "https://flux.example.fr/cap/feed.atom"


def atom(entry: str) -> bytes:
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id>{entry}</feed>'.encode()


def test_atom_entries_inline_escaped_linked_and_without_cap() -> None:
    feed = atom(
        f"<entry><id>e1</id><updated>2026-12-05T08:00:00Z</updated>"
        f'<content type="application/cap+xml">{DOC}</content></entry>'
        "<entry><id>e2</id><content type='application/cap+xml'>"
        f"{DOC.replace('<', '&lt;').replace('>', '&gt;')}</content></entry>"
        '<entry><id>e3</id><link rel="alternate" type="text/html" href="/page.html"/>'
        '<link rel="enclosure" type="application/cap+xml; charset=utf-8" '
        'href="../d/3.xml"/></entry>'
        '<entry><id>e4</id><content type="application/cap+xml" src="https://a.fr/4.cap"/></entry>'
        '<entry><id>e5</id><link href="https://a.fr/page.html"/></entry>'
    )
    e1, e2, e3, e4, e5 = parse_feed(feed, BASE)
    assert (e1.key, e1.version) == ("e1", "2026-12-05T08:00:00Z")
    assert e1.inline is not None and e1.inline.decode().startswith(f'<alert xmlns="{CAP}">')
    assert e2.inline == DOC.encode()
    assert e3.inline is None and e3.link == "https://flux.example.fr/d/3.xml"
    assert e4.link == "https://a.fr/4.cap"
    assert e5.inline is None and e5.link is None


def test_rss_items_enclosure_inline_and_cap_link() -> None:
    rss = (
        '<rss version="2.0"><channel><title>t</title>'
        "<item><guid>g1</guid><pubDate>Sat, 05 Dec 2026 08:00:00 GMT</pubDate>"
        '<enclosure url="https://a.fr/1" type="application/cap+xml" length="1"/></item>'
        f"<item><guid>g2</guid>{DOC}</item>"
        "<item><link>https://a.fr/alertes/3.cap</link></item>"
        "<item><link>https://a.fr/alertes/4.html</link></item>"
        "</channel></rss>"
    ).encode()
    g1, g2, g3, g4 = parse_feed(rss, BASE)
    assert (g1.key, g1.version, g1.link) == (
        "g1",
        "Sat, 05 Dec 2026 08:00:00 GMT",
        "https://a.fr/1",
    )
    assert g2.inline is not None and b"<identifier>X-1</identifier>" in g2.inline
    assert g3.key == g3.link == "https://a.fr/alertes/3.cap"
    assert g4.link is None


def test_a_lone_cap_document_is_a_feed_of_one_and_hostile_feeds_are_refused() -> None:
    [only] = parse_feed(DOC.encode(), BASE)
    assert only.inline == DOC.encode()
    with pytest.raises(FeedError, match="flux refusé"):
        parse_feed(b'<!DOCTYPE f [<!ENTITY x "y">]><feed>&x;</feed>', BASE)
    with pytest.raises(FeedError, match="mal formé"):
        parse_feed(b"<feed", BASE)
    with pytest.raises(FeedError, match="racine <html>"):
        parse_feed(b"<html/>", BASE)


def test_a_document_is_read_in_its_declared_encoding_and_framed_as_bytes() -> None:
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Nîmes</a>'.encode("iso-8859-1")
    assert declared_encoding(latin) == "ISO-8859-1"
    assert document_text(latin).endswith("<a>Nîmes</a>")
    frame = json.loads(cap_frame_body(latin, document_text(latin)))
    assert base64.b64decode(frame["xml_base64"]) == latin and "xml" not in frame

    utf8 = '<?xml version="1.0" encoding="utf-8"?><a>Nîmes</a>'.encode()
    assert json.loads(cap_frame_body(utf8, document_text(utf8))) == {
        "type": "cap",
        "xml": utf8.decode(),
    }
    windows = '<?xml version="1.0" encoding="iso-8859-1"?><a>l’Œuvre</a>'.encode("cp1252")
    assert document_text(windows).endswith("<a>l’Œuvre</a>")  # not C1 controls
    bom = b"\xef\xbb\xbf<a/>"
    assert document_text(bom) == "<a/>" and "xml_base64" in json.loads(cap_frame_body(bom, "<a/>"))
    with pytest.raises(ValidationError, match="octet invalide en utf-8 à la position 3"):
        document_text(b"<a>\xe9</a>")
    with pytest.raises(ValidationError, match="encodage déclaré inconnu : klingon"):
        document_text(b'<?xml version="1.0" encoding="klingon"?><a/>')


def test_the_triplet_compares_sent_as_an_instant() -> None:
    paris = timezone(timedelta(hours=1))
    a = datetime(2026, 12, 5, 8, 0, tzinfo=paris)
    assert normal_sent(a) == normal_sent(datetime(2026, 12, 5, 7, 0, tzinfo=UTC))

    def alert(sent: datetime, source: str = "s") -> Alert:
        return Alert(source, "X-1", sent, Category.AUTRE, None, 3, False, "t", "", None)

    t1, t2 = CapTriplet.of(alert(a)), CapTriplet.of(alert(a.astimezone(UTC)))
    assert t1 == t2 and t1.msg_id == t2.msg_id and t1.kv_key.startswith("t.")
    assert CapTriplet.of(alert(a, "autre")).msg_id != t1.msg_id
    assert CapTriplet.of(alert(a + timedelta(seconds=1))).kv_key != t1.kv_key


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text('[hub]\nid = "hub-a"\n' + text, encoding="utf-8")
    return path


def test_cap_sections_are_read(tmp_path: Path) -> None:
    (tmp_path / "jeton").write_text("jeton-fichier\n", encoding="utf-8")
    path = write(
        tmp_path,
        '[cap_http]\nlisten = "127.0.0.1:8443"\nplain_http = true\n'
        f'[[partners]]\nname = "vigicrues"\ntoken_sha256 = "{token_hash("a")}"\n'
        'senders = ["crues@nimes.fr"]\n'
        '[[partners]]\nname = "prefecture"\ntoken_env = "JETON_PREF"\n'
        '[[partners]]\nname = "sdis"\ntoken_file = "jeton"\n'
        '[[feeds]]\nurl = "https://flux.example.fr/cap.atom"\ninterval_s = 120\n'
        'partner = "vigicrues"\n'
        '[[feeds]]\nurl = "http://meteo.example.fr/rss"\n',
    )
    config, problems = check_hub_config(path, {"JETON_PREF": "jeton-env"})
    assert problems == []
    assert config is not None and config.cap_http is not None
    assert (config.cap_http.listen, config.cap_http.scheme) == ("127.0.0.1:8443", "http")
    vigicrues, pref, sdis = config.partners
    assert vigicrues.senders == ("crues@nimes.fr",)
    assert pref.token_sha256 == token_hash("jeton-env")
    assert sdis.token_sha256 == token_hash("jeton-fichier")
    f1, f2 = config.feeds
    assert (f1.name, f1.interval_s, f1.partner) == ("vigicrues", 120, "vigicrues")
    assert (f2.name, f2.interval_s, f2.partner) == ("meteo-example-fr", 60.0, None)


def test_cap_sections_list_every_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[cap_http]\nlisten = "0.0.0.0:8443"\nplain_http = true\n'
        '[[partners]]\nname = "a"\n'
        f'[[partners]]\nname = "b"\ntoken_sha256 = "{token_hash("x")}"\ntoken_env = "E"\n'
        f'[[partners]]\nname = "c"\ntoken_env = "ABSENTE"\n'
        '[[feeds]]\nurl = "ftp://x.fr/f"\n'
        '[[feeds]]\nurl = "https://x.fr/f"\npartner = "inconnu"\ninterval_s = 1\n',
    )
    config, problems = check_hub_config(path, {})
    assert config is None
    found = {(p.where.split(" (")[0], p.field): p.message for p in problems}
    assert "127.0.0.1 seulement" in found[("[cap_http]", "plain_http")]
    assert "token_sha256, token_env ou token_file" in found[("[[partners]] 1", "token_sha256")]
    assert "un seul" in found[("[[partners]] 2", "token_env")]
    assert "ABSENTE vide ou absente" in found[("[[partners]] 3", "token_env")]
    assert "URL http:// ou https://" in found[("[[feeds]] 1", "url")]
    assert "10" in found[("[[feeds]] 2", "interval_s")]


def test_https_is_required_unless_the_hub_has_tls(tmp_path: Path) -> None:
    partner = f'[[partners]]\nname = "a"\ntoken_sha256 = "{token_hash("x")}"\n'
    config, problems = check_hub_config(
        write(tmp_path, '[cap_http]\nlisten = "0.0.0.0:8443"\n' + partner), {}
    )
    assert config is None
    [problem] = problems
    assert problem.message == "HTTPS obligatoire : donnez cert et key (ici ou dans [tls])"
    config, problems = check_hub_config(write(tmp_path, '[cap_http]\nlisten = "0.0.0.0:8443"\n'))
    assert config is None and any("aucun [[partners]]" in p.message for p in problems)


def test_cap_http_uses_the_hubs_tls_by_default(tmp_path: Path) -> None:
    ca = trustme.CA()
    issued = ca.issue_cert("hub.example.fr")
    issued.cert_chain_pems[0].write_to_path(str(tmp_path / "hub.crt"))
    issued.private_key_pem.write_to_path(str(tmp_path / "hub.key"))
    partner = f'[[partners]]\nname = "a"\ntoken_sha256 = "{token_hash("x")}"\n'
    text = '[tls]\ncert = "hub.crt"\nkey = "hub.key"\n[cap_http]\nlisten = "0.0.0.0:8443"\n'
    config, problems = check_hub_config(write(tmp_path, text + partner), {})
    assert problems == [] and config is not None and config.cap_http is not None
    assert config.cap_http.tls_cert == tmp_path / "hub.crt"
    assert config.cap_http.scheme == "https" and config.cap_http.ssl_context() is not None


def test_status_names_each_partner_and_feed() -> None:
    from csu_console.hub.status import render

    counts = {"received": 5, "stored": 3, "duplicate": 1, "rejected": 1, "unavailable": 0}
    report = {
        "nats": {"connected": "127.0.0.1:4222", "servers": ["127.0.0.1:4222"], "jetstream": True},
        "streams": {},
        "stations": {},
        "hubs": {
            "hub-a": {
                "state": "ok",
                "stations": [],
                "upstreams": {},
                "cap": {
                    "http": {"listen": "https://0.0.0.0:8443", "unauthorized": 2},
                    "partners": {"vigicrues": counts | {"last_rejection": "cap.sent : absent"}},
                    "feeds": {
                        "meteo": counts
                        | {
                            "url": "https://m.fr/rss",
                            "polls": 9,
                            "not_modified": 7,
                            "errors": 1,
                            "consecutive_errors": 1,
                            "last_error": "HTTP 503",
                        }
                    },
                },
            }
        },
    }
    text = render(report)
    assert "réception CAP https://0.0.0.0:8443/cap : jetons refusés 2" in text
    assert (
        "partenaire vigicrues : reçus 5, enregistrés 3, déjà reçus 1, refusés 1 — "
        "dernier refus : cap.sent : absent" in text
    )
    assert "flux meteo (https://m.fr/rss) : en échec (HTTP 503) ; lectures 9, inchangé 7" in text


def test_partner_token_and_check_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csu_console.hub.cli import main

    assert main(["token", "--partner", "vigicrues"]) == 0
    out = capsys.readouterr().out.splitlines()
    token = out[1].strip()
    assert "[[partners]]" in out and 'name = "vigicrues"' in out
    line = f'token_sha256 = "{token_hash(token)}"'
    assert line in out
    path = write(
        tmp_path,
        f'[cap_http]\nlisten = "127.0.0.1:8443"\nplain_http = true\n'
        f'[[partners]]\nname = "vigicrues"\n{line}\n'
        '[[feeds]]\nurl = "https://flux.example.fr/cap.atom"\npartner = "vigicrues"\n',
    )
    assert main(["check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "réception CAP : POST http://127.0.0.1:8443/cap, 1 partenaire(s)" in out
    assert "flux CAP vigicrues : https://flux.example.fr/cap.atom toutes les 60 s" in out


def test_claims_on_a_partners_alert_go_to_no_gateway(tmp_path: Path) -> None:
    """A claim on an alert a partner posted (or a feed brought) is not sent up to a
    gateway that never sent it; an alert no channel knows still goes to every one."""
    from types import SimpleNamespace
    from typing import Any

    from fake_hub import claim

    from csu_console.hub.config import HubConfig
    from csu_console.hub.intake import Intake, _Listener

    local: set[str] = {"crues@nimes.fr"}
    intake = Intake(HubConfig("h", "csu", "127.0.0.1", 0, tmp_path), None, local)  # type: ignore[arg-type]
    sent: list[tuple[Any, ...]] = []
    intake.sinks = {"amont0": SimpleNamespace(sources={"plateforme-citoyenne"})}  # type: ignore[dict-item]
    intake.links = {"amont0": SimpleNamespace(send_status=lambda *a: sent.append(a))}  # type: ignore[dict-item]
    intake.listeners = {"amont0": _Listener("amont0")}

    def relay(source: str) -> None:
        data = json.dumps(claim("A-1", source=source).to_obj()).encode()
        intake._relay_one("amont0", data)

    relay("crues@nimes.fr")
    assert sent == []
    relay("plateforme-citoyenne")
    relay("inconnu")  # e.g. received before this hub started: every gateway hears it
    assert [a[0] for a in sent] == ["plateforme-citoyenne", "inconnu"]
