"""Secrets at rest: installation tokens are sealed with `PAPERBOY_SECRET_KEY` before the store sees them.

The key is one or more Fernet keys (32 random bytes, URL-safe base64), comma-separated: the first
seals, every one opens (cryptography's MultiFernet). Rotating the key is: `paperboy keygen`, put the
new key first (keep the old ones after it), restart every replica, then `paperboy reseal` seals every
stored token with the new key, after which the old key may be dropped (docs/slack-workspaces.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.domain.errors import ConfigError

KEY_VARIABLE = "PAPERBOY_SECRET_KEY"


def new_key() -> str:
    """A fresh key, as `paperboy keygen` prints it."""
    return Fernet.generate_key().decode("ascii")


class Unreadable(ConfigError):
    """A sealed value that none of the keys opens (sealed with a key no longer given, or altered): the
    deployer's to mend, so a CLI command says it in one line."""


@dataclass(frozen=True)
class Sealer:
    """Seals and opens small JSON objects of secrets; sealed text is Fernet tokens (ASCII)."""

    _first: Fernet
    _keys: MultiFernet
    count: int  # how many keys were given: more than one while a rotation is under way

    def seal(self, secrets: dict[str, str | None]) -> str:
        return self._keys.encrypt(json.dumps(secrets, sort_keys=True).encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> dict[str, str | None]:
        try:
            opened = json.loads(self._keys.decrypt(sealed.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeError):
            raise Unreadable(
                f"a stored token could not be decrypted with {KEY_VARIABLE}: it was sealed with a key that is "
                "no longer in the list (put the old key back after the new one) or the row was altered"
            ) from None
        return {str(k): (None if v is None else str(v)) for k, v in dict(opened).items()}

    def reseal(self, sealed: str) -> str:
        """The same secrets sealed with the first key (MultiFernet.rotate keeps the original timestamp)."""
        try:
            return self._keys.rotate(sealed.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError, UnicodeError):
            raise Unreadable(
                f"a stored token could not be decrypted with any key in {KEY_VARIABLE}: it was sealed with a key "
                "that is no longer in the list (put the old key back after the new one, then reseal) or the row "
                "was altered"
            ) from None

    def opens(self, sealed: str) -> bool:
        """Whether one of the keys opens `sealed`."""
        return _opens(self._keys, sealed)

    def sealed_with_first(self, sealed: str) -> bool:
        """Whether `sealed` already opens with the first key alone (nothing to reseal)."""
        return _opens(self._first, sealed)


def _opens(keys: Fernet | MultiFernet, sealed: str) -> bool:
    try:
        keys.decrypt(sealed.encode("ascii"))
    except (InvalidToken, ValueError, UnicodeError):
        return False
    return True


def sealer(value: str | None, source: str = KEY_VARIABLE) -> Sealer:
    """The sealer for `PAPERBOY_SECRET_KEY`'s value; a ConfigError (one line, no key in it) when unusable.
    `source` is where the value was read, as a malformed one is said to be: the variable, or
    `PAPERBOY_SECRET_KEY_FILE: PATH`."""
    if value is None or not value.strip():
        raise ConfigError(
            f"{KEY_VARIABLE} is not set: multi-workspace Slack keeps installation tokens encrypted with it; "
            f"run `paperboy keygen` and set {KEY_VARIABLE} to what it prints"
        )
    parts = [part.strip() for part in value.split(",")]
    fernets = []
    for number, part in enumerate(parts, start=1):
        try:
            fernets.append(Fernet(part.encode("ascii")))
        except (ValueError, UnicodeError):
            where = f"key {number} of {len(parts)}" if len(parts) > 1 else "it"
            if not part:  # `KEY,`: said as what it is (it was "key 2 of 2 is not 32 bytes")
                raise ConfigError(
                    f"{source} is malformed (nothing between two commas, or after the last): keys, as `paperboy"
                    " keygen` prints them, are separated by commas, the newest first"
                ) from None
            raise ConfigError(
                f"{source} is malformed ({where} is not 32 bytes of URL-safe base64, as `paperboy keygen` "
                "prints); keys are separated by commas, the newest first"
            ) from None
    return Sealer(fernets[0], MultiFernet(fernets), len(fernets))
