"""Making and checking token keys. A key is `ipsh_` and 43 URL-safe characters (256 random bits)."""

import hashlib
import secrets

KEY_PREFIX = "ipsh_"
PREFIX_LENGTH = 12  # "ipsh_" and the first 7 random characters, shown in lists


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
