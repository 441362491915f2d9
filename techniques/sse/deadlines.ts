/** How long Server-Sent Events clients wait for each thing a stream owes them. */

/** A stream's head must come at once; ample room for a slow machine. */
export const HEAD_DEADLINE_MS = 5000;
/** Events published at once must arrive well within this. */
export const EVENT_DEADLINE_MS = 5000;
/**
 * A head not here by then is taken as held until there is news (SSE-OPENS-AT-ONCE
 * judges that, with the same 1000 ms); other scenarios go on without it.
 */
export const HELD_HEAD_MS = 1000;
/** How long a held head may take: undici's own headers timeout; the scenario's waits decide sooner. */
export const HELD_HEAD_DEADLINE_MS = 300_000;
