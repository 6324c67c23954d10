"""Engine and sessions: SQLite by default, PostgreSQL when the URL says so."""

from __future__ import annotations

import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

T = TypeVar("T")


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, future=True, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy, not the driver, begins transactions (below): the driver would
    # begin one only at the first write, so the reads before it would each see
    # a different moment of the database.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Every transaction reads one snapshot; a writing one takes the write lock first.

    ``BEGIN IMMEDIATE`` makes writers queue (busy_timeout) instead of reading
    data that another writer is about to change.
    """
    immediate = connection.get_execution_options().get(WRITE_TRANSACTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Execution option of a transaction that will write: SQLite locks at its start.
WRITE_TRANSACTION = "silkroad_write_transaction"


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on any error."""
    session: Session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Raised when concurrent transactions collide: SQLite's "database is locked",
# PostgreSQL's deadlock or serialization failure, a versioned update that found
# a newer version, or a unique key another transaction took first.
RETRYABLE = (OperationalError, StaleDataError, IntegrityError)


def run_transaction(factory: sessionmaker, work: Callable[[Session], T], attempts: int = 12) -> T:
    """Runs ``work`` in a transaction, again from the start when it collided with another.

    ``work`` must read everything it decides on inside the transaction, so that a
    retry decides on fresh data.
    """
    for attempt in range(attempts):
        try:
            with session_scope(factory) as session:
                session.connection(execution_options={WRITE_TRANSACTION: True})
                return work(session)
        except RETRYABLE:
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** attempt)))
    raise AssertionError("unreachable")
