/**
 * EventSource clients, the honesty check (test/support/sse-client-faults.ts):
 * the conformant fixture client passes every SSEC requirement, and each fault
 * that breaks a rule of reading the stream's lines and fields fails exactly
 * that rule. sse-client-dispatch-verdicts and sse-client-connection-verdicts
 * take the other faults.
 */
import { describeSseClientFaults } from '../support/sse-client-faults.ts';

describeSseClientFaults('EventSource clients: a fixture client that breaks one rule of reading the stream is reported as breaking that rule', ['Reading the event stream', 'Reading fields'], true);
