/**
 * Hand-written validation of an adapter definition (JSON or module default export).
 *
 * Written by hand rather than with a schema library so every message can say, in
 * the adapter author's terms, which field is wrong, what it holds and what was
 * expected, and so typos in field names get a "did you mean" suggestion.
 *
 * This file is the entry point: it checks the top-level fields and hands each
 * technique's section to that technique's rules (techniques/<name>/validate.ts),
 * in registry order so problems are always listed the same way.
 */
import { PushspecError } from '../../core/errors.ts';
import { PROTOCOLS, type Protocol } from '../../core/technique.ts';
import { TECHNIQUE_MODULES } from '../../techniques/registry.ts';
import type { AdapterDefinition } from './definition.ts';
import { URL_EXPECTED, isHttpUrl, isOneOf, createCtx, describe, isObject, oneOf, unknownFields } from '../../core/fields.ts';
import { checkLaunch, checkPortsWithoutLaunch } from './validate-launch.ts';
import type { Obj } from '../../core/fields.ts';
import { checkMissingPublish, checkPublish } from './validate-publish.ts';
import { checkTls } from './validate-tls.ts';
import { checkCluster } from './validate-cluster.ts';

const TOP_FIELDS = ['name', 'baseUrl', 'protocol', 'tls', 'launch', 'cluster', ...TECHNIQUE_MODULES.map((t) => t.key), 'publish'];
const MODULE_SOURCE = /\.(?:[cm]?ts|[cm]?js)$/i;

/** Options of {@link validateAdapter}. */
export interface ValidateOptions {
  /** May `publish` and poll `format`s be functions? Default: only when `source` names a .ts/.js module. */
  allowFunctions?: boolean;
}

/**
 * Checks that `value` is a well-formed adapter definition and returns it typed.
 * With `protocol` set, technique fields may be partial: they override the
 * protocol's defaults field by field (see resolveAdapter).
 *
 * @param source the file (or other origin) named at the start of every message.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_INVALID` listing every problem, one per line.
 */
export function validateAdapter(value: unknown, source: string, options: ValidateOptions = {}): AdapterDefinition {
  const problems: string[] = [];
  const allowFunctions = options.allowFunctions ?? MODULE_SOURCE.test(source);
  if (!isObject(value)) {
    problems.push(`the adapter is ${describe(value)}; expected an object with at least "name" and "baseUrl"`);
  } else {
    checkDefinition(value, problems, allowFunctions);
  }
  if (problems.length > 0) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', problems.map((p) => `${source}: ${p}`).join('\n'));
  }
  return value as AdapterDefinition;
}

/** Checks the top-level fields, then each declared section, pushing every problem found onto `problems`. */
function checkDefinition(def: Obj, problems: string[], allowFunctions: boolean): void {
  const ctx = createCtx(def, problems);
  const { check } = ctx;
  unknownFields(def, TOP_FIELDS, [], problems);

  check(['name'], (v) => typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v), 'a name of 1 to 64 letters, digits, ".", "_" or "-"', true);
  check(['baseUrl'], isHttpUrl, URL_EXPECTED, true);
  check(['protocol'], isOneOf(PROTOCOLS), oneOf(PROTOCOLS));
  // Any protocol, even a wrong one (already reported), makes section fields optional.
  const hasProtocol = def.protocol !== undefined;
  if (def.tls !== undefined) checkTls(ctx);

  if (def.launch !== undefined) checkLaunch(ctx);
  else checkPortsWithoutLaunch(ctx);
  if (def.cluster !== undefined) checkCluster(ctx);
  // Only a valid protocol has defaults to consult.
  const protocol = isOneOf(PROTOCOLS)(def.protocol) ? (def.protocol as Protocol) : undefined;
  for (const technique of TECHNIQUE_MODULES) {
    if (def[technique.key] !== undefined) technique.validate(ctx, { protocol, hasProtocol, allowFunctions });
  }
  if (def.publish !== undefined) checkPublish(ctx, hasProtocol, allowFunctions);
  else if (!hasProtocol) checkMissingPublish(ctx);
}
