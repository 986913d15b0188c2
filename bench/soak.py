"""Round-the-clock soak: the real console for hours at twenty times a busy CSU's rate.

What runs, each in its own process, as ``csu-console demo`` assembles it:

- ``csu-sim`` (the citizen platform and the CAP partners, with their updates and
  cancellations), driven by this script through its ``/control`` channel: alerts
  arrive one by one at random (Poisson) times, by default 6,000 an hour. A *busy*
  CSU is taken as 300 alerts an hour (a large city's Saturday night: citizen
  reports, partners' CAP alerts and technical alerts together); the soak runs at
  twenty times that, so two hours of soak are about forty hours of such a night;
- ``csu-hub`` and its NATS JetStream (the CSU's alert server) between them;
- the GStreamer RTSP test server playing every camera of the demo site live;
- the console (``csu-console demo --join``: the real window, its receiving
  process, SQLite, the wall, the map), offscreen or on an X display. Nobody
  selects an alert, so the wall follows each new alert: its decoders open and
  close all the time. The camera prober runs inside the console;
- the other desk (``bench/soak_desk.py``): ``poste-2`` of the same hub, the
  console's receiving process and SQLite without a screen, takes and closes each
  alert ``--dwell-s`` seconds after it arrived (180 s by default), as the CSU's
  other operators would; the soaked console sees them closed by « Poste 2 ».
  ``--dwell-s 0``: nobody works the queue and every alert stays open (twelve
  thousand after two hours), the worst case for whatever grows with the open
  alerts (the queue, the assisted triage).

Sampled from outside every ``--sample-s`` seconds, from ``/proc``: RSS, threads
and open file descriptors of the console's GUI process and of its receiving
process, and the CPU of every process. The GUI's stalls come from a heartbeat in
the console's process: a 20 ms timer on the GUI thread; a tick later than due is
a stall of that much (this script starts the console through a small wrapper that
creates the QApplication and its heartbeat, then calls ``csu-console`` itself).

After the warm-up (``--warmup-minutes``), it reports the memory growth in %
(goal < 10 %) and its slope, threads and fds at start, end and max (goal: flat),
the longest GUI stall, the CPU, and, once the simulator stops sending, whether
every alert it sent is in the console's database (nothing lost). The warnings and
errors of every log are counted at the end, with an example of each.

    .venv/bin/python bench/soak.py [--minutes 120] [--dwell-s 180] [--xvfb :87] [--keep DIR]
        [--objects-every-s 120]   # diagnostic: Python objects by type (objects.jsonl)

``gui_cpu_wait_pct`` is the share of the time the GUI thread was runnable but given
no CPU: on a loaded machine the stalls are the machine's as much as the console's
(``gui_stall_max_cpu_wait_ms``: that wait within the second of the longest stall).

Ctrl+C stops it early, cleanly (figures so far); every process it started is
stopped on the way out. Last line: ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
#: Alerts an hour at a busy CSU (see the docstring); the soak runs at 20 times that.
BUSY_CSU_PER_HOUR = 300
SOAK_FACTOR = 20
#: The heartbeat's period on the GUI thread (ms); a later tick is a stall.
HEARTBEAT_MS = 20
STATION = "poste-1"
#: The other desk (bench/soak_desk.py), closing alerts.
DESK = "poste-2"
#: The console's stdout and stderr, in the data folder.
CONSOLE_OUT = "console-stdout.log"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


# -- the console's side: a heartbeat on the GUI thread -------------------------------


def run_delay_ms() -> float:
    """Time the calling thread has waited for a CPU, runnable but not running (ms):
    a stall made by the machine's load rather than by the console's own work."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def _type_name(o: object) -> str:
    """``module.Class`` for the project's types (two ``_Entry`` are not one), else the
    class name alone."""
    kind = type(o)
    module = kind.__dict__.get("__module__")
    if isinstance(module, str) and module.startswith("csu_console."):
        return f"{module.removeprefix('csu_console.')}.{kind.__qualname__}"
    return kind.__qualname__


