/**
 * A raw TCP echo server: every byte received is written straight back. No
 * framing, no parsing: the cheapest echo a Node process can do, so a load
 * generator driven against it shows its own ceiling (issue 8: "the load
 * generator must be faster than what it measures").
 *
 *   node --import tsx bench/servers/net-echo.ts
 *
 * Prints `{"ready": true, "port": N}`; answers `usage` on its IPC channel.
 */
import net from 'node:net';
import { serveCommands } from '../process.ts';

const server = net.createServer({ noDelay: true }, (socket) => {
  // A client that resets its connection at the end of a run is no error here.
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => socket.write(chunk));
});
server.listen(0, '127.0.0.1', () => {
  serveCommands();
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
