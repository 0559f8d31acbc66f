"""Fetching a feed or a page over HTTP for ``claimledger watch``: http and https only (a
redirect elsewhere is refused), a conditional GET (ETag, Last-Modified), a time limit on
connecting, on each read and on the whole response, and a size limit checked while the
body streams in, so a slow or endless server costs bounded time and memory."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from claimledger.errors import InputError
from claimledger.ingest.reader import DEFAULT_MAX_BYTES

MAX_REDIRECTS = 5
SCHEMES = ("http", "https")


@dataclass(frozen=True)
class FetchLimits:
    """What one fetch may cost: seconds to connect and between reads, seconds for the whole
    response, and bytes of body."""

    connect_s: float = 10.0
    read_s: float = 30.0
    total_s: float = 60.0
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Fetched:
    """A response: ``status`` 200 with ``body``, or 304 (not modified) with none."""

    url: str  # where the body came from, after redirects
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class FetchError(InputError):
    """A fetch failed. ``transient``: worth trying again later (a timeout, a 5xx, a
    refused connection); otherwise the URL itself is wrong (a 404, a scheme refused)."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def shown_url(url: str) -> str:
    """A URL as it may be printed or stored in an error: without a user name or password."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<a URL that cannot be parsed>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def check_url(url: str) -> str:
    """``url`` if it is an http or https URL with a host; an ``InputError`` otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InputError(f"{shown_url(url)}: not a URL; give an http:// or https:// URL") from None
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise InputError(
            f"{shown_url(url)}: a URL with a space or control character; percent-encode it"
        )
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise InputError(f"{shown_url(url)}: only http:// and https:// URLs are fetched; give one")
    return url


def check_public(url: str, *, also: str | None = None) -> None:
    """Refuse ``url`` unless its host is ``also`` (the feed's own host) or every address
    it resolves to is public: a feed's author must not make the watcher fetch a page from
    inside its network (a router's admin page, a cloud's metadata service at
    169.254.169.254) and store it where the API shows it. Raises ``FetchError``."""
    host = (urlsplit(url).hostname or "").lower()
    if also is not None and host == also.lower():
        return
    try:
        addresses = {
            str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        }
    except (OSError, UnicodeError) as exc:
        raise FetchError(
            f"{shown_url(url)}: the host cannot be resolved ({exc})", transient=True
        ) from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%", 1)[0]).is_global:
            raise FetchError(
                f"{shown_url(url)}: the host is a private or local address ({address}); "
                "a feed's links are fetched only from public hosts or the feed's own",
                transient=False,
            )


def user_agent() -> str:
    try:
        version = metadata.version("claimledger")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"claimledger/{version} (feed watcher)"


def new_client(limits: FetchLimits) -> httpx.Client:
    """A client for fetches: no redirects followed by httpx (``fetch`` follows them, each
    checked), no proxy or credentials from the environment's .netrc."""
    return httpx.Client(
        timeout=httpx.Timeout(limits.read_s, connect=limits.connect_s),
        follow_redirects=False,
        headers={"User-Agent": user_agent()},
        trust_env=False,
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
    public_or: str | None = None,
) -> Fetched:
    """GET ``url`` (conditionally, given the validators of the last answer), following at
    most ``MAX_REDIRECTS`` redirects to http or https URLs. With ``public_or`` (a host
    name), each URL on the way must be on that host or a public one (``check_public``).
    Raises ``FetchError``."""
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + limits.total_s
    current = check_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        if public_or is not None:
            check_public(current, also=public_or)
        try:
            with client.stream("GET", current, headers=headers) as response:
                if response.has_redirect_location:
                    target = urljoin(current, response.headers.get("Location", ""))
                    try:
                        current = check_url(target)
                    except InputError:
                        raise FetchError(
                            f"{shown_url(url)}: redirected to {shown_url(target)}, which is "
                            "not http or https; not followed",
                            transient=False,
                        ) from None
                    continue
                if response.status_code == 304:
                    return _fetched(current, response, b"")
                if response.status_code != 200:
                    raise FetchError(
                        f"{shown_url(url)}: the server answered {response.status_code} "
                        f"{response.reason_phrase}".rstrip(),
                        transient=response.status_code >= 500 or response.status_code == 429,
                    )
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    raise FetchError(
                        f"{shown_url(url)}: {int(declared):,} bytes, over the "
                        f"{limits.max_bytes:,}-byte limit; not fetched",
                        transient=False,
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > limits.max_bytes:
                        raise FetchError(
                            f"{shown_url(url)}: over the {limits.max_bytes:,}-byte limit; "
                            "not fetched",
                            transient=False,
                        )
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{shown_url(url)}: still sending after {limits.total_s:g} s; given up",
                            transient=True,
                        )
                return _fetched(current, response, bytes(body))
        except httpx.InvalidURL as exc:
            raise FetchError(
                f"{shown_url(url)}: not a URL that can be fetched ({exc})", transient=False
            ) from None
        except httpx.TimeoutException:
            raise FetchError(
                f"{shown_url(url)}: no answer within the time limit "
                f"({limits.connect_s:g} s to connect, {limits.read_s:g} s to read)",
                transient=True,
            ) from None
        except httpx.HTTPError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FetchError(
                f"{shown_url(url)}: cannot be fetched ({type(exc).__name__}: {reason})",
                transient=True,
            ) from None
    raise FetchError(
        f"{shown_url(url)}: more than {MAX_REDIRECTS} redirects; not followed", transient=False
    )


def _fetched(url: str, response: httpx.Response, body: bytes) -> Fetched:
    return Fetched(
        url=url,
        status=response.status_code,
        body=body,
        content_type=response.headers.get("Content-Type", ""),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
