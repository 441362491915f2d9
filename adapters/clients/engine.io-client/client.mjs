// engine.io-client (npm, 6.x) as a pushspec long-polling client: opens a session at {url} (an engine.io
// endpoint, path included) over long-polling only, and reports what its application sees as
// pushspec-client/1 lines (README, "Checking your own client").
//
//   node client.mjs <url>
import { Socket } from 'engine.io-client';

const url = new URL(process.argv[2]);
const report = (r) => process.stdout.write(`${JSON.stringify(r)}\n`);
// The path is an option of its own (the URL's path is ignored); upgrade: false and polling alone keep
// the session on long-polling, as the handshake's empty "upgrades" also says.
const socket = new Socket(url.origin, { path: url.pathname, transports: ['polling'], upgrade: false });
socket.on('open', () => report({ type: 'open' }));
// Binary as base64. An empty message reaches the application as undefined (engine.io-parser keeps no data after
// the type digit): reported as it is, a message line without data, which pushspec shows as the glue's problem.
socket.on('message', (data) => report(typeof data === 'object' && data !== null ? { type: 'message', data: Buffer.from(data).toString('base64'), binary: true } : { type: 'message', data }));
// engine.io-client does not reconnect (socket.io-client's Manager does): an error ends the session, then 'close' says why.
socket.on('error', (error) => report({ type: 'error', message: String(error?.message ?? error) }));
socket.on('close', (reason, description) => {
  report({ type: 'close', reason: description?.message ? `${reason}: ${description.message}` : reason });
  process.exit(0);
});
process.on('SIGTERM', () => {
  socket.close();
  process.exit(0);
});
