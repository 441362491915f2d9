// The npm `ws` package's client as a pushspec client: connects to {url}, echoes every message it receives
// (text as text, binary as binary), and reports what its application sees as pushspec-client/1 lines
// (README, "Checking your own client").
//
//   node client.mjs <url>
import WebSocket from 'ws';

const report = (r) => process.stdout.write(`${JSON.stringify(r)}\n`);
const socket = new WebSocket(process.argv[2]);
socket.on('open', () => report({ type: 'open' }));
socket.on('message', (data, isBinary) => {
  report(isBinary ? { type: 'message', data: data.toString('base64'), binary: true } : { type: 'message', data: data.toString('utf8') });
  socket.send(data, { binary: isBinary });
});
socket.on('error', (error) => report({ type: 'error', message: error.message }));
socket.on('close', (code, reason) => {
  report({ type: 'close', code, reason: reason.toString('utf8'), wasClean: code !== 1006 });
  process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
