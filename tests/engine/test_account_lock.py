"""One push of an account at a time: the lock beside its journal is exclusive, says who holds it, and
is never left behind by a push that died (the operating system drops it with its process)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bulkops._exceptions import AccountBusy, ConfigError
from bulkops.engine import AccountLock, _journal


def lock(path: Path, results: str = "out-a.xlsx") -> AccountLock:
    return AccountLock(path, inputs=["/somewhere/campaigns.csv", "/somewhere/geo-zip.csv"], results=results)


def test_a_second_hold_is_refused_with_who_holds_it_and_given_once_the_first_ends(tmp_path):
    path = tmp_path / "journal-x.lock"
    with lock(path):
        assert path.stat().st_mode & 0o777 == 0o600
        with pytest.raises(AccountBusy) as refused, lock(path, "out-b.xlsx"):
            pass
        assert re.fullmatch(rf"another bulkops push to this account is running \(since \d{{4}}-\d\d-\d\d \d\d:\d\d, "
                            rf"process {os.getpid()}: campaigns\.csv, geo-zip\.csv → out-a\.xlsx\); nothing was sent "
                            r"and no results were written: wait for it to finish, or stop it \(Ctrl-C where it runs; "
                            r"it keeps what it sent\), then push again", str(refused.value)), str(refused.value)
        assert refused.value.exit_code == 3
    with lock(path, "out-b.xlsx"):  # free again
        pass


@pytest.mark.slow  # a process, killed
def test_a_push_killed_outright_leaves_the_account_free(tmp_path):
    path = tmp_path / "journal-x.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from bulkops.engine._journal import AccountLock\n"
        f"with AccountLock(Path({str(path)!r}), inputs=['c.csv'], results='r.xlsx'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(600)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(AccountBusy, match=rf"process {holder.pid}: c\.csv → r\.xlsx"), lock(path):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with lock(path):
        pass


class FakeMsvcrt(types.ModuleType):
    """Windows' msvcrt.locking, for a system without fcntl: a byte range held by one open file."""

    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int, int], int] = {}  # (device, inode, offset) → the fd holding it

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        stat = os.fstat(fd)
        where = (stat.st_dev, stat.st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_UNLCK:
            del self.held[where]
        elif self.held.setdefault(where, fd) != fd:
            raise PermissionError(13, "Permission denied")


def test_where_there_is_no_fcntl_msvcrt_locks_a_byte_past_the_holders_description(tmp_path, monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setattr(_journal, "_locking", lambda: fake)
    path = tmp_path / "journal-x.lock"
    with lock(path):
        assert [offset for _, _, offset in fake.held] == [1 << 20]
        with pytest.raises(AccountBusy, match=r"→ out-a\.xlsx\)"), lock(path, "out-b.xlsx"):
            pass
    assert fake.held == {}
    with lock(path, "out-b.xlsx"):
        pass


def test_a_system_that_cannot_lock_a_file_stops_the_push_with_a_clear_message(tmp_path, monkeypatch):
    def refused(fd: int, operation: int) -> None:
        raise OSError(37, "No locks available")

    fcntl = pytest.importorskip("fcntl")
    monkeypatch.setattr(fcntl, "flock", refused)
    with pytest.raises(ConfigError, match=r"cannot lock .*journal-x\.lock \(No locks available\)"), \
            lock(tmp_path / "journal-x.lock"):
        pass
