"""The local lineage service over HTTP: one thread per connection, SQLite underneath.

Guarded against what a web page or a slow client can do to a loopback server: requests whose
Host header is not an allowed name are refused (DNS rebinding), an optional read-only mode
refuses every write, connections are capped (the one waiting longest on its client is dropped
to make room), and a connection idle for `IDLE_TIMEOUT_S` is closed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import socket
import sqlite3
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

from viz_app import heap
from viz_app.api import protocol
from viz_app.api.operations import READ_ONLY, dispatch
from viz_app.api.request import Limits, RequestContext
from viz_app.binding import HostAllowList, allowed_hosts, warn_if_exposed
from viz_app.core.errors import (
    AccessDenied,
    LengthRequired,
    LineageError,
    RequestTooLarge,
    ThrottlingError,
)
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store

log = logging.getLogger("viz_app.api")


@dataclass
class Faults:
    """Test-only fault injection: throttle the next N requests, or delay every request."""

    throttle_next: int = 0
    delay_seconds: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, keep-alive clients wait
    # for the delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True
    timeout = None  # set per server (`IDLE_TIMEOUT_S`) in `setup`

    def setup(self) -> None:
        self.timeout = self.server.service.idle_timeout_s
        super().setup()

    def handle_one_request(self) -> None:
        self.server.waiting(self.connection, True)  # on the client, until a request is read
        try:
            super().handle_one_request()
        except OSError:  # timed out or dropped mid-request: nothing more to say on it
            self.close_connection = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        if not self.server.service.hosts.allows(host):
            self.close_connection = True
            err = AccessDenied(self.server.service.hosts.refusal(host))
            err.status = 403
            self._send_error(err)
            return False
        return True

    def version_string(self) -> str:
        return "lineage-viz"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", protocol.CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:  # so that a client does not send its next request on it
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _send_error(self, err: LineageError) -> None:
        self._send(err.status, protocol.error_document(err), {"x-amzn-ErrorType": err.code})

    def _drain_body(self) -> None:
        """Read (or give up on) a body we will not use, so it is not taken for the next request."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if 0 < length <= protocol.MAX_BODY_BYTES:
            self.rfile.read(length)
        elif length != 0 or self.headers.get("Transfer-Encoding"):
            self.close_connection = True

    def _drop_body(self, length: int) -> None:
        """After refusing a body, read and drop what the client is still sending (up to a few
        times the limit, while it keeps coming): a client mid-send would otherwise get a
        broken pipe instead of reading the refusal. The refusal itself was sent before."""
        if length > DRAIN_LIMIT_BYTES:
            return
        try:
            self.connection.settimeout(DRAIN_IDLE_S)
            left = length
            while left > 0:
                chunk = self.rfile.read1(min(left, 65536))
                if not chunk:
                    return
                left -= len(chunk)
        except OSError:  # the client stopped sending (or went away): close as planned
            return

    def do_GET(self) -> None:
        self._drain_body()
        if self.path in ("/ping", "/health"):
            self._send(200, protocol.encode_body({"status": "ok"}))
            return
        self._send_error(_method_error(self.command))

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def do_POST(self) -> None:
        service = self.server.service
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._send_error(
                LengthRequired("Send the body with a valid Content-Length (no chunked encoding).")
            )
            return
        if length > protocol.MAX_BODY_BYTES:
            self.close_connection = True
            self._send_error(
                RequestTooLarge(
                    f"The request body must be at most {protocol.MAX_BODY_BYTES} bytes."
                )
            )
            self._drop_body(length)
            return
        raw = self.rfile.read(length) if length else b""
        self.server.waiting(self.connection, False)
        try:
            if self.path.split("?", 1)[0] != "/":
                raise _method_error("POST " + self.path)
            operation = protocol.operation_from_target(self.headers.get("X-Amz-Target"))
            if service.read_only and operation not in READ_ONLY:
                raise AccessDenied(
                    f"This lineage service is read-only: {operation} is not allowed. "
                    "Only Describe, List and QueryLineage operations are served."
                )
            protocol.check_content_type(self.headers.get("Content-Type"))
            # A decoded body costs ~20x its bytes (1.2M short strings: ~100 MB): big ones are
            # decoded and answered one at a time, so memory stays bounded however many arrive.
            with _BIG_BODY if len(raw) > BIG_BODY_BYTES else contextlib.nullcontext():
                params = protocol.decode_body(raw)
                service.apply_faults()
                region = protocol.region_from_authorization(
                    self.headers.get("Authorization"), service.default_region
                )
                ctx = RequestContext(service.store, region, service.account_id, service.limits)
                result = dispatch(ctx, operation, params)
                del params
        except LineageError as err:
            self._send_error(err)
            return
        except Exception:  # anything unexpected is a bug: log it, answer InternalFailure
            service.internal_failures += 1
            log.exception("InternalFailure serving %s", self.headers.get("X-Amz-Target"))
            self._send_error(LineageError("An internal error occurred. Try again."))
            return
        self._send(200, protocol.encode_body(result))


