"""A PostgreSQL server for the tests of the PostgreSQL store.

``STORYLINE_TEST_PG`` (a ``postgresql://`` URL of a database whose user may create schemas)
names a server to use. Without it, a throwaway cluster is made with the server
binaries of the machine (Debian's ``postgresql`` package: /usr/lib/postgresql/*/bin,
or ``initdb`` on the PATH) in a temporary folder, listening on a Unix socket only,
and removed at the end of the session. As root the cluster runs as the ``postgres``
user (the server refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
import contextlib
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(user: pwd.struct_passwd | None) -> dict[str, object]:
    """subprocess arguments that run the command as ``user`` (None: as ourselves)."""
    if user is None:
        return {}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster in a temporary folder; yields the URL of its ``postgres`` database.
    Raises LookupError (with the reason) when it cannot."""
    bin_dir = _binaries()
    if bin_dir is None:
        raise LookupError("no PostgreSQL server binaries (install Debian's postgresql, or set STORYLINE_TEST_PG)")
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as err:
            raise LookupError("running as root and there is no postgres user to run the server as") from err
    folder = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    data = folder / "data"
    try:
        if owner is not None:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        run = _as_owner(owner)
        subprocess.run(
            [bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
             "--no-sync"],
            check=True, capture_output=True, cwd=folder, **run,  # type: ignore[call-overload]
        )
        options = f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start"],
            check=True, capture_output=True, cwd=folder, **run,  # type: ignore[call-overload]
        )
    except (OSError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        raise LookupError(f"could not start a PostgreSQL cluster: {err} {detail.decode(errors='replace').strip()}") from err
    try:
        yield f"postgresql:///postgres?host={quote(str(folder))}&user=postgres"
    finally:
        subprocess.run([bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True, cwd=folder, **run)  # type: ignore[call-overload]
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server: str) -> contextlib.AbstractContextManager[str]:
    """A new, empty schema on ``server`` for one test; dropped after it."""
    from storyline.store.postgres import new_schema

    return new_schema(server, "storyline_test")
