"""HTTP requests sent at once, each timed as its sender would see it: from its bytes leaving to its
answer arriving, whatever share of the CPU the load generator itself gets.

A load generator on the same host as the bot competes with it for the CPUs: sending 200 requests
takes this one 13-18 ms on a quiet machine and 31-60 ms when every core is busy (aiohttp's client:
30-40 and 90-130 ms), and it reads no answer until it has sent them all. Timed from the burst's
start, or when the generator gets round to reading, every ack carries that wait, which is the
generator's, not the bot's (Slack sends from many machines). So each request is timed by the
kernel (`SO_TIMESTAMPING`, software stamps): from its bytes leaving this process's socket to the
first bytes of its answer arriving at it, not when this process got round to writing or reading
them. Where the kernel gives no stamp, this process's clock stands in, read before the write and
after the read (a longer time: the figure can only be worse).

    acks = await send_at_once(port, [request_bytes, ...])   # Acks: per request and from the start
"""

from __future__ import annotations

import asyncio
import socket
import struct
import sys
import time
from dataclasses import dataclass

SO_TIMESTAMPING = 37  # Linux (asm-generic/socket.h; also SCM_TIMESTAMPING); Python's `socket` does not name it
# software stamps, on sending and on receiving; a sent stamp without the packet (linux/net_tstamp.h)
STAMPS = (1 << 1) | (1 << 3) | (1 << 4) | (1 << 11)
STAMP = struct.Struct("qq")  # the first of scm_timestamping's three timespecs (seconds, ns): software's
ROOM = socket.CMSG_SPACE(3 * STAMP.size) + socket.CMSG_SPACE(64)  # the stamps, and the error queue's note


@dataclass(frozen=True)
class Acks:
    each: list[float]  # ms from each request's sending to its answer's arrival, in the order given
    from_start: list[float]  # ms from the burst's start (before the first connection) to each answer
    sending: float  # ms from the burst's start to the last request's bytes written
    statuses: list[int]


def request(port: int, path: str, body: str, headers: dict[str, str]) -> bytes:
    """An HTTP/1.1 POST of `body`, on a connection closed after its answer."""
    data = body.encode()
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(data)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def send_at_once(port: int, requests: list[bytes]) -> Acks:
    """Each request on its own connection to 127.0.0.1:`port`, all at once; their timings."""
    loop = asyncio.get_running_loop()
    started = time.time_ns()
    timed = await asyncio.gather(*(_one(loop, port, data) for data in requests))
    return Acks(
        each=[(got - sent) / 1e6 for sent, got, _ in timed],
        from_start=[(got - started) / 1e6 for _, got, _ in timed],
        sending=(max(sent for sent, _, _ in timed) - started) / 1e6,
        statuses=[status for _, _, status in timed],
    )


async def _one(loop: asyncio.AbstractEventLoop, port: int, data: bytes) -> tuple[int, int, int]:
    """(ns when sent, ns when its answer arrived, HTTP status) of one request."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setblocking(False)
        if sys.platform == "linux":
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, STAMPS)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        written = time.time_ns()
        await loop.sock_sendall(sock, data)
        sent = _sent(sock) or written  # read at once: a stamp left waiting keeps the socket signalling
        answer, arrived = await _receive(loop, sock)
        while chunk := (await _receive(loop, sock))[0]:  # the rest, until the bot closes
            answer += chunk
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        return sent, arrived, status


async def _receive(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> tuple[bytes, int]:
    """The next bytes on the socket (b"" at its end) and when the kernel received them."""
    while True:
        try:
            data, ancillary, _, _ = sock.recvmsg(65536, ROOM)
        except BlockingIOError:
            readable: asyncio.Future[None] = loop.create_future()
            loop.add_reader(sock.fileno(), _settle, readable)
            try:
                await readable
            finally:
                loop.remove_reader(sock.fileno())
            continue
        return data, _stamp(ancillary) or time.time_ns()


def _sent(sock: socket.socket) -> int:
    """When the kernel sent the request's bytes, or 0. On the loopback the stamp is in the socket's
    error queue as soon as the write returns; until it is read, the socket reports an error
    condition to every poll, and waiting for the answer would spin."""
    try:
        _, ancillary, _, _ = sock.recvmsg(1, ROOM, socket.MSG_ERRQUEUE)
    except OSError:  # none: not Linux, or no stamp
        return 0
    return _stamp(ancillary)


def _stamp(ancillary: list[tuple[int, int, bytes]]) -> int:
    """The kernel's software time stamp among a message's ancillary data (ns), or 0."""
    for level, kind, stamp in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING and len(stamp) >= STAMP.size:
            seconds, nanoseconds = STAMP.unpack(stamp[: STAMP.size])
            return int(seconds * 1_000_000_000 + nanoseconds)
    return 0


def _settle(readable: asyncio.Future[None]) -> None:
    if not readable.done():
        readable.set_result(None)