DRAIN_LIMIT_BYTES: Final = 4 * protocol.MAX_BODY_BYTES
BIG_BODY_BYTES: Final = 1024 * 1024  # SDK and app requests are a few KB
_BIG_BODY = threading.Lock()
DRAIN_IDLE_S: Final = 2.0
# A connection waiting longer than this for its client's next bytes is closed (boto3 and
# urllib3 open a new one when a pooled connection was closed).
IDLE_TIMEOUT_S: Final = 30.0
# At most this many connections (one thread each); the app and the SDK use a few dozen.
MAX_CONNECTIONS: Final = 256
# Pending connections the kernel queues before accept (socketserver's default 5 made bursts
# of new connections wait for SYN retransmits, a second each).
LISTEN_BACKLOG: Final = 1024
_BUSY_BODY: Final = b'{"__type":"ServiceUnavailable","message":"Too many connections. Try again."}'
_BUSY_REPLY: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/x-amz-json-1.1\r\n"
    b"x-amzn-ErrorType: ServiceUnavailable\r\nConnection: close\r\n"
    + f"Content-Length: {len(_BUSY_BODY)}\r\n\r\n".encode()
    + _BUSY_BODY
)


def _method_error(what: str) -> LineageError:
    err = LineageError(f"{what} is not supported: send POST / with an X-Amz-Target header.")
    err.code, err.status = "UnknownOperationException", 404
    return err


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], service: LineageService) -> None:
        self.service = service
        # Each open connection -> since when it waits on its client (None while served).
        self._open: dict[socket.socket, float | None] = {}
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def waiting(self, conn: socket.socket, idle: bool) -> None:
        with self._open_lock:
            if conn in self._open:
                self._open[conn] = time.monotonic() if idle else None

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a new connection, first dropping the longest-idle one when at the cap; when
        every connection is being served, answer 503 (botocore retries it)."""
        with self._open_lock:
            if len(self._open) >= self.service.max_connections:
                idle = [(since, c) for c, since in self._open.items() if since is not None]
                if not idle:
                    self._refuse(request)
                    return
                victim = min(idle, key=lambda pair: pair[0])[1]
                del self._open[victim]
                with contextlib.suppress(OSError):  # wakes its thread's read with EOF
                    victim.shutdown(socket.SHUT_RDWR)
            self._open[request] = time.monotonic()
        super().process_request(request, client_address)

    def _refuse(self, request: Any) -> None:
        with contextlib.suppress(OSError):
            request.settimeout(1.0)
            request.sendall(_BUSY_REPLY)
        self.shutdown_request(request)

    def close_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.pop(request, None)
        super().close_request(request)


class LineageService:
    """A running service: `url`, `store`, `close()`. Serves in a background thread."""

    def __init__(
        self,
        store: Store,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        account_id: str = DEFAULT_ACCOUNT_ID,
        default_region: str = DEFAULT_REGION,
        limits: Limits | None = None,
        read_only: bool = False,
        hosts: HostAllowList | None = None,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
    ) -> None:
        self.store = store
        self.read_only = read_only
        self.hosts = hosts or allowed_hosts(bound=host)
        self.max_connections = max_connections
        self.idle_timeout_s = idle_timeout_s
        self.account_id = account_id
        self.default_region = default_region
        self.limits = limits or Limits()
        self.faults = Faults()
        self.internal_failures = 0
        self._faults_lock = threading.Lock()
        self._httpd = _Server((host, port), self)
        bound_host, bound_port = self._httpd.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        shown = f"[{host_text}]" if ":" in host_text else host_text
        self.url = f"http://{shown}:{bound_port}"
        # A short poll interval keeps close() quick (shutdown waits for the next poll).
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="lineage-service", daemon=True
        )
        self._thread.start()

    def apply_faults(self) -> None:
        with self._faults_lock:
            delay = self.faults.delay_seconds
            throttle = self.faults.throttle_next > 0
            if throttle:
                self.faults.throttle_next -= 1
        if delay:
            time.sleep(delay)
        if throttle:
            raise ThrottlingError("Rate exceeded")

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def start_service(
    store: Store | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    account_id: str = DEFAULT_ACCOUNT_ID,
    default_region: str = DEFAULT_REGION,
    read_only: bool = False,
    hosts: HostAllowList | None = None,
) -> LineageService:
    """Start the service on `host:port` (0 picks a free port) over `store` (temporary if None).

    `read_only` refuses every operation but Describe, List and QueryLineage; `hosts` are the
    Host names it answers to (loopback names and the bound address by default).
    """
    return LineageService(
        store if store is not None else Store(),
        host=host,
        port=port,
        account_id=account_id,
        default_region=default_region,
        read_only=read_only,
        hosts=hosts,
    )


def run_service_command(args: argparse.Namespace) -> int:
    """`lineage-viz service`: print the URL first, serve until SIGINT/SIGTERM."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Handlers first: a script may signal us as soon as it has read the URL.
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        store = Store(args.db)
    except (sqlite3.Error, OSError) as err:
        print(f"error: cannot open the store {args.db!r}: {err}", file=sys.stderr)
        return 1
    # A snapshot records the region it was taken in; serve it there by default.
    default_region = store.get_meta("region") or DEFAULT_REGION
    if getattr(args, "demo", False) and store.count_entities() == 0:
        from viz_app.core.demo import build_demo

        build_demo(store, account=args.account_id)
    try:
        service = start_service(
            store,
            host=args.host,
            port=args.port,
            account_id=args.account_id,
            default_region=default_region,
            read_only=args.read_only,
            hosts=allowed_hosts(args.allowed_host, bound=args.host),
        )
    except OSError as err:
        print(f"error: cannot listen on {args.host}:{args.port}: {err.strerror}", file=sys.stderr)
        store.close()
        return 1
    warn_if_exposed(args.host, "the lineage service")
    heap.settle()
    print(service.url, flush=True)
    stop.wait()
    service.close()
    store.close()
    return 0
