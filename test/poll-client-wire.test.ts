/** The scripted poll server's pure pieces: the client adapter section, the batch it writes, the cursor it reads back. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PushspecError } from '../core/errors.ts';
import { cursorSent, encodeBatch, etagOf, setPointer, unquoteTag } from '../techniques/polling/client-side/answers.ts';
import { clientPollSectionFrom } from '../techniques/polling/client-side/contract.ts';
import { describePlan } from '../techniques/polling/client-side/poll-server.ts';

const invalidNaming = (field: string) => (error: unknown) => error instanceof PushspecError && error.code === 'PUSHSPEC_ERR_ADAPTER_INVALID' && error.message.includes(field);

describe('a client adapter\'s polling and longPolling sections', () => {
  test('an empty longPolling section is the reference protocol', () => {
    const s = clientPollSectionFrom({}, 'longPolling', 'a.json');
    assert.equal(s.protocol, 'pushspec-reference');
    assert.deepEqual(s.cursor, { in: 'query', param: 'cursor' });
    assert.equal(s.format.messages, '/messages');
    assert.equal(s.waitParam, 'wait');
  });

  test('polling needs its interval, within bounds, and names the field', () => {
    assert.throws(() => clientPollSectionFrom({}, 'polling', 'a.json'), invalidNaming('"polling.intervalMs"'));
    assert.throws(() => clientPollSectionFrom({ intervalMs: 20 }, 'polling', 'a.json'), invalidNaming('"polling.intervalMs"'));
    assert.equal(clientPollSectionFrom({ intervalMs: 300 }, 'polling', 'a.json').intervalMs, 300);
  });

  test('declared cursor and format are kept; wrong ones name the field', () => {
    const s = clientPollSectionFrom({ cursor: { in: 'validators' }, format: { type: 'json', messages: '/items', data: '/body', cursor: '/next' } }, 'longPolling', 'a.json');
    assert.deepEqual(s.cursor, { in: 'validators' });
    assert.deepEqual(s.format, { type: 'json', messages: '/items', data: '/body', cursor: '/next' });
    assert.throws(() => clientPollSectionFrom({ cursor: { in: 'cookie' } }, 'longPolling', 'a.json'), invalidNaming('"longPolling.cursor.in"'));
    assert.throws(() => clientPollSectionFrom({ cursor: { in: 'query' } }, 'longPolling', 'a.json'), invalidNaming('"longPolling.cursor.param"'));
    assert.throws(() => clientPollSectionFrom({ format: { type: 'json', messages: 'items', data: '/d' } }, 'longPolling', 'a.json'), invalidNaming('"longPolling.format.messages"'));
    assert.throws(() => clientPollSectionFrom({ format: { type: 'text' } }, 'polling', 'a.json'), invalidNaming('"polling.format"'));
  });

  test('unknown fields and protocols are refused (engine.io: test/poll-client-engineio.test.ts)', () => {
    assert.throws(() => clientPollSectionFrom({ protocol: 'bayeux' }, 'longPolling', 'a.json'), invalidNaming('"longPolling.protocol"'));
    assert.throws(() => clientPollSectionFrom({ intervalMs: 300 }, 'longPolling', 'a.json'), invalidNaming('"longPolling.intervalMs"'));
    assert.throws(() => clientPollSectionFrom({ intervalMs: 300, waitParam: 'wait' }, 'polling', 'a.json'), invalidNaming('"polling.waitParam"'));
  });
});

describe('the batch the scripted server writes', () => {
  test('the reference shape, ids and cursor as strings', () => {
    const s = clientPollSectionFrom({}, 'longPolling', 'a.json');
    assert.deepEqual(JSON.parse(encodeBatch(s.format, [{ id: '1', data: 'one' }, { id: '2', data: 'two', event: 'quote' }], '2')), {
      messages: [
        { id: '1', data: 'one' },
        { id: '2', data: 'two', event: 'quote' },
      ],
      cursor: '2',
    });
    assert.deepEqual(JSON.parse(encodeBatch(s.format, [], '7')), { messages: [], cursor: '7' });
  });

  test('a declared format: nested pointers, escaped tokens, no cursor pointer', () => {
    const body = encodeBatch({ type: 'json', messages: '/result/items', data: '/payload/text', id: '/a~1b' }, [{ id: '3', data: 'x' }], '3');
    assert.deepEqual(JSON.parse(body), { result: { items: [{ 'a/b': '3', payload: { text: 'x' } }] } });
    assert.deepEqual(JSON.parse(encodeBatch({ type: 'json', messages: '', data: '/d' }, [{ id: '1', data: 'y' }], '1')), [{ d: 'y' }]);
  });

  test('setPointer refuses the whole document', () => {
    assert.throws(() => setPointer({}, '', 1), /whole document/);
  });
});

describe('the cursor a poll carries', () => {
  test('in the query parameter the section names', () => {
    assert.equal(cursorSent({ url: '/channels/case/messages?cursor=41&wait=20000', headers: {} }, { in: 'query', param: 'cursor' }), '41');
    assert.equal(cursorSent({ url: '/channels/case/messages?since=9', headers: {} }, { in: 'query', param: 'since' }), '9');
    assert.equal(cursorSent({ url: '/channels/case/messages', headers: {} }, { in: 'query', param: 'cursor' }), undefined);
  });

  test('in If-None-Match, the entity tag unquoted', () => {
    assert.equal(cursorSent({ url: '/m', headers: { 'if-none-match': etagOf('12') } }, { in: 'validators' }), '12');
    assert.equal(cursorSent({ url: '/m', headers: {} }, { in: 'validators' }), undefined);
    assert.equal(unquoteTag('W/"7"'), '7');
    assert.equal(unquoteTag('bare'), 'bare');
  });
});

test('planned answers read as the evidence says them', () => {
  assert.equal(describePlan({ kind: 'messages', data: ['a', 'b'], afterMs: 200 }), 'the messages "a", "b" after 200 ms');
  assert.equal(describePlan({ kind: 'status', status: 503, headers: { 'retry-after': '1' } }), 'status 503, retry-after: 1 at once');
  assert.equal(describePlan({ kind: 'hold' }), 'held until the case ends');
  assert.equal(describePlan({ kind: 'cut', afterMs: 200 }), 'a cut connection after 200 ms');
});
