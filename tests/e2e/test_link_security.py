"""wss:// with a municipal (private) CA, and bearer-token refusal, end to end."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme
from support import CONFIG_DIR, RecordingListener, wait_until

from csu_console.net.link import AlertLink, LinkSettings
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.writer import StorageWriter


@pytest.fixture
def tls_sim(tmp_path: Path) -> tuple[SimProcess, Path]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_pem, key_pem, ca_pem = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_pem))
    cert.private_key_pem.write_to_path(str(key_pem))
    ca.cert_pem.write_to_path(str(ca_pem))
    control_ssl = ssl.create_default_context(cafile=str(ca_pem))
    sim = SimProcess(
        CONFIG_DIR,
        extra_args=["--tls-cert", str(cert_pem), "--tls-key", str(key_pem)],
        control_ssl=control_ssl,
    )
    sim.start()
    yield sim, ca_pem
    sim.close()


def test_wss_with_private_ca(tls_sim: tuple[SimProcess, Path], writer: StorageWriter) -> None:
    sim, ca_pem = tls_sim
    assert sim.url.startswith("wss://")
    listener = RecordingListener()
    link = AlertLink(LinkSettings(sim.url, "poste-1", ca_file=ca_pem), writer, listener)
    link.start()
    try:
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion TLS")
        sim.command("emit", count=10)
        wait_until(
            lambda: sim.command("stats")["stations"]["poste-1"]["acked"] == 10, 20, "acquittements"
        )
    finally:
        link.stop()
    assert writer.submit(lambda s: s.count("alerts")).result() == 10


@pytest.mark.expected_logs("csu.net")
def test_wss_refuses_an_unknown_certificate(
    tls_sim: tuple[SimProcess, Path], writer: StorageWriter
) -> None:
    sim, _ = tls_sim
    listener = RecordingListener()
    link = AlertLink(LinkSettings(sim.url, "poste-1"), writer, listener)  # system CAs only
    link.start()
    try:
        wait_until(lambda: listener.phase is LinkPhase.LOST, 10, "refus du certificat")
    finally:
        link.stop()
    assert any("certificat" in s.error for s in listener.statuses)
    assert all(s.phase is not LinkPhase.CONNECTED for s in listener.statuses)


@pytest.mark.expected_logs("csu.net")
def test_wrong_token_is_refused_shown_and_logged(
    tmp_path: Path, writer: StorageWriter, caplog: pytest.LogCaptureFixture
) -> None:
    sim = SimProcess(CONFIG_DIR, extra_args=["--token", "s3cret"]).start()
    try:
        listener = RecordingListener()
        link = AlertLink(LinkSettings(sim.url, "poste-1", token="mauvais"), writer, listener)
        link.start()
        try:
            wait_until(lambda: listener.phase is LinkPhase.REFUSED, 10, "refus du jeton")
        finally:
            link.stop()
        refused = next(s for s in listener.statuses if s.phase is LinkPhase.REFUSED)
        assert "401" in refused.error
        assert sim.command("stats")["refused"] >= 1
        assert any(r.levelname == "ERROR" and "401" in r.getMessage() for r in caplog.records), (
            "le refus doit être journalisé en ERROR"
        )
        assert "mauvais" not in caplog.text  # the token never reaches the log

        good = RecordingListener()
        link = AlertLink(LinkSettings(sim.url, "poste-1", token="s3cret"), writer, good)
        link.start()
        try:
            wait_until(lambda: good.phase is LinkPhase.CONNECTED, 10, "connexion avec le bon jeton")
        finally:
            link.stop()
    finally:
        sim.close()
