"""Issue 11, finding 1: a password hash must not hold what other calls of the service need.
On SQLite a service runs one transaction at a time (a process-wide lock); sign-in and the
password routes hash ``outside_transaction``, so another call runs meanwhile. And the
hashing turns are bounded: beyond the queue a check is refused as busy."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from services.registration.adapters import passwords
from services.registration.persistence.models import Base
from services.registration.persistence.unit_of_work import RegistrationUnitOfWork
from services.shared.platform.database import create_engine, session_factory, unit_of_work


def test_another_transaction_runs_while_one_call_is_outside_its_own(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'registration.db'}")
    Base.metadata.create_all(engine)
    sessions = session_factory(engine)
    outside, other_done = threading.Event(), threading.Event()

    def other_call():
        outside.wait(10)
        with unit_of_work(sessions) as session:  # the process's lock: free meanwhile
            session.execute(sa.text("SELECT 1"))
        other_done.set()

    thread = threading.Thread(target=other_call)
    thread.start()
    with unit_of_work(sessions) as session:
        uow = RegistrationUnitOfWork(session)
        assert uow.accounts.by_email("nobody@example.com") is None
        with uow.outside_transaction():
            outside.set()
            assert other_done.wait(10), "the other call waited for this one's hash"
        assert engine.sqlite_transaction_lock._is_owned()  # back under the lock
        assert uow.accounts.by_email("nobody@example.com") is None
    thread.join()
    engine.dispose()


def test_hashing_turns_are_bounded():
    pytest.importorskip("eventlet")
    turns = passwords._Turns(concurrency=1, queue=0, wait=0.01)
    with pytest.raises(passwords.Busy):  # no room to wait for a turn
        turns.run(passwords._hasher.hash, "kata-sandi-rahasia")
    turns = passwords._Turns(concurrency=1, queue=1, wait=0.01)
    assert turns.slots.acquire(blocking=False)  # the one turn is taken
    with pytest.raises(passwords.Busy):  # waited, none came
        turns.run(passwords._hasher.hash, "kata-sandi-rahasia")
    turns.slots.release()
    assert turns.run(passwords._hasher.hash, "kata-sandi-rahasia").startswith("$argon2id$")


def test_sign_up_hashes_ahead_of_its_transaction(monkeypatch):
    """CreateAccount hashes before the rpc wrapper opens the transaction; the use case then
    takes that hash instead of hashing under the lock (and only for the same password)."""
    hashed = []
    real = passwords._offload
    monkeypatch.setattr(passwords, "_offload",
                        lambda function, *args: hashed.append(args[-1]) or real(function, *args))
    passwords.hash_ahead("kata-sandi-rahasia")
    assert hashed == ["kata-sandi-rahasia"]
    ahead = passwords.hash_password("kata-sandi-rahasia")
    assert hashed == ["kata-sandi-rahasia"]  # taken, not hashed again
    assert passwords.verify_password(ahead, "kata-sandi-rahasia")
    passwords.hash_password("kata-sandi-rahasia")  # used up: hashed now
    passwords.hash_ahead("kata-sandi-rahasia")
    passwords.forget_ahead()
    passwords.hash_password("kata-sandi-rahasia")
    assert len(hashed) == 5
