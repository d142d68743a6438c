"""A tiny TCP proxy on 127.0.0.1 that a test can cut and restore, to make a database unreachable, or
stall one connection (nothing forwarded either way for a while), as a database stuck on it would."""

from __future__ import annotations

import asyncio
import contextlib
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._conns: set[asyncio.StreamWriter] = set()
        self._gates: dict[int, asyncio.Event] = {}  # client port -> set while its traffic flows
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def _run(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, gate: asyncio.Event) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                await gate.wait()
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._conns |= {writer, up_w}
        port = writer.get_extra_info("peername")[1]
        gate = self._gates[port] = asyncio.Event()
        gate.set()
        await asyncio.gather(self._pipe(reader, up_w, gate), self._pipe(up_r, writer, gate))
        self._conns -= {writer, up_w}
        self._gates.pop(port, None)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for w in list(self._conns):
            w.close()
        self._conns.clear()

    async def _stall(self, client_port: int, seconds: float) -> bool:
        gate = self._gates.get(client_port)
        if gate is None:
            return False
        gate.clear()
        self._loop.call_later(seconds, gate.set)  # bounded: it flows again by itself
        return True

    def stall(self, client_port: int, seconds: float) -> bool:
        """Forward nothing on the connection from `client_port` for `seconds` (False: no such connection)."""
        return bool(self._run(self._stall(client_port, seconds)))

    def start(self) -> None:
        self._run(self._start())

    def cut(self) -> None:
        """Refuse new connections and drop the open ones, as a crashed or unreachable server would."""
        self._run(self._stop())

    def close(self) -> None:
        self._run(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
