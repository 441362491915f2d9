/** Parameter types shared by the step phrases. */
import { defineParameterType } from '@cucumber/cucumber';
import { DATA_SAMPLES, dataSample } from '../../core/data-samples.ts';

/** A named client: `the client`, `the new client`, or a quoted name such as `"alice"`. */
defineParameterType({
  name: 'client',
  regexp: /the client|the new client|"[^"]+"/,
  transformer: (text: string): string => (text.startsWith('"') ? text.slice(1, -1) : text.replace(/^the /, '')),
});

/** A named data sample (core/data-samples.ts), e.g. `a record separator (0x1E)`; the step gets its data. */
defineParameterType({
  name: 'sample',
  regexp: new RegExp(
    Object.keys(DATA_SAMPLES)
      .sort((a, b) => b.length - a.length)
      .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
  ),
  transformer: (name: string): string => dataSample(name),
});
