/**
 * EventSource clients, the honesty check continued (test/support/sse-client-faults.ts):
 * each fault of the fixture client that breaks a rule of dispatching events
 * fails exactly that rule.
 */
import { describeSseClientFaults } from '../support/sse-client-faults.ts';

describeSseClientFaults('EventSource clients: a fixture client that breaks one rule of dispatching events is reported as breaking that rule', ['Dispatching events'], false);
