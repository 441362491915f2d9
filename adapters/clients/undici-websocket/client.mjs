// undici's WebSocket (the one Node's global WebSocket is built on) as a pushspec client:
// connects to {url}, reports what its application sees as pushspec-client/1 lines, and echoes
// every message back as the adapter's "websocket": {"echo": true} says: text as text, binary as binary.
//
//   node client.mjs <url>
import { WebSocket } from 'undici';

const report = (r) => process.stdout.write(`${JSON.stringify(r)}\n`);
const ws = new WebSocket(process.argv[2]);
ws.binaryType = 'arraybuffer';
ws.onopen = () => report({ type: 'open' });
ws.onmessage = (e) => {
  if (typeof e.data === 'string') {
    report({ type: 'message', data: e.data });
    ws.send(e.data);
  } else {
    const bytes = Buffer.from(e.data);
    report({ type: 'message', data: bytes.toString('base64'), binary: true });
    ws.send(bytes);
  }
};
ws.onerror = (e) => report({ type: 'error', message: e.message || e.error?.message || 'error', readyState: ws.readyState });
ws.onclose = (e) => report({ type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
process.on('SIGTERM', () => process.exit(0));
