"""A small HTTP/1.1 keep-alive client on asyncio streams (the load generator's side).

Lighter than a general client on purpose: on a 2-core machine the generator shares the CPU
with the servers it measures, and every scenario (app and bare routes alike) pays the same
per-request cost here, so the ratios stay fair. One `Client` is one simulated user: one
connection at a time, reopened when the server closes it, with its own cookie jar.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.parse
from dataclasses import dataclass, field

TIMEOUT = 30.0  # seconds before a request counts as failed (a timeout)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


@dataclass
class Client:
    host: str
    port: int
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post_json(self, path: str, data: dict) -> Answer:
        body = json.dumps(data).encode()
        return await self.request("POST", path, body, "application/json")

    async def post_form(self, path: str, data: dict) -> Answer:
        body = urllib.parse.urlencode(data).encode()
        return await self.request("POST", path, body, "application/x-www-form-urlencoded")

    async def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Answer:
        """Send one request and read the whole answer; retry once on a connection the server
        closed while idle (keep-alive timeout). Raises on a timeout or a broken connection."""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body or method == "POST":
            head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        start = time.perf_counter()
        for attempt in (1, 2):
            reused = self._writer is not None
            try:
                answer = await asyncio.wait_for(self._exchange(data), TIMEOUT)
                answer.seconds = time.perf_counter() - start
                return answer
            except (ConnectionError, asyncio.IncompleteReadError, EOFError):
                await self.close()
                if not reused or attempt == 2:
                    raise
            except TimeoutError:
                await self.close()
                raise
        raise AssertionError("unreachable")

    async def _exchange(self, data: bytes) -> Answer:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(data)
        await self._writer.drain()
        reader = self._reader
        status_line = await reader.readline()
        if not status_line:
            raise EOFError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
            headers[name] = value
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _chunked(reader)
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, headers, body, 0.0)


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readline()).split(b";")[0].strip(), 16)
        if size == 0:
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
