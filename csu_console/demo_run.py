"""``csu-console demo``: the demo site as a CSU runs it, on 127.0.0.1.

``csu-sim`` plays the citizen platform, ``csu-hub`` (with its embedded NATS
JetStream) is the CSU's alert server, the test-stream server plays the cameras, and
one console — or several (``--stations N``), each in its own process and data folder
— are the operator stations. ``--sans-hub`` links the console straight to the
simulator, as before the hub.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from csu_console.config import check_site
from csu_console.demo_access import DEMO_PASSWORD, demo_hint, mark_demo_data, reset_demo_data
from csu_console.processes import terminate


def _start_demo_streams(opts: Any) -> Any:
    """The demo site's cameras as live test streams (GStreamer RTSP server on
    127.0.0.1); the demo goes on without pictures when it cannot start."""
    from csu_console.errors import UserFacingError
    from csu_console.media.stream_server.control import serve_cameras

    site, _problems = check_site(opts.config_dir)
    if site is None or not site.cameras:
        return None
    try:
        server, cameras = serve_cameras(
            site.cameras, opts.data_dir / "rtsp-server.log", timezone=site.site.timezone
        )
    except UserFacingError as exc:
        print(
            f"csu-console demo : flux caméras de démonstration indisponibles : {exc}",
            file=sys.stderr,
        )
        return None
    if cameras and cameras[0].stream_main != site.cameras[0].stream_main:
        opts.stream_port = server.port
    return server


#: The demo's segments: 10 s, so that replay has something a few seconds after start
#: (production: ``[recorder] segment_s``, 60).
DEMO_SEGMENT_S = 10


def _start_demo_recorder(opts: Any, streams: Any) -> subprocess.Popen[bytes] | None:
    """``csu-recorder`` for the demo cameras (their sub-streams where they have one,
    10-s segments) into ``<data>/recordings``; logs in ``<data>/logs/recorder.log``."""
    if streams is None:
        return None
    from csu_console.processes import parent_death_signal

    args = [sys.executable, "-m", "csu_console.recorder", "run", "--config", str(opts.config_dir)]
    args += ["--data-dir", str(opts.data_dir), "--stream-port", str(streams.port)]
    args += ["--segment-s", str(DEMO_SEGMENT_S), "--stream", "sub"]
    return subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=parent_death_signal(),  # noqa: PLW1509 - before the console's threads
    )  # fmt: skip


#: Written in the data folder once its 26 weeks of history are in (``--reset`` wipes it).
HISTORY_MARKER = "historique-demo.txt"


def _seed_demo_history(opts: Any) -> None:
    """On a demo's first start, 26 weeks of simulated past reports (closed), with three
    planted weak signals, so that « Signaux faibles », the trends, the heatmap and the
    per-commune reports have something to show. Once per data folder."""
    from csu_console.cli_signals import generate_history
    from csu_console.storage.store import DB_NAME

    marker = opts.data_dir / HISTORY_MARKER
    if marker.exists():
        return
    site, _problems = check_site(opts.config_dir)
    if site is None or not site.zones:
        return
    stored, made = generate_history(site, opts.data_dir / DB_NAME, plant=True)
    planted = ", ".join(p.term or p.category or "/".join(p.communes) for p in made.planted)
    marker.write_text(
        f"{stored} signalements simulés sur 26 semaines ; signaux plantés : {planted}.\n",
        encoding="utf-8",
    )
    print(f"csu-console demo : historique simulé de 26 semaines ({stored} signalements, "
          f"signaux plantés : {planted})", flush=True)  # fmt: skip


def run_demo(args: argparse.Namespace, opts: Any) -> int:
    """Start ``csu-sim`` on a free port, the CSU's hub (``csu-hub`` and its NATS) on
    it, then the console connected to the hub (``--reset``: on a wiped data folder;
    ``--stations N``: N-1 more stations on the same hub, each in its own process)."""
    from csu_console.app import run_console
    from csu_console.processes import parent_death_signal

    if args.join:
        return _join_demo(args, opts)
    if args.reset and (code := reset_demo_data(opts.data_dir, sys.stdout)) != 0:
        return code
    mark_demo_data(opts.data_dir)
    if not args.sans_historique:
        _seed_demo_history(opts)
    opts.autologin_password = DEMO_PASSWORD  # printed below: log back in after Ctrl+L
    print(demo_hint(opts.autologin, opts.data_dir, Path.cwd()), flush=True)
    with tempfile.TemporaryDirectory(prefix="csu-demo-") as tmp:
        port_file = Path(tmp) / "port"
        sim = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "csu_console.sim.cli",
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--config",
                str(opts.config_dir),
                "--rate",
                str(args.rate),
                "--burst",
                str(args.burst),
                "--state",
                str(opts.data_dir / "sim-state.sqlite3"),
                "--cap-lifecycle",
            ],
            # Stopped by the kernel if the console dies (segfault, SIGKILL): the
            # ``finally`` below runs only when it stops normally.
            preexec_fn=parent_death_signal(),  # noqa: PLW1509 - no thread started yet
        )
        opts.data_dir.mkdir(parents=True, exist_ok=True)
        streams = _start_demo_streams(opts)
        recorder = _start_demo_recorder(opts, streams)
        hub: Any = None
        others: list[subprocess.Popen[bytes]] = []
        try:
            deadline = time.monotonic() + 15
            while not port_file.exists() or not port_file.read_text():
                if sim.poll() is not None or time.monotonic() > deadline:
                    print("csu-console demo : le simulateur n'a pas démarré", file=sys.stderr)
                    return 2
                time.sleep(0.05)
            sim_url = f"ws://127.0.0.1:{port_file.read_text()}/"
            if args.sans_hub or opts.gateway:
                opts.gateway = opts.gateway or sim_url
                return run_console(opts)
            hub = _start_demo_hub(opts.data_dir / "hub", sim_url, args.stations)
            if hub is None:
                return 2
            opts.gateway = hub.url
            opts.station = opts.station or "poste-1"
            opts.gateway_token = hub.tokens[opts.station]
            others = [_start_other_station(args, opts, hub, s) for s in hub.stations[1:]]
            return run_console(opts)
        finally:
            for proc in others:
                terminate(proc, 10.0)
            if hub is not None:
                hub.stop()
            # SIGTERM: the recorder closes its last segments, then the cameras may go.
            terminate(recorder, 20.0)
            if streams is not None:
                streams.close()
            sim.terminate()
            try:
                sim.wait(5)
            except subprocess.TimeoutExpired:
                sim.kill()


def _start_demo_hub(hub_dir: Path, sim_url: str, stations: int) -> Any:
    from csu_console.demo_hub import DemoHub
    from csu_console.errors import UserFacingError

    hub = DemoHub(hub_dir, sim_url, stations)
    try:
        hub.start()
    except UserFacingError as exc:
        print(f"csu-console demo : {exc}", file=sys.stderr)
        return None
    print(
        f"Serveur d'alertes du CSU (csu-hub) : {hub.url} ; "
        f"postes : {', '.join(hub.stations)} ; journal : {hub_dir / 'logs' / 'hub.log'}",
        flush=True,
    )
    return hub


def _start_other_station(
    args: argparse.Namespace, opts: Any, hub: Any, station: str
) -> subprocess.Popen[bytes]:
    """Another station of the demo, in its own process and data folder."""
    from csu_console.processes import parent_death_signal

    command = [
        sys.executable, "-m", "csu_console", "demo", "--join", hub.url,
        "--station", station, "--data-dir", str(opts.data_dir / station),
        "--config", str(opts.config_dir),
        # its own operator (demo-2…): who holds what must be told apart on screen
        "--autologin", f"{args.autologin}-{station.rsplit('-', 1)[-1]}",
    ]  # fmt: skip
    if opts.stream_port is not None:
        command += ["--stream-port", str(opts.stream_port)]
    if opts.language:
        command += ["--lang", opts.language]
    env = dict(os.environ, CSU_GATEWAY_TOKEN=hub.tokens[station])
    return subprocess.Popen(
        command,
        env=env,
        preexec_fn=parent_death_signal(),  # noqa: PLW1509 - from the main thread
    )


def _join_demo(args: argparse.Namespace, opts: Any) -> int:
    """A further station of a running demo: its console only, on the given hub."""
    from csu_console.app import run_console

    opts.data_dir.mkdir(parents=True, exist_ok=True)
    mark_demo_data(opts.data_dir)
    opts.autologin_password = DEMO_PASSWORD
    opts.gateway = args.join
    opts.stream_port = args.stream_port
    return run_console(opts)
