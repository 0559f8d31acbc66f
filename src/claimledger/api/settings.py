"""How the HTTP API is configured: the ledger, the write token, private reads, limits.

``Settings.from_env`` reads the token from ``CLAIMLEDGER_TOKEN`` or the first line of the
file named by ``CLAIMLEDGER_TOKEN_FILE``, private reads from
``CLAIMLEDGER_PRIVATE_READS=1``, private analysis from ``CLAIMLEDGER_PRIVATE_ANALYSIS=1``
and the analysis limits from ``CLAIMLEDGER_MAX_ANALYZE_CHARS`` and
``CLAIMLEDGER_ANALYSIS_QUEUE``; arguments override the environment.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.errors import ClaimledgerError
from claimledger.ingest import DEFAULT_MAX_BYTES
from claimledger.nlp import PROFILES

TOKEN_VARIABLE = "CLAIMLEDGER_TOKEN"
TOKEN_FILE_VARIABLE = "CLAIMLEDGER_TOKEN_FILE"
PRIVATE_READS_VARIABLE = "CLAIMLEDGER_PRIVATE_READS"
PRIVATE_ANALYSIS_VARIABLE = "CLAIMLEDGER_PRIVATE_ANALYSIS"
MAX_ANALYZE_CHARS_VARIABLE = "CLAIMLEDGER_MAX_ANALYZE_CHARS"
ANALYSIS_QUEUE_VARIABLE = "CLAIMLEDGER_ANALYSIS_QUEUE"

# One posted or pasted article: the web form's limit too. Analysis time grows with length,
# and one request should not hold the analyser for long.
DEFAULT_MAX_ANALYZE_CHARS = 100_000
# Requests that may wait behind the running analysis; one more is answered 503.
DEFAULT_ANALYSIS_QUEUE = 4

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    """What one API server serves and who may write to it.

    ``token`` None refuses every write; ``private_reads`` makes reads need the token too,
    ``private_analysis`` only /api/v1/analyze and the web UI's analysis form.
    ``max_body_bytes`` caps every request body (a posted article included),
    ``max_analyze_chars`` the text of one article to analyse, and ``analysis_queue`` how
    many analyses may wait behind the running one (docs/security.md)."""

    db: str
    token: str | None = None
    private_reads: bool = False
    max_body_bytes: int = DEFAULT_MAX_BYTES
    profile: str = "fast"
    gazetteer: str | None = None  # a user's gazetteer file, for posted and pasted articles
    private_analysis: bool = False
    max_analyze_chars: int = DEFAULT_MAX_ANALYZE_CHARS
    analysis_queue: int = DEFAULT_ANALYSIS_QUEUE

    def __post_init__(self) -> None:
        if self.token is not None and not _header_safe(self.token):
            raise ClaimledgerError(
                "the API token must be printable ASCII without spaces (it is sent in an "
                "'Authorization: Bearer' header); generate one with "
                "'python -c \"import secrets; print(secrets.token_urlsafe(32))\"'"
            )
        if self.private_reads and self.token is None:
            raise ClaimledgerError(
                f"{PRIVATE_READS_VARIABLE}=1 makes reads need the token, but no token is set; "
                f"set {TOKEN_VARIABLE} or {TOKEN_FILE_VARIABLE}"
            )
        if isinstance(self.max_body_bytes, bool) or self.max_body_bytes < 1:
            raise ClaimledgerError(
                f"max_body_bytes must be a positive number of bytes, not {self.max_body_bytes!r}"
            )
        if self.private_analysis and self.token is None:
            raise ClaimledgerError(
                f"{PRIVATE_ANALYSIS_VARIABLE}=1 makes analysis need the token, but no token is "
                f"set; set {TOKEN_VARIABLE} or {TOKEN_FILE_VARIABLE}"
            )
        for name, least in (("max_analyze_chars", 1), ("analysis_queue", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ClaimledgerError(
                    f"{name} must be a whole number of at least {least}, not {value!r}"
                )
        if self.profile not in PROFILES:
            raise ClaimledgerError(
                f"unknown profile {self.profile!r}; choose one of {', '.join(PROFILES)}"
            )

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None

    @classmethod
    def from_env(
        cls,
        db: str | os.PathLike[str],
        *,
        environ: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings for the ledger ``db`` from the environment (``environ``, default
        ``os.environ``); keyword arguments (any field: ``token``, ``private_reads``,
        ``max_body_bytes``, ``profile`` ...) take precedence over it."""
        env = os.environ if environ is None else environ
        fields: dict[str, Any] = {"db": os.fspath(db)}
        if "token" not in overrides:
            fields["token"] = _token(env)
        if "private_reads" not in overrides:
            fields["private_reads"] = _flag(env, PRIVATE_READS_VARIABLE)
        if "private_analysis" not in overrides:
            fields["private_analysis"] = _flag(env, PRIVATE_ANALYSIS_VARIABLE)
        for name, variable in (
            ("max_analyze_chars", MAX_ANALYZE_CHARS_VARIABLE),
            ("analysis_queue", ANALYSIS_QUEUE_VARIABLE),
        ):
            if name not in overrides and env.get(variable, "").strip():
                fields[name] = _whole_number(env, variable)
        unknown = set(overrides) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ClaimledgerError(f"unknown API setting {', '.join(sorted(unknown))}")
        return cls(**{**fields, **overrides})


def _header_safe(token: str) -> bool:
    return bool(token) and all("!" <= char <= "~" for char in token)


def _token(env: Mapping[str, str]) -> str | None:
    token = env.get(TOKEN_VARIABLE, "").strip()
    if token:
        return token
    name = env.get(TOKEN_FILE_VARIABLE, "").strip()
    if not name:
        return None
    path = Path(name)
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise ClaimledgerError(
            f"{TOKEN_FILE_VARIABLE}={name}: no such file; create it with the token on its "
            f"first line, or unset {TOKEN_FILE_VARIABLE}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise ClaimledgerError(
            f"{TOKEN_FILE_VARIABLE}={name}: cannot be read ({reason}); check the file"
        ) from None
    token = lines[0].strip() if lines else ""
    if not token:
        raise ClaimledgerError(
            f"{TOKEN_FILE_VARIABLE}={name}: the first line is empty; put the token on it"
        )
    return token


def _whole_number(env: Mapping[str, str], name: str) -> int:
    value = env[name].strip()
    if not value.isdigit():
        raise ClaimledgerError(f"{name}={env[name]!r}: give a whole number, e.g. {name}=4")
    return int(value)


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ClaimledgerError(f"{name}={env[name]!r}: give 1 (on) or 0 (off)")
