/**
 * EventSource clients, the honesty check continued (test/support/sse-client-faults.ts):
 * each fault of the fixture client that breaks a rule of opening the stream
 * or of reconnecting fails exactly that rule.
 */
import { describeSseClientFaults } from '../support/sse-client-faults.ts';

describeSseClientFaults('EventSource clients: a fixture client that breaks one rule of opening or reconnecting is reported as breaking that rule', ['Opening the event stream', 'Reconnecting'], false);
