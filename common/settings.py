"""The base of every deployable's settings object: pydantic ``BaseSettings``, read from ``SILKROAD_*``
environment variables (or given as arguments), once, at start.

Secrets are fields made with ``secret(...)``: their default is the development value (common/development_secrets.py),
so the embedded profile runs from a fresh clone. With ``SILKROAD_PROFILE=production`` a settings object refuses
to be made (``InsecureSettings``) while any secret is missing or still holds a development value, naming each
variable and how to make a real one; each subclass adds its own production rules (``production_problems``).
"""

from __future__ import annotations

from typing import Any, List

from pydantic import BaseSettings, Field, SecretStr, validator

from common.development_secrets import is_development_value

PROFILES = ("embedded", "production")
MAKE_A_SECRET = "make one with: python -m common.secrets new"


def secret(default: str, how: str = MAKE_A_SECRET, **kwargs: Any) -> Any:
    """A secret setting whose default is a development value."""
    return Field(SecretStr(default), secret=True, how=how, **kwargs)


class InsecureSettings(ValueError):
    """The production profile was asked to run with a missing or development secret, or an unsafe setting."""

    def __init__(self, deployable: str, problems: List[str]):
        self.problems = problems
        super().__init__(f"{deployable}: the production profile refuses to start:\n"
                         + "\n".join(f"  - {problem}" for problem in problems))


class SilkroadSettings(BaseSettings):
    profile: str = Field("embedded", description="embedded (development defaults) or production")

    class Config:
        env_prefix = "SILKROAD_"

    @validator("profile")
    def _known_profile(cls, value: str) -> str:
        if value not in PROFILES:
            raise ValueError(f"SILKROAD_PROFILE={value!r}: one of {', '.join(PROFILES)}")
        return value

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        if self.production:
            problems = self.production_problems()
            if problems:
                raise InsecureSettings(type(self).__name__, problems)

    @property
    def production(self) -> bool:
        return self.profile == "production"

    @classmethod
    def variable(cls, field_name: str) -> str:
        """The environment variable a field is read from."""
        names = cls.__fields__[field_name].field_info.extra.get("env_names") or {field_name}
        return sorted(names)[0].upper()

    def production_problems(self) -> List[str]:
        """What keeps these settings from running in production: each secret missing or a development value
        (subclasses add their own rules)."""
        problems = []
        for name, field in self.__fields__.items():
            if not field.field_info.extra.get("secret"):
                continue
            value = getattr(self, name)
            text = value.get_secret_value() if isinstance(value, SecretStr) else (value or "")
            how = field.field_info.extra.get("how", MAKE_A_SECRET)
            if not text or is_development_value(text):
                problems.append(f"{self.variable(name)} is missing (its development value is public: {how})")
        return problems


def split_list(value: Any) -> List[str]:
    """A comma-separated setting as a list (a list given as such stays one)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return [str(item).strip() for item in value if str(item).strip()]
