"""Which addresses storyline may connect to, checked where the connection is made.

Only public addresses by default: private, loopback, link-local, multicast,
reserved and shared ranges, and the cloud metadata endpoints, are refused;
IPv4 addresses wrapped in IPv6 (mapped, 6to4, Teredo, NAT64) are unwrapped
first. The check runs inside the HTTP client's network backend, on the
address the name resolved to *at connect time*, and the socket is opened to
that very address: a name that resolves to a public address once and to a
private one later (DNS rebinding) cannot slip through, and every redirect hop
is checked because every hop connects anew. TLS still verifies the host name.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Never reachable, whatever is allowed: instance metadata services hand out credentials.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.169.253", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# What --allow-private opens: private, loopback and shared (carrier-grade NAT) ranges.
PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "::1/128", "fc00::/7")
)


class BlockedAddress(Exception):
    """A connection refused by the address policy; the message names the address and why."""


def unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries, if it carries one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address.sixtofour:
            return address.sixtofour
        if address.teredo:
            return address.teredo[1]
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _kind(address: IPAddress) -> str:
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the networks in ``allowed`` (``--allow-private``, ``--allow-network``)."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_options(cls, allow_private: bool = False, networks: Iterable[str] = ()) -> AddressPolicy:
        return cls((PRIVATE if allow_private else ()) + tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` may not be connected to, or None when it may."""
        inner = unwrap(address)
        shown = str(address) if inner == address else f"{address} ({inner})"
        if address in METADATA or inner in METADATA:
            return f"{shown} is a cloud metadata address"
        if inner.is_multicast or inner.is_unspecified:
            return f"{shown} is a {_kind(inner)} address"
        if any(inner in network or address in network for network in self.allowed):
            return None
        if not inner.is_global:
            return f"{shown} is a {_kind(inner)} address (--allow-private to fetch it)"
        return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass
class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend, connecting only to addresses the policy allows."""

    policy: AddressPolicy
    inner: httpcore.NetworkBackend = field(default_factory=httpcore.SyncBackend)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as err:
            raise httpcore.ConnectError(f"cannot resolve {host}: {err.strerror}") from err
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
        literal = _literal(host)
        for address in addresses:  # one bad address taints the name: refuse rather than pick
            if (why := self.policy.refusal(address)) is not None:
                raise BlockedAddress(why if literal == address else f"{host} resolves to {why}")
        error: Exception | None = None
        for address in addresses:
            try:
                return self.inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                error = err
        raise error or httpcore.ConnectError(f"no address for {host}")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


_ERRORS = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout, httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout, httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectError: httpx.ConnectError, httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError, httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError, httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
}


class _Stream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Any:
        try:
            yield from self._stream
        except tuple(_ERRORS) as err:
            raise _ERRORS[type(err)](str(err)) from err

    def close(self) -> None:
        if hasattr(self._stream, "close"):
            self._stream.close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over a connection pool whose every connection the policy checked.

    No proxy, by design: through a proxy the address checked would be the proxy's.
    """

    def __init__(self, policy: AddressPolicy, *, max_connections: int = 2) -> None:
        self._pool = httpcore.ConnectionPool(
            max_connections=max_connections, max_keepalive_connections=max_connections,
            network_backend=GuardedBackend(policy),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions,
        )
        try:
            response = self._pool.handle_request(core)
        except tuple(_ERRORS) as err:
            raise _ERRORS[type(err)](str(err), request=request) from err
        return httpx.Response(response.status, headers=response.headers, stream=_Stream(response.stream),
                              extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()