def _held_sizes(objects: list[object], least: int = 200) -> dict[str, Any]:
    """What the project's objects hold: the length of each dict, list, set or deque
    attribute of an instance of a ``csu_console`` class, when at least ``least``,
    as ``"held:module.Class.attribute"`` (summed over the instances). A container
    that keeps growing names the owner that never lets go; for a dict, its three
    oldest keys (``"oldest:…"``) name what it kept."""
    held: collections.Counter[str] = collections.Counter()
    oldest: dict[str, list[str]] = {}
    for o in objects:
        if not _type_name(o).startswith(("core.", "ui.", "storage.", "net.", "media.", "hub.")):
            continue
        try:
            attrs = vars(o)
        except TypeError:
            continue
        for name, value in attrs.items():
            if isinstance(value, dict | list | set | collections.deque) and len(value) >= least:
                held[f"held:{_type_name(o)}.{name}"] += len(value)
                if isinstance(value, dict):
                    oldest[f"oldest:{_type_name(o)}.{name}"] = [repr(k) for k in list(value)[:3]]
    return {**held, **oldest}


def count_objects(out: Path) -> None:
    """Append the Python objects of this process counted by type (a diagnostic: it
    walks every object, a stall of its own, hence off by default)."""
    import gc

    objects = gc.get_objects()
    counts = collections.Counter(_type_name(o) for o in objects)
    line: dict[str, Any] = {"t": round(time.monotonic(), 1), "total": sum(counts.values())}
    line.update(counts.most_common(40))
    line.update(_held_sizes(objects))
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def console_child(heartbeat: Path, argv: list[str], objects_every_s: float = 0.0) -> int:
    """Create the QApplication with a heartbeat timer, then run ``csu-console argv``.

    Every second, one line is appended to ``heartbeat``: monotonic time, the longest
    lateness of a tick in that second (ms) and the ticks counted. ``run_console``
    reuses the QApplication it finds.
    """
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from csu_console.cli import main
    from csu_console.heap import limit_arenas

    limit_arenas()  # as csu-console's main does, but before this QApplication's threads
    app = QApplication(sys.argv[:1])
    out = heartbeat.open("a", encoding="utf-8", buffering=1)
    clock = QElapsedTimer()
    clock.start()
    state = {"last": 0.0, "max": 0.0, "ticks": 0, "flushed": 0.0, "waited": run_delay_ms()}

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if state["last"]:
            state["max"] = max(state["max"], now - state["last"] - HEARTBEAT_MS)
        state["last"] = now
        state["ticks"] += 1
        if now - state["flushed"] >= 1000:
            waited = run_delay_ms()
            out.write(
                f"{time.monotonic():.3f} {state['max']:.1f} {int(state['ticks'])} "
                f"{waited - state['waited']:.1f}\n"
            )
            state["max"], state["ticks"], state["flushed"] = 0.0, 0, now
            state["waited"] = waited

    timer = QTimer(app)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(tick)
    timer.start()
    objects = QTimer(app)
    if objects_every_s > 0:
        objects.timeout.connect(lambda: count_objects(heartbeat.with_name("objects.jsonl")))
        objects.start(int(objects_every_s * 1000))
    try:
        return main(argv)
    finally:
        timer.stop()
        out.close()


# -- sampling from outside ------------------------------------------------------------


@dataclass
class ProcSample:
    """One look at a process in /proc."""

    rss_mb: float
    threads: int
    fds: int
    cpu_s: float


