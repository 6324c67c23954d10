"""Settings shared by the messaging-app connectors: credentials.yml first, then the Rasa settings
(bot/settings.py, which read the environment)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Text
from urllib.parse import urljoin, urlparse


def setting(credentials: Dict[Text, Any], key: Text, fallback: Optional[Text]) -> Optional[Text]:
    """``credentials[key]`` when given there, else ``fallback``; empty means unset."""
    value = credentials.get(key)
    if value is None or value == "":
        value = fallback
    return str(value) if value not in (None, "") else None


def timeout_setting(credentials: Dict[Text, Any], variable: Text, fallback: float) -> float:
    """Seconds from credentials.yml's ``timeout`` (named ``variable`` in errors), else ``fallback``."""
    raw = credentials.get("timeout")
    if raw is None or raw == "":
        return fallback
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{variable} must be a number of seconds, not {raw!r}") from None
    if seconds <= 0:
        raise ValueError(f"{variable} must be positive, not {raw!r}")
    return seconds


# What Telegram's sendPhoto and WhatsApp's image messages both take (not SVG, the seed catalog's tiles).
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


def photo_url(url: Optional[Text], public_base_url: Optional[Text]) -> Optional[Text]:
    """A photo URL a messaging platform can fetch and show, or None (then the text goes alone).

    Absolute http(s) URLs as given, paths joined to the shop's public base URL; JPEG and PNG only.
    """
    if not url:
        return None
    parsed = urlparse(url)
    if not parsed.path.lower().endswith(PHOTO_EXTENSIONS):
        return None
    if parsed.scheme in ("http", "https"):
        return url
    if public_base_url and url.startswith("/"):
        return urljoin(public_base_url.rstrip("/") + "/", url.lstrip("/"))
    return None
