// Chromium's own EventSource and WebSocket as a pushspec client, driven through playwright-core:
// a headless Chromium opens a blank page on the case server's origin (served by Playwright, so
// the scripted server sees only the client's own requests and no CORS is involved), creates the
// EventSource or WebSocket there, and forwards what the page sees as pushspec-client/1 lines.
//
//   node client.mjs <url> <sse|websocket>
/* global window, EventSource -- the function given to page.evaluate runs in the page */
import { chromium } from 'playwright-core';

const [url, technique] = process.argv.slice(2);
const report = (r) => process.stdout.write(`${JSON.stringify(r)}\n`);
// Chromium asks the user before a page reaches a loopback address (Local Network Access); granting
// it here is the user's "allow", so the WebSocket to the case's server is let through.
// One persistent context (a fresh temporary profile) starts faster than a browser and then a context.
const context = await chromium.launchPersistentContext('', {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
  permissions: ['local-network-access'],
});
process.on('SIGTERM', () => context.close().finally(() => process.exit(0)));
const page = context.pages()[0] ?? (await context.newPage());
await page.exposeFunction('pushspecReport', report);
const blank = `${new URL(url).origin.replace(/^ws/, 'http')}/__pushspec_blank__`;
await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>pushspec</title><link rel="icon" href="data:,">' }));
await page.goto(blank);
await page.unrouteAll();
// Named events reach only listeners for their name: pushspec names the case's in PUSHSPEC_EVENT_TYPES.
const types = (process.env.PUSHSPEC_EVENT_TYPES ?? '').split(',').filter(Boolean);
await page.evaluate(({ url, technique, types }) => {
  const send = (r) => window.pushspecReport(r);
  if (technique === 'sse') {
    const source = new EventSource(url);
    const message = (e) => send({ type: 'message', data: e.data, event: e.type, lastEventId: e.lastEventId });
    source.onopen = () => send({ type: 'open' });
    source.onerror = () => send({ type: 'error', readyState: source.readyState });
    for (const type of new Set(['message', ...types])) source.addEventListener(type, message);
    return;
  }
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => send({ type: 'open' });
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') send({ type: 'message', data: e.data });
    else {
      const bytes = new Uint8Array(e.data);
      let text = ''; // in slices: spreading a large message into one call would overflow the stack
      for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
      send({ type: 'message', data: btoa(text), binary: true });
    }
    ws.send(e.data); // the echo: text as text, binary as binary
  };
  ws.onerror = () => send({ type: 'error', readyState: ws.readyState });
  ws.onclose = (e) => send({ type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
}, { url, technique, types });
