"""A private PostgreSQL cluster: initdb + pg_ctl into a directory of ours, never the system service.

Used by the scaled layout (a lasting cluster under var/scaled/postgres) and by tests/pg.py (a
throwaway one per test session).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

INSTALL_HINT = "apt-get install postgresql (Debian), or put initdb and pg_ctl on PATH"


def find_bin_dir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(found):
        return Path(os.path.realpath(found[0])).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    return None


class Cluster:
    """One cluster in ``root`` (data/, server.log, the socket), listening on 127.0.0.1:``port``.

    initdb refuses to run as root: as root the server runs as the ``postgres`` user, in a directory
    it owns (LookupError when there is no such user)."""

    def __init__(self, bin_dir: Path, root: Path, port: int):
        self.bin_dir = bin_dir
        self.root = Path(root)
        self.data = self.root / "data"
        self.port = port
        self.as_root = os.geteuid() == 0
        self.run_as = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        self.user = "postgres" if self.as_root else (os.environ.get("USER") or "postgres")
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")  # LookupError: no postgres user

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([*self.run_as, *args], capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")

    def running(self) -> bool:
        return self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "status", check=False).returncode == 0

    def start(self, *options: str) -> None:
        """Start and wait until it accepts connections; ``options`` are extra ``-c name=value`` pairs."""
        extra = " ".join(f"-c {option}" for option in options)
        flags = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {extra}".strip()
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", flags,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, exist_ok: bool = False) -> str:
        """CREATE DATABASE ``name`` (kept when it exists and ``exist_ok``); returns its URL."""
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cur.fetchone() is None or not exist_ok:
                    cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)
