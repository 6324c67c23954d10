"""Support staff: accounts with scrypt password hashes, and console sessions (a random token in an HttpOnly
cookie; only its SHA-256 is stored).

    python -m backends.support.staff add USERNAME --name "Display Name" --languages en,ru   (asks the password,
    or reads SILKROAD_AGENT_PASSWORD)
    python -m backends.support.staff add-demo   (the embedded demo's agent "agent", with SILKROAD_DEMO_AGENT_PASSWORD;
    refused in production: its password is public)
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys
from datetime import datetime, timedelta
from typing import Iterable, Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backends.models import StaffSession, SupportAgent
from backends.models.base import utc_now

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 8
DEMO_AGENT = {"username": "agent", "display_name": "Demo agent", "languages": ["en", "zh", "ru", "ar"]}


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return "scrypt${}${}".format(base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), dklen=32, **SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


# A fixed hash to compare against when the username is unknown: the answer takes as long either way.
_UNKNOWN_USER_HASH = hash_password(secrets.token_hex(16))


def save_agent(session: Session, username: str, password: str, display_name: str,
               languages: Iterable[str]) -> SupportAgent:
    """Creates the agent, or sets an existing agent's password, name and languages."""
    username = username.strip().lower()
    if not username or len(username) > 60:
        raise ValueError("a username is 1 to 60 characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    agent = session.execute(select(SupportAgent).where(SupportAgent.username == username)).scalar_one_or_none()
    if agent is None:
        agent = SupportAgent(username=username, created_at=utc_now())
        session.add(agent)
    agent.display_name = display_name.strip() or username
    agent.password_hash = hash_password(password)
    agent.languages = ",".join(code.strip() for code in languages if code.strip())
    agent.active = True
    session.flush()
    return agent


def authenticate(session: Session, username: str, password: str) -> Optional[SupportAgent]:
    agent = session.execute(
        select(SupportAgent).where(SupportAgent.username == username.strip().lower())).scalar_one_or_none()
    if agent is None or not agent.active:
        password_matches(password, _UNKNOWN_USER_HASH)
        return None
    return agent if password_matches(password, agent.password_hash) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, agent: SupportAgent, now: Optional[datetime] = None) -> str:
    """A new sign-in; the token for the cookie (expired sessions are swept on the way)."""
    now = now or utc_now()
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_sha256=_token_hash(token), agent_id=agent.id, created_at=now,
                             expires_at=now + SESSION_LIFETIME))
    session.flush()
    return token


def agent_of_session(session: Session, token: Optional[str], now: Optional[datetime] = None) -> Optional[SupportAgent]:
    if not token:
        return None
    row = session.execute(select(StaffSession).where(StaffSession.token_sha256 == _token_hash(token))
                          ).scalar_one_or_none()
    if row is None or row.expires_at <= (now or utc_now()):
        return None
    agent = session.get(SupportAgent, row.agent_id)
    return agent if agent is not None and agent.active else None


def close_session(session: Session, token: Optional[str]) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_sha256 == _token_hash(token)))


def add_agent(database_url: str, username: str, password: str, display_name: str,
              languages: Iterable[str]) -> SupportAgent:
    """``save_agent`` in its own transaction on the database at ``database_url``."""
    from backends.db import make_engine, make_session_factory, run_transaction

    engine = make_engine(database_url)
    try:
        return run_transaction(make_session_factory(engine), lambda session: save_agent(
            session, username, password, display_name, languages))
    finally:
        engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backends.support.staff", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an agent or reset their password")
    add.add_argument("username")
    add.add_argument("--name", default="", help="the name buyers and colleagues see")
    add.add_argument("--languages", default="en", help="comma-separated language codes, e.g. en,ru")
    add.add_argument("--database-url", default=None)
    demo = commands.add_parser("add-demo", help="the embedded demo's agent (never in production)")
    demo.add_argument("--database-url", default=None)
    return parser


def main(argv=None) -> int:
    from backends.migrate import upgrade
    from backends.settings import load_settings
    from common.settings import InsecureSettings

    args = _parser().parse_args(argv)
    try:
        settings = load_settings() if args.command == "add-demo" or not args.database_url else None
    except InsecureSettings as error:
        print(f"[silkroad] {error}", file=sys.stderr)
        return 2
    if args.command == "add-demo":
        if settings.production:  # its password is public: anyone could sign in to the console
            print("[silkroad] add-demo is refused in production: the demo agent's password is public "
                  "(add real agents with: python -m backends.support.staff add USERNAME)", file=sys.stderr)
            return 2
        account = {**DEMO_AGENT, "password": settings.demo_agent_password.get_secret_value()}
    else:
        password = os.environ.get("SILKROAD_AGENT_PASSWORD") or getpass.getpass(f"password for {args.username}: ")
        account = {"username": args.username, "password": password, "display_name": args.name,
                   "languages": args.languages.split(",")}
    url = args.database_url or settings.database_url
    upgrade(url)
    try:
        agent = add_agent(url, **account)
    except ValueError as error:
        print(f"[silkroad] {error}", file=sys.stderr)
        return 2
    print(f"[silkroad] support agent {agent.username!r} saved", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
