"""Who acts on an escrow, and through which channel: the audit trail records both."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("buyer", "seller", "staff", "system")
CHANNELS = ("web", "telegram", "whatsapp", "rest", "console", "api", "job", "carrier", "payments", "seed")


@dataclass(frozen=True)
class Actor:
    role: str
    id: str
    channel: str = "api"

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; known: {', '.join(ROLES)}")
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}; known: {', '.join(CHANNELS)}")
        if not self.id:
            raise ValueError("an actor needs an id")

    @property
    def key(self) -> str:
        """``role:id``: the scope of the actor's idempotency keys, and how records name them."""
        return f"{self.role}:{self.id}"


AUTO_RELEASE_JOB = Actor("system", "auto-release", "job")
