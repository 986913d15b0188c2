"""A throwaway PostgreSQL cluster (the tests, the benchmark): ``initdb`` into a temporary folder,
``pg_ctl start`` with its unix socket in that folder (no TCP port), stopped at the
end. PostgreSQL refuses to run as root: when the tests run as root (as CI does),
the cluster belongs to the ``postgres`` user (Debian's package creates it), run
through ``runuser``. Skipped, with the reason, only when the binaries are missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"), Path("/usr/lib/postgresql/16/bin"))


def pg_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl`` (Debian's, else on ``PATH``)."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


@dataclass
class PgCluster:
    """One running cluster; :attr:`dsn` reaches database ``csu`` through the socket."""

    folder: Path
    bin: Path
    user: str | None  # run as this user (root only), else as ourselves

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def dsn(self) -> str:
        return self.dsn_for("csu")

    def dsn_for(self, dbname: str) -> str:
        return f"postgresql:///{dbname}?host={self.folder}&port=5432&user=csu"

    def _run(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def _check(self, args: Sequence[str]) -> None:
        done = self._run(args)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} : {done.stderr or done.stdout}")

    def start(self, settings: str = "-c shared_buffers=128MB") -> None:
        """``initdb`` (unless the folder holds a cluster already: it is reused),
        then start it, with the server ``settings`` given."""
        if (self.data / "PG_VERSION").is_file():
            self._check([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                         str(self.folder / "server.log"), "-o", self._options(settings),
                         "-w", "-t", "60", "start"])  # fmt: skip
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        self._check([str(self.bin / "initdb"), "-D", str(self.data), "-U", "csu",
                     "--auth=trust", "-E", "UTF8", "--locale=C"])  # fmt: skip
        options = self._options(settings)
        log = str(self.folder / "server.log")
        self._check([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options,
                     "-w", "-t", "60", "start"])  # fmt: skip
        self._check([str(self.bin / "createdb"), "-h", str(self.folder), "-U", "csu", "csu"])

    def _options(self, settings: str) -> str:
        return (
            f"-k {self.folder} -c listen_addresses='' -c port=5432 -c fsync=off"
            f" -c synchronous_commit=off -c full_page_writes=off {settings}"
        )

    def createdb(self, name: str) -> str:
        """A new empty database; its DSN."""
        self._check([str(self.bin / "createdb"), "-h", str(self.folder), "-U", "csu", name])
        return self.dsn_for(name)

    def stop(self, *, keep: bool = False) -> None:
        """Stop the server; its folder deleted unless ``keep``."""
        mode = "fast" if keep else "immediate"
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(folder: Path, settings: str = "-c shared_buffers=128MB") -> PgCluster | str:
    """A started cluster in ``folder``, or why none can be (a text: skip with it).

    ``folder`` must be reachable by the ``postgres`` user when root: a folder of
    its own in ``/tmp`` (pytest's are 0700, and pytest keeps them so)."""
    binaries = pg_bin()
    if binaries is None:
        return "PostgreSQL absent (initdb introuvable) : make installe le paquet postgresql"
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "utilisateur postgres absent : le paquet postgresql le crée"
        user = "postgres"
    cluster = PgCluster(folder, binaries, user)
    cluster.start(settings)
    return cluster
