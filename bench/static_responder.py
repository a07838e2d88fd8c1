"""A server that does nothing measurable: the load generators' own ceiling.

A raw asyncio protocol on uvloop answers every request with the same 202,
reading just enough of it (headers, then Content-Length bytes) to keep a
keep-alive connection in step. No framework, no JSON, no handler: what a
generator reaches against it is the generator's ceiling on this machine (or
this responder's, whichever is lower: either way a lower bound of the
generator's, well above what a FastAPI endpoint reaches).

`python -m bench.static_responder PORT`
"""

import asyncio
import sys

import uvloop

RESPONSE = (
    b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\n"
    b"content-length: 14\r\n\r\n" + b'{"results":[]}'
)


class _Answer(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.WriteTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's TCP transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            length = _content_length(self.buffer[:end])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            assert self.transport is not None
            self.transport.write(RESPONSE)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def _serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Answer, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(_serve(int(sys.argv[1])))
