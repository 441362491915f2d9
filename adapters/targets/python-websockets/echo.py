"""A websockets 10.4 echo server for pushspec (Debian python3-websockets, run by /usr/bin/python3).

    /usr/bin/python3 echo.py <port>

This is the echo server from the websockets documentation: websockets.serve(handler, host, port)
with a handler that sends every message back unchanged (text stays text, bytes stay bytes), on
every path, and the documented SIGTERM pattern ("Deployment": stop the server on SIGTERM).

Every option is the library's default (max_size 1 MiB, ping_interval 20 s, compression
"deflate" offered only when a client asks for it, no subprotocols) except one deployment choice:

  origins=[None, ALLOWED_ORIGIN]  which pages may open a connection: the allow-list every
                                  deployment sets for itself (the library's default, None,
                                  accepts every Origin). None in the list admits clients that
                                  send no Origin header (non-browser clients), as the
                                  websockets documentation says to do.
"""

import asyncio
import signal
import sys

import websockets

ALLOWED_ORIGIN = "https://app.example"


async def echo(websocket):
    # Text arrives as str and is sent back as a text frame; bytes as a binary frame.
    async for message in websocket:
        await websocket.send(message)


async def main(port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    loop.add_signal_handler(signal.SIGINT, stop.set_result, None)
    async with websockets.serve(echo, "127.0.0.1", port, origins=[None, ALLOWED_ORIGIN]):
        print(f"websockets {websockets.__version__} echo server on ws://127.0.0.1:{port}/", flush=True)
        await stop
    # Leaving the block closes the server: open connections get a close frame 1001 (going away).


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print("usage: /usr/bin/python3 echo.py <port>", file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(int(sys.argv[1])))
