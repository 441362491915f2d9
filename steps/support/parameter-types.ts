/** Parameter types shared by the step phrases. */
import { defineParameterType } from '@cucumber/cucumber';

/** A named client: `the client`, `the new client`, or a quoted name such as `"alice"`. */
defineParameterType({
  name: 'client',
  regexp: /the client|the new client|"[^"]+"/,
  transformer: (text: string): string => (text.startsWith('"') ? text.slice(1, -1) : text.replace(/^the /, '')),
});