def proc_sample(pid: int) -> ProcSample | None:
    """RSS, threads, open fds and CPU seconds (user + system) of ``pid``; None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        statm = Path(f"/proc/{pid}/statm").read_text().split()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return ProcSample(
        rss_mb=int(statm[1]) * PAGE_KB / 1024,
        threads=int(fields[17]),
        fds=fds,
        cpu_s=(int(fields[11]) + int(fields[12])) / CLK_TCK,
    )


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's list)."""
    found: list[int] = []
    with contextlib.suppress(FileNotFoundError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(FileNotFoundError):
                text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
                found += [int(c) for c in text.split()]
    return found


def receiver_of(gui_pid: int) -> int | None:
    """The console's receiving process (a multiprocessing child running Python)."""
    for child in children_of(gui_pid):
        with contextlib.suppress(FileNotFoundError):
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline:
                return child
    return None


@dataclass
class Series:
    """Samples of one process over the soak: (seconds since start, sample)."""

    points: list[tuple[float, ProcSample]] = field(default_factory=list)

    def after(self, t0: float) -> list[tuple[float, ProcSample]]:
        return [(t, s) for t, s in self.points if t >= t0] or self.points[-1:]

    def cpu_pct(self, t0: float) -> float:
        pts = self.after(t0)
        if len(pts) < 2:
            return 0.0
        (ta, a), (tb, b) = pts[0], pts[-1]
        return 100 * (b.cpu_s - a.cpu_s) / max(tb - ta, 1e-9)


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value), per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return 0.0 if den == 0 else 3600 * sum((t - mt) * (v - mv) for t, v in points) / den


# -- the logs ----------------------------------------------------------------------

_LEVEL = re.compile(r"^\S+ \S+ (WARNING|ERROR|CRITICAL)\s+(\S+) \[[^\]]*\] (.*)$")
#: An INFO line that times an operation (« … en 345 ms »), and the time worth reporting.
_SLOW = re.compile(r"^\S+ \S+ (INFO)\s+(?=.* en (\d+) ms)(\S+) \[[^\]]*\] (.*)$")
SLOW_MS = 1000


def log_findings(folder: Path) -> tuple[collections.Counter[tuple[str, str]], dict[Any, str]]:
    """Warnings and errors of every ``*.log`` under ``folder``, counted by (file,
    level logger message-with-digits-masked), with one full line of each."""
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    example: dict[Any, str] = {}
    for path in sorted(folder.rglob("*.log*")):
        if path.name == CONSOLE_OUT:  # its stderr repeats console.log: only what is not
            counts_unlogged(path, counts, example)
            continue
        with contextlib.suppress(OSError), path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                m = _LEVEL.match(line)
                if m is not None:
                    level, logger, message = m.groups()
                else:  # a slow operation (over a second) is a finding too
                    slow = _SLOW.match(line)
                    if slow is None or int(slow.group(2)) < SLOW_MS:
                        continue
                    level, _ms, logger, message = slow.groups()
                    level = "LENT"
                shape = re.sub(r"\d+", "N", message)[:90]
                key = (path.name, f"{level} {logger} {shape}")
                counts[key] += 1
                if level == "LENT":  # the last: what it grows to
                    example[key] = line.rstrip()[:400]
                example.setdefault(key, line.rstrip()[:400])
    return counts, example


def counts_unlogged(
    path: Path, counts: collections.Counter[tuple[str, str]], example: dict[Any, str]
) -> None:
    """Tracebacks and fatal errors in the console's stdout and stderr."""
    with contextlib.suppress(OSError), path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(("Traceback", "Fatal Python error", "Segmentation")):
                key = (path.name, line.strip()[:90])
                counts[key] += 1
                example.setdefault(key, line.rstrip()[:400])


# -- the soak ----------------------------------------------------------------------


class Stop(Exception):
    """SIGTERM: stop the soak as Ctrl+C does."""


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise Stop


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    socket = Path(f"/tmp/.X11-unix/X{display.lstrip(':')}")
    if socket.exists():
        raise SystemExit(f"l'affichage {display} est déjà pris ({socket})")
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not socket.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"Xvfb {display} n'a pas démarré")
        time.sleep(0.05)  # waiting for another process's socket
    return proc


