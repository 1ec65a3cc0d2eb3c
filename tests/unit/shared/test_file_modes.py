"""Finding 12 of the security review: what the system writes under var/ (SQLite databases,
logs, pid files, whatever a started process creates) is 0600 in 0700 directories, like the
uploads and secrets."""
from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

from services.shared.ops import launcher
from services.shared.platform.database import create_engine
from tests.support.infra import wait_until


@pytest.fixture(autouse=True)
def usual_umask():
    """The usual umask, under which a file would be 0644; the test's own restored after."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_sqlite_database_and_its_wal_are_private(tmp_path):
    path = tmp_path / "var" / "registration.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (nik TEXT)"))
        connection.execute(sa.text("INSERT INTO t VALUES ('3528015403950001')"))
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(f"{path}-wal") == 0o600
    engine.dispose()


def test_a_database_made_world_readable_before_is_made_private(tmp_path):
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    create_engine(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


def test_the_launcher_makes_logs_pid_files_and_what_its_processes_write_private(
        tmp_path, monkeypatch):
    var = tmp_path / "var"
    made = var / "made-by-the-process.txt"
    # "services." in the command line: the launcher only signals processes of ours
    code = (f"import pathlib, time; pathlib.Path({str(made)!r}).write_text('x'); "
            "print('started', flush=True); time.sleep(60)  # services.shared.probe")
    monkeypatch.setattr(launcher, "PROCESSES", (launcher.Process("probe", ("-c", code)),))
    system = launcher.System({**os.environ, "BPS_VAR_DIR": str(var)})
    system.start("probe")
    try:
        wait_until(made.exists, message="the probe writes its file")
        assert mode(made) == 0o600
        assert mode(system.log_dir / "probe.log") == 0o600
        assert mode(system.run_dir / "probe.pid") == 0o600
        for directory in (var, system.log_dir, system.run_dir):
            assert mode(directory) == 0o700
    finally:
        system.stop("probe")
