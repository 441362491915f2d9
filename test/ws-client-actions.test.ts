/**
 * The WebSocket client actions end to end in one process: the scripted server
 * plays a case against the fixture client (test/fixtures/clients/ws-client.mjs),
 * and the checks judge what was recorded, for the correct client and a broken one.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadClientAdapter } from '../clients/contract/adapter.ts';
import { Transcript } from '../core/transcript.ts';
import { WsClientActions } from '../techniques/websocket/client-side/actions.ts';
import * as check from '../techniques/websocket/client-side/checks.ts';
import { failure } from './support/checks.ts';

const closables: Array<{ close(): Promise<void> }> = [];
after(async () => {
  for (const c of closables.reverse()) await c.close();
});

async function play(adapter: string, name: string): Promise<{ view: check.WsClientView; transcript: Transcript }> {
  const client = await loadClientAdapter(`test/fixtures/clients/adapters/${adapter}.json`);
  const transcript = new Transcript();
  const actions = new WsClientActions({ client, transcript, onClose: (c) => (closables.push(c), c) });
  actions.plays(name);
  await actions.connect();
  return { view: actions.view(), transcript };
}

describe('a case played against the fixture client', () => {
  test('an echo: the message comes back masked, the server closes, the client answers', async () => {
    const { view, transcript } = await play('ws-client', 'a text message');
    check.checkHandshakeRequest(view);
    check.checkEchoes(view);
    check.checkAllMasked(view);
    check.checkCloseAnswered(view);
    assert.ok(view.reports.some((r) => r.type === 'open'));
    assert.ok(transcript.toEvidence(undefined).frames!.some((f) => f.direction === 'sent' && f.preview.includes('Hello, world!')));
  });

  test('a masked server frame: the correct client fails the connection with 1002; the broken one reads it', async () => {
    const good = await play('ws-client', 'a masked text frame');
    check.checkFailed(good.view);
    check.checkFailCode(good.view);
    const bad = await play('ws-client-accept-masked', 'a masked text frame');
    assert.throws(() => check.checkFailed(bad.view), failure(/no message/, /masked by the server/));
  });

  test('a wrong accept key: the client never opens; a client that ignores it does', async () => {
    check.checkRefused((await play('ws-client', 'a wrong Sec-WebSocket-Accept')).view, true);
    const ignored = await play('ws-client-ignore-accept', 'a wrong Sec-WebSocket-Accept');
    assert.throws(() => check.checkRefused(ignored.view, true), failure(/not to open/, /reported open/));
  });

  test('an unknown case is refused before anything starts', async () => {
    const client = await loadClientAdapter('test/fixtures/clients/adapters/ws-client.json');
    const actions = new WsClientActions({ client, transcript: new Transcript(), onClose: (c) => c });
    assert.throws(() => actions.plays('no such case'), /no WebSocket client case/);
    await assert.rejects(() => actions.connect(), /no case/);
  });
});