@dataclass
class Soak:
    """Everything the soak started and measured."""

    args: argparse.Namespace
    data: Path
    started: float = field(default_factory=time.monotonic)
    procs: dict[str, Any] = field(default_factory=dict)  # name: Popen or helper object
    series: dict[str, Series] = field(default_factory=lambda: collections.defaultdict(Series))
    stalls: list[tuple[float, float]] = field(default_factory=list)  # (t, ms) per second
    #: In the same seconds: how long the GUI thread waited for a CPU (ms).
    cpu_wait: list[float] = field(default_factory=list)
    stored: list[tuple[float, int]] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)  # the machine's 1-min load average
    emitted: int = 0
    ran_s: float = 0.0  # sending time (the drain after it not counted)
    stopped_early: str = ""
    desk_closed: int = 0  # alerts the other desk closed

    def t(self) -> float:
        return time.monotonic() - self.started

    def start(self) -> None:
        from csu_console.config import check_site
        from csu_console.demo_hub import DemoHub
        from csu_console.media.stream_server.control import serve_cameras
        from csu_console.processes import parent_death_signal
        from csu_console.sim.control import SimProcess

        config = self.args.config
        site, problems = check_site(config)
        if site is None or problems:
            raise SystemExit(f"site invalide : {problems}")
        self.data.mkdir(parents=True, exist_ok=True)
        # The platform is another machine in real life: lower priority on our cores.
        sim = SimProcess(
            config, state=self.data / "sim-state.sqlite3", extra_args=["--cap-lifecycle"],
            log_path=self.data / "logs-sim" / "sim.log", nice=10,
        )  # fmt: skip
        (self.data / "logs-sim").mkdir(exist_ok=True)
        self.procs["sim"] = sim.start()
        streams, cams = serve_cameras(
            site.cameras, self.data / "rtsp-server.log", fps=self.args.fps,
            timezone=site.site.timezone,
        )  # fmt: skip
        self.procs["streams"] = streams
        moved = bool(cams) and cams[0].stream_main != site.cameras[0].stream_main
        desk = self.args.dwell_s > 0
        hub = DemoHub(self.data / "hub", sim.url, 2 if desk else 1)
        self.procs["hub"] = hub
        hub.start()
        if desk:  # another station of the CSU: its own process, its logs in its folder
            folder = self.data / DESK
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / "desk-stdout.log").open("ab") as out:
                self.procs["desk"] = subprocess.Popen(
                    [sys.executable, str(REPO / "bench" / "soak_desk.py"), "--hub", hub.url,
                     "--token", hub.tokens[DESK], "--folder", str(folder),
                     "--dwell-s", str(self.args.dwell_s)],
                    env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=parent_death_signal(),  # noqa: PLW1509 - no thread here
                )  # fmt: skip
        if self.args.recorder:
            from csu_console.demo_run import _start_demo_recorder

            opts = SimpleNamespace(config_dir=config, data_dir=self.data)
            self.procs["recorder"] = _start_demo_recorder(opts, streams)
        env = dict(os.environ, PYTHONPATH=str(REPO), CSU_GATEWAY_TOKEN=hub.tokens[STATION])
        if self.args.display:
            env.update(DISPLAY=self.args.display, QT_QPA_PLATFORM="xcb")
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"
        command = [
            sys.executable, str(Path(__file__).resolve()), "--console-child",
            str(self.data / "heartbeat.txt"), "--objects-every-s", str(self.args.objects_every_s),
            "--",
            "demo", "--join", hub.url, "--station", STATION, "--data-dir", str(self.data),
            "--config", str(config), "--autologin", "soak",
        ]  # fmt: skip
        if moved:
            command += ["--stream-port", str(streams.port)]
        with (self.data / CONSOLE_OUT).open("ab") as out:
            # Its own session: a Ctrl+C reaches this script only, which stops the
            # console (SIGTERM: it closes its database) before what feeds it.
            self.procs["console"] = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
                start_new_session=True,
                preexec_fn=parent_death_signal(),  # noqa: PLW1509 - no thread here
            )  # fmt: skip
        self.started = time.monotonic()

    def pids(self) -> dict[str, int]:
        """Processes sampled: the console's two, then the others."""
        found: dict[str, int] = {}
        console = self.procs.get("console")
        if console is not None and console.poll() is None:
            found["gui"] = console.pid
            if (receiver := receiver_of(console.pid)) is not None:
                found["receiver"] = receiver
        for name in ("sim", "streams"):
            helper = self.procs.get(name)
            if helper is not None and helper.proc is not None:
                found[name] = helper.proc.pid
        hub = self.procs.get("hub")
        if hub is not None and hub._proc is not None:
            found["hub"] = hub._proc.pid
            for child in children_of(hub._proc.pid):  # the hub's embedded NATS server
                with contextlib.suppress(FileNotFoundError):
                    if b"nats-server" in Path(f"/proc/{child}/cmdline").read_bytes():
                        found["nats"] = child
        if (recorder := self.procs.get("recorder")) is not None:
            found["recorder"] = recorder.pid
        if (desk := self.procs.get("desk")) is not None:
            found["desk"] = desk.pid
        return found

    def sample(self) -> None:
        now = self.t()
        with contextlib.suppress(OSError):
            self.loads.append(float(Path("/proc/loadavg").read_text().split()[0]))
        for name, pid in self.pids().items():
            if (s := proc_sample(pid)) is not None:
                self.series[name].points.append((now, s))
        self.read_heartbeat()
        with contextlib.suppress(Exception):  # the database may be mid-checkpoint
            self.stored.append((now, self.count_stored()))

    def read_heartbeat(self) -> None:
        path = self.data / "heartbeat.txt"
        if not path.exists():
            return
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines[len(self.stalls) :]:
            parts = line.split()
            if len(parts) >= 3:
                self.stalls.append((float(parts[0]) - self.started, float(parts[1])))
                self.cpu_wait.append(float(parts[3]) if len(parts) > 3 else 0.0)

    def count_stored(self) -> int:
        from csu_console.storage.store import DB_NAME, Store

        store = Store(self.data / DB_NAME, readonly=True)
        try:
            return store.count("alerts")
        finally:
            store.close()

    def stored_keys(self) -> set[tuple[str, str]]:
        from csu_console.storage.store import DB_NAME, Store

        store = Store(self.data / DB_NAME, readonly=True)
        try:
            keys = {(r["source"], r["alert_id"]) for r in store.iter_rows("alerts")}
            # A partner's CAP Update or Cancel revises the alert it references (no
            # row of its own): its event names it (sender, identifier).
            for event in store.iter_rows("events"):
                if str(event["kind"]).startswith("cap_") and event["details"]:
                    details = json.loads(event["details"])
                    if "sender" in details and "identifier" in details:
                        keys.add((str(details["sender"]), str(details["identifier"])))
            return keys
        finally:
            store.close()

    def run(self) -> None:
        """Send alerts at random times and sample until the time is up."""
        end = self.args.minutes * 60
        rate_s = self.args.rate / 3600
        from websockets.exceptions import ConnectionClosed

        from csu_console.sim.control import SimError

        rng = random.Random(self.args.seed)
        sim = self.procs["sim"]
        # --rate 0: the wall and the rest without alerts (what the alerts add, apart)
        next_alert = self.t() + rng.expovariate(rate_s) if rate_s > 0 else math.inf
        next_sample = self.t()
        next_report = self.t() + 60
        while (now := self.t()) < end:
            self.ran_s = now
            console = self.procs["console"]
            if console.poll() is not None:
                self.stopped_early = f"la console s'est arrêtée (code {console.returncode})"
                return
            if now >= next_alert:
                due = 0
                while next_alert <= now:
                    due += 1
                    next_alert += rng.expovariate(rate_s)
                try:
                    sim.command("emit", count=due)
                except (ConnectionClosed, OSError, SimError) as exc:  # Ctrl+C reached it
                    self.stopped_early = f"le simulateur ne répond plus ({exc})"
                    return
                self.emitted += due
            if now >= next_sample:
                self.sample()
                next_sample += self.args.sample_s
            if now >= next_report:
                self.progress()
                next_report += 60
            time.sleep(max(0.0, min(next_alert, next_sample, end) - self.t()))

    def progress(self) -> None:
        gui = self.series["gui"].points
        if not gui:
            return
        _, s = gui[-1]
        stored = self.stored[-1][1] if self.stored else 0
        stall = max((ms for t, ms in self.stalls if t >= self.t() - 60), default=0.0)
        print(
            f"[{self.t() / 60:5.1f} min] console : RSS {s.rss_mb:6.1f} Mo, "
            f"{s.threads} fils, {s.fds} fd ; alertes envoyées {self.emitted}, "
            f"en base {stored} ; plus long blocage GUI (1 min) {stall:.0f} ms",
            flush=True,
        )

    def drain(self, timeout_s: float) -> tuple[int, int, int]:
        """Stop sending; wait until every alert the simulator offered is stored.
        Returns (sent, stored of those, seconds waited)."""
        sim = self.procs["sim"]
        offered = {(k[0], k[1]) for k in sim.command("ids")}
        started = time.monotonic()
        stored = self.stored_keys()
        while not offered <= stored and time.monotonic() - started < timeout_s:
            time.sleep(2)  # waiting for other processes' commits
            stored = self.stored_keys()
        missing = offered - stored
        if missing:
            print(f"alertes absentes de la base : {sorted(missing)[:10]}", flush=True)
        return len(offered), len(offered & stored), round(time.monotonic() - started)

    def stop(self) -> None:
        """Stop everything started, the console first (it closes its database)."""
        from csu_console.processes import terminate

        console = self.procs.pop("console", None)
        terminate(console, 60.0)
        if (recorder := self.procs.pop("recorder", None)) is not None:
            terminate(recorder, 20.0)
        if (desk := self.procs.pop("desk", None)) is not None:
            terminate(desk, 60.0)
            with contextlib.suppress(OSError, ValueError):
                result = json.loads((self.data / DESK / "desk-result.json").read_text())
                self.desk_closed = int(result["closed"])
        if (hub := self.procs.pop("hub", None)) is not None:
            hub.stop()
        if (streams := self.procs.pop("streams", None)) is not None:
            streams.close()
        if (sim := self.procs.pop("sim", None)) is not None:
            sim.close()


