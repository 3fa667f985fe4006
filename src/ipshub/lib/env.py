"""Typed helpers that read settings from environment variables and fail loudly on bad values."""

import ipaddress
import os
from collections.abc import Mapping
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# A query is prepared on its connection once it has run this many times (psycopg's prepare_threshold).
PREPARE_AFTER = 2


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def text(self, name: str, default: str | None = None) -> str:
        value = self.environ.get(name)
        if value is None:
            if default is None:
                raise ImproperlyConfigured(f"{name} must be set.")
            return default
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off.")

    def whole(self, name: str, default: int, *, minimum: int | None = None) -> int:
        raw = self.environ.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
        return value

    def csv(self, name: str, default: list[str]) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    def networks(self, name: str, default: str = "") -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """A comma-separated list of addresses or networks ("10.0.0.0/8,127.0.0.1,::1"); an address is a network
        of one. Host bits set in a network ("10.0.0.1/8") are refused: they usually mean a typo."""
        raw = self.environ.get(name, default)
        networks = []
        for item in (part.strip() for part in raw.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=True))
            except ValueError as exc:
                raise ImproperlyConfigured(
                    f"{name}: {item!r} is not an IP address or network ({exc}). "
                    "Use a comma-separated list such as 10.0.0.0/8,127.0.0.1."
                ) from None
        return tuple(networks)

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.environ.get(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
        return value

    def database(self, name: str, default: str) -> dict[str, Any]:
        """Parse a database URL (postgres://user:pass@host:5432/db or sqlite:///path)."""
        raw = self.environ.get(name, default)
        if "://" not in raw:
            raise ImproperlyConfigured(
                f"{name}={raw!r} is not a database URL. Use postgres://USER:PASSWORD@HOST:5432/NAME "
                "or sqlite:///ABSOLUTE/PATH.sqlite3."
            )
        try:
            config = dict(dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True))
        except (ValueError, KeyError) as exc:
            raise ImproperlyConfigured(
                f"{name} could not be read ({exc}). Use postgres://USER:PASSWORD@HOST:5432/NAME "
                "or sqlite:///ABSOLUTE/PATH.sqlite3."
            ) from None
        engine = config.get("ENGINE", "")
        if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
            raise ImproperlyConfigured(f"{name}: only PostgreSQL and SQLite are supported, not {engine!r}.")
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name}={raw!r} names no database.")
        if engine == "django.db.backends.postgresql":
            config["ENGINE"] = "ipshub.lib.postgresql"  # Django's, with health checks after idle only (see there)
        if engine == "django.db.backends.postgresql" and "PGOPTIONS" not in self.environ:
            # PostgreSQL's JIT spent 62 ms compiling a state-board query that runs in 10 ms (docs/performance.md):
            # the product's queries are short OLTP reads, where JIT only costs. PGOPTIONS, when set, decides instead.
            options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
            options["options"] = " ".join(filter(None, ["-c jit=off", options.get("options", "")]))
            config["OPTIONS"] = options
        if engine == "django.db.backends.postgresql" and self.flag("IPSHUB_DB_PREPARED_STATEMENTS", True):
            # PostgreSQL planned each of a home page's queries anew, about 1 ms apiece: more than running them.
            # Sent with their parameters apart (server-side binding), the same query text comes back for every
            # person, and psycopg prepares it on the connection after PREPARE_AFTER runs, so later requests on
            # that persistent connection skip the planning (docs/performance.md). A pooler in transaction mode
            # (PgBouncer before 1.21) cannot follow prepared statements: set IPSHUB_DB_PREPARED_STATEMENTS=off.
            options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", PREPARE_AFTER)
            config["OPTIONS"] = options
        return config
