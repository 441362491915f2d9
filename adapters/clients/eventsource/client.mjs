// The npm `eventsource` package (4.x) as a pushspec client: opens {url}, reports what its
// application sees as pushspec-client/1 lines (README, "Checking your own client").
//
//   node client.mjs <url>
import { EventSource } from 'eventsource';

const url = process.argv[2];
const report = (r) => process.stdout.write(`${JSON.stringify(r)}\n`);
const source = new EventSource(url);
// A named event reaches only the listeners for its name, so listening by name would need every
// name in advance. This package dispatches every event through dispatchEvent (open, error, and each
// message whatever its type), so wrapping it sees them all, in order, exactly as listeners would.
const dispatch = source.dispatchEvent.bind(source);
source.dispatchEvent = (e) => {
  if (typeof e.data === 'string') report({ type: 'message', data: e.data, event: e.type, lastEventId: e.lastEventId });
  else if (e.type === 'open') report({ type: 'open' });
  else if (e.type === 'error') report({ type: 'error', readyState: source.readyState, ...(e.message ? { message: e.message } : {}) });
  return dispatch(e);
};
process.on('SIGTERM', () => {
  source.close();
  process.exit(0);
});