def summarise(soak: Soak, sent: int, stored: int, drain_s: int) -> dict[str, Any]:
    args = soak.args
    warm = args.warmup_minutes * 60
    gui = soak.series["gui"]
    after = gui.after(warm)
    res: dict[str, Any] = {"soak_minutes": round(soak.ran_s / 60, 1)}
    res["rate_per_hour"] = args.rate
    if after:
        (_t0, first), (_t1, last) = after[0], after[-1]
        res["rss_start_mb"] = round(first.rss_mb, 1)
        res["rss_end_mb"] = round(last.rss_mb, 1)
        res["rss_max_mb"] = round(max(s.rss_mb for _, s in gui.points), 1)
        res["rss_growth_pct"] = round(100 * (last.rss_mb - first.rss_mb) / first.rss_mb, 1)
        res["rss_slope_mb_per_h"] = round(slope_per_hour([(t, s.rss_mb) for t, s in after]), 1)
        for name in ("threads", "fds"):
            res[f"{name}_start"] = getattr(first, name)
            res[f"{name}_end"] = getattr(last, name)
            res[f"{name}_max"] = max(getattr(s, name) for _, s in after)
        res["cpu_gui_pct"] = round(gui.cpu_pct(warm), 1)
    receiver = soak.series["receiver"].after(warm)
    if receiver:
        (_, a), (_, b) = receiver[0], receiver[-1]
        res["receiver_rss_start_mb"] = round(a.rss_mb, 1)
        res["receiver_rss_end_mb"] = round(b.rss_mb, 1)
        res["receiver_fds_start"], res["receiver_fds_end"] = a.fds, b.fds
        res["cpu_receiver_pct"] = round(soak.series["receiver"].cpu_pct(warm), 1)
    for name in ("streams", "hub", "nats", "sim", "recorder", "desk"):
        if soak.series[name].points:
            res[f"cpu_{name}_pct"] = round(soak.series[name].cpu_pct(warm), 1)
    stalls_after = [ms for t, ms in soak.stalls if t >= warm]
    res["gui_stall_max_ms"] = round(max(stalls_after, default=0.0))
    if stalls_after:
        ordered = sorted(stalls_after)
        res["gui_stall_p99_ms"] = round(ordered[int(0.99 * (len(ordered) - 1))])
    res["gui_stall_max_all_ms"] = round(max((ms for _, ms in soak.stalls), default=0.0))
    res["gui_seconds_over_200ms"] = sum(1 for ms in stalls_after if ms > 200)
    waits = [w for (t, _), w in zip(soak.stalls, soak.cpu_wait, strict=True) if t >= warm]
    if waits:
        # The GUI thread runnable but given no CPU (the machine's load), in % of the time,
        # and in the second of the longest stall.
        res["gui_cpu_wait_pct"] = round(100 * sum(waits) / (1000 * len(waits)), 1)
        worst = max(range(len(soak.stalls)), key=lambda i: soak.stalls[i][1])
        res["gui_stall_max_cpu_wait_ms"] = round(soak.cpu_wait[worst])
    res["dwell_s"] = args.dwell_s
    res["alerts_closed_by_desk"] = soak.desk_closed
    res["alerts_sent"] = sent
    res["alerts_stored"] = stored
    # Interrupted: the simulator and the hub went too, nothing was drained.
    res["alerts_lost"] = "non_verifie" if soak.stopped_early else sent - stored
    res["drain_s"] = drain_s
    if soak.loads:  # other work on the machine: the GUI's stalls depend on it too
        res["loadavg_mean"] = round(sum(soak.loads) / len(soak.loads), 2)
        res["loadavg_max"] = round(max(soak.loads), 2)
        res["cores"] = os.cpu_count()
    return res


