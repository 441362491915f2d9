"""Python's websockets library (Debian python3-websockets) as a pushspec client.

Connects to the url pushspec gives, reports what its application sees as
pushspec-client/1 lines (one JSON object per line on standard output), and
echoes every message back: text as text, binary as binary.

    /usr/bin/python3 client.py <url>
"""
import asyncio
import base64
import json
import sys

import websockets


def report(**fields):
    print(json.dumps(fields), flush=True)


async def main(url):
    try:
        ws = await websockets.connect(url, max_size=None)
    except Exception as error:  # a refused handshake: the application sees an error, never an open
        report(type="error", message=f"{type(error).__name__}: {error}")
        return
    report(type="open")
    try:
        async for message in ws:
            if isinstance(message, bytes):
                report(type="message", data=base64.b64encode(message).decode("ascii"), binary=True)
            else:
                report(type="message", data=message)
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    # Clean: both close frames went, as the closing handshake asks (RFC 6455 §7.1.4).
    clean = ws.close_rcvd is not None and ws.close_sent is not None
    report(type="close", code=ws.close_code, reason=ws.close_reason, wasClean=clean)


asyncio.run(main(sys.argv[1]))
