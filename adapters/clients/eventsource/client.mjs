// The npm `eventsource` package (4.x) as a pushspec client: opens {url}, reports what its
// application sees as pushspec-client/1 lines (README, "Checking your own client").
//
//   node client.mjs <url>
import { EventSource } from 'eventsource';

const url = process.argv[2];
const report = (r) => process.stdout.write(`${JSON.stringify(r)}\n`);
const source = new EventSource(url);
source.onopen = () => report({ type: 'open' });
source.onerror = (e) => report({ type: 'error', readyState: source.readyState, ...(e?.message ? { message: e.message } : {}) });
source.onmessage = (e) => report({ type: 'message', data: e.data, event: e.type, lastEventId: e.lastEventId });
// Named events reach only their listeners: a client that wants them all listens for each name it is told
// (its adapter says "sse": { "eventTypes": "listed" }, so pushspec names them in PUSHSPEC_EVENT_TYPES).
for (const name of (process.env.PUSHSPEC_EVENT_TYPES ?? '').split(',').filter(Boolean)) {
  source.addEventListener(name, (e) => report({ type: 'message', data: e.data, event: e.type, lastEventId: e.lastEventId }));
}
process.on('SIGTERM', () => {
  source.close();
  process.exit(0);
});