def objects_growth(path: Path) -> None:
    """The types whose count grew most between the 2nd and the last count."""
    if not path.exists():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if len(rows) < 3:
        return
    a, b = rows[1], rows[-1]
    grown = sorted(
        ((b.get(k, 0) - a.get(k, 0), k) for k in b if k != "t" and ":" not in k),
        reverse=True,
    )
    top = ", ".join(f"{k} {d:+d}" for d, k in grown[:12])
    held = sorted(((b[k] - a.get(k, 0), k) for k in b if k.startswith("held:")), reverse=True)
    if held:
        print(
            "== Conteneurs tenus (diagnostic) : "
            + ", ".join(f"{k[5:]} {a.get(k, 0)} → {b[k]}" for _, k in held[:12])
        )
    span = f"{b['t'] - a['t']:.0f} s, du 2e au dernier comptage"
    print(f"== Objets Python (diagnostic), croissance en {span} : {top}")


def print_report(soak: Soak, res: dict[str, Any]) -> None:
    gui = soak.series["gui"].points
    print("\n== Évolution de la console (processus GUI), une ligne par ~10 % de l'essai")
    step = max(1, len(gui) // 10)
    for t, s in gui[::step] + gui[-1:]:
        print(f"  {t / 60:6.1f} min  RSS {s.rss_mb:7.1f} Mo  {s.threads:3d} fils  {s.fds:4d} fd")
    worst = sorted(range(len(soak.stalls)), key=lambda i: -soak.stalls[i][1])[:5]
    print("== Plus longs blocages de la GUI (dont attente d'un processeur dans la seconde) : "
          + ", ".join(f"{soak.stalls[i][1]:.0f} ms à {soak.stalls[i][0] / 60:.1f} min "
                      f"({soak.cpu_wait[i]:.0f} ms)" for i in worst))  # fmt: skip
    objects_growth(soak.data / "objects.jsonl")
    counts, example = log_findings(soak.data)
    print(f"== Journaux : {sum(counts.values())} avertissements ou erreurs")
    for key, n in counts.most_common(15):
        print(f"  {n:6d} × {key[0]}: {example[key]}")
    print("== Résumé")
    print(f"  essai de {res['soak_minutes']} min à {res['rate_per_hour']} alertes/h "
          f"({SOAK_FACTOR} × un CSU chargé à {BUSY_CSU_PER_HOUR}/h), "
          f"échauffement {soak.args.warmup_minutes} min")  # fmt: skip
    if "rss_growth_pct" in res:
        print(f"  mémoire après échauffement : {res['rss_start_mb']} → {res['rss_end_mb']} Mo "
              f"({res['rss_growth_pct']:+} %, pente {res['rss_slope_mb_per_h']} Mo/h ; "
              "objectif < 10 %)")  # fmt: skip
        print(f"  fils : {res['threads_start']} → {res['threads_end']} (max "
              f"{res['threads_max']}) ; fd : {res['fds_start']} → {res['fds_end']} "
              f"(max {res['fds_max']}) ; objectif : stables")  # fmt: skip
    print(f"  GUI : plus long blocage {res['gui_stall_max_ms']} ms après échauffement "
          f"({res['gui_stall_max_all_ms']} ms démarrage compris)")  # fmt: skip
    print(f"  alertes : {res['alerts_sent']} envoyées, {res['alerts_stored']} en base, "
          f"{res['alerts_lost']} perdues")  # fmt: skip
    if res["dwell_s"]:
        print(f"  poste 2 : {res['alerts_closed_by_desk']} alertes clôturées "
              f"{res['dwell_s']:.0f} s après leur arrivée")  # fmt: skip
    if soak.loads:
        print(f"  machine : charge moyenne {res['loadavg_mean']} (max {res['loadavg_max']}) "
              f"sur {res['cores']} cœurs")  # fmt: skip
    if soak.stopped_early:
        print(f"  ARRÊT ANTICIPÉ : {soak.stopped_early}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--minutes", type=float, default=120.0, help="durée (défaut 120)")
    parser.add_argument(
        "--warmup-minutes", type=float, help="échauffement (défaut : 10, ou 20 %% si plus court)"
    )
    parser.add_argument(
        "--rate", type=float, default=BUSY_CSU_PER_HOUR * SOAK_FACTOR, help="alertes par heure"
    )
    parser.add_argument(
        "--dwell-s", type=float, default=180.0,
        help="poste 2 clôture chaque alerte N s après son arrivée (0 : personne ne la traite)",
    )  # fmt: skip
    parser.add_argument("--sample-s", type=float, default=10.0, help="période d'échantillonnage")
    parser.add_argument("--fps", type=int, default=25, help="images/s des flux de test")
    parser.add_argument("--config", type=Path, default=REPO / "config", help="site (démo)")
    parser.add_argument("--display", help="affichage X existant (défaut : offscreen)")
    parser.add_argument("--xvfb", metavar=":N", help="démarrer un Xvfb sur cet affichage")
    parser.add_argument("--recorder", action="store_true", help="avec csu-recorder")
    parser.add_argument("--keep", type=Path, help="garder les données et journaux ici")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument(
        "--objects-every-s", type=float, default=0.0,
        help="diagnostic : compter les objets Python par type toutes les N s (objects.jsonl)",
    )  # fmt: skip
    parser.add_argument("--console-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.console_child:
        rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
        return console_child(args.console_child, rest, args.objects_every_s)
    if args.warmup_minutes is None:
        args.warmup_minutes = min(10.0, args.minutes / 5)
    sys.path.insert(0, str(REPO))
    signal.signal(signal.SIGTERM, _on_sigterm)
    xvfb = start_xvfb(args.xvfb) if args.xvfb else None
    args.display = args.xvfb or args.display
    tmp = None
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            raise SystemExit(f"{args.keep} n'est pas vide")
        data = args.keep
    else:
        tmp = tempfile.mkdtemp(prefix="csu-soak-")
        data = Path(tmp)
    soak = Soak(args, data)
    sent = stored = drain_s = 0
    try:
        print(f"soak : {args.minutes} min, {args.rate:.0f} alertes/h, données {data}", flush=True)
        soak.start()
        try:
            soak.run()
        except (KeyboardInterrupt, Stop):
            soak.stopped_early = "interrompu (Ctrl+C ou SIGTERM)"
        if soak.stopped_early:
            # Ctrl+C reached the simulator and the hub too: counts so far, not compared.
            sent = soak.emitted
            stored = soak.stored[-1][1] if soak.stored else 0
        else:
            soak.sample()
            print("envoi arrêté ; attente des dernières alertes en base…", flush=True)
            sent, stored, drain_s = soak.drain(120.0)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C: cleaning up
        soak.stop()
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    res = summarise(soak, sent, stored, drain_s)
    print_report(soak, res)
    (data / "soak-result.json").write_text(json.dumps(res), encoding="utf-8")
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"données et journaux gardés dans {data}")
    print(" ".join(f"{k}={v}" for k, v in res.items()))
    return 1 if soak.stopped_early and "console" in soak.stopped_early else 0


if __name__ == "__main__":
    sys.exit(main())
