/**
 * A client adapter: how pushspec starts the client under test and what the
 * client takes part in. JSON, next to the client's glue:
 *
 * ```json
 * {
 *   "name": "eventsource 4.1 (npm)",
 *   "protocol": "pushspec-client/1",
 *   "command": ["node", "client.mjs", "{url}"],
 *   "requires": [{ "name": "Node.js eventsource", "check": ["node", "-e", "import('eventsource')"], "install": "npm install eventsource" }],
 *   "sse": {},
 *   "unsupported": { "SSEC-EXAMPLE": "why this client cannot take part" }
 * }
 * ```
 *
 * pushspec starts `command` once per case, in the adapter's folder, with
 * `{url}` (the case's scripted server) and `{technique}` filled in; the client
 * reports what its application sees as JSON lines (clients/contract/reports.ts)
 * until pushspec ends it. A technique section present means the client speaks
 * it; its fields say how (each technique's client-side/contract.ts).
 * `requires` has the shape of a server adapter's `launch.requires`: a client
 * whose check fails is shown not run, with its install command.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RequiredProgram } from '../../adapters/contract/definition.ts';
import { PushspecError } from '../../core/errors.ts';
import { clientPollSectionFrom } from '../../techniques/polling/client-side/contract.ts';
import { sseClientSpecFrom } from '../../techniques/sse/client-side/contract.ts';
import { wsClientSectionFrom } from '../../techniques/websocket/client-side/contract.ts';
import { CLIENT_PROTOCOL } from './reports.ts';

/** The techniques a client adapter can have a section for. */
export const CLIENT_TECHNIQUES = ['polling', 'longPolling', 'sse', 'websocket'] as const;
export type ClientTechnique = (typeof CLIENT_TECHNIQUES)[number];

export interface ClientAdapter {
  name: string;
  /** Where it was read from, for reports. */
  source: string;
  /** The folder the command runs in (the adapter file's). */
  dir: string;
  /** The command, placeholders unfilled. */
  command: string[];
  /** Extra environment variables for the command. */
  env: Record<string, string>;
  /** Programs the client needs, each checked (from `dir`) before a run: a missing one is shown not run with `install`. */
  requires: RequiredProgram[];
  /** The technique sections, as given (each technique reads its own). */
  techniques: Partial<Record<ClientTechnique, Record<string, unknown>>>;
  /** Requirements the client cannot take part in, with why (reported unsupported, never failed). */
  unsupported: Record<string, string>;
  /**
   * How long the client may take to start before a case's own deadlines count
   * (default 0): a browser needs seconds before it can open anything. Waits
   * end as soon as what they wait for happens, so this lengthens only the wait
   * of a case the client does not meet.
   */
  startupMs: number;
}

/** The longest `startupMs` accepted. */
export const MAX_STARTUP_MS = 60_000;

const PLACEHOLDERS = new Set(['url', 'technique']);

function invalid(source: string, problem: string): never {
  throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${source}: ${problem}`);
}

/**
 * Checks a client adapter definition.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_INVALID` naming the field that is wrong.
 */
export function clientAdapterFrom(value: unknown, source: string, dir: string): ClientAdapter {
  const v = value as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) invalid(source, 'a client adapter is a JSON object: {"name", "protocol", "command", and a section per technique}');
  if (typeof v.name !== 'string' || v.name.trim() === '') invalid(source, '"name": expected the client and its version, e.g. "eventsource 4.1 (npm)"');
  if (v.protocol !== CLIENT_PROTOCOL) invalid(source, `"protocol": expected "${CLIENT_PROTOCOL}" (the report lines the client writes), got ${JSON.stringify(v.protocol)}`);
  if (!Array.isArray(v.command) || v.command.length === 0 || !v.command.every((part) => typeof part === 'string' && part !== '')) {
    invalid(source, '"command": expected a non-empty array of strings, e.g. ["node", "client.mjs", "{url}"]');
  }
  for (const part of v.command as string[]) {
    for (const [, name] of part.matchAll(/\{(\w+)\}/g)) if (!PLACEHOLDERS.has(name!)) invalid(source, `"command": unknown placeholder {${name}} (known: ${[...PLACEHOLDERS].map((p) => `{${p}}`).join(', ')})`);
  }
  if (!(v.command as string[]).some((part) => part.includes('{url}'))) invalid(source, '"command": no {url}: the client must be told where the case\'s server is');
  const env = v.env ?? {};
  if (typeof env !== 'object' || env === null || Array.isArray(env) || !Object.values(env).every((x) => typeof x === 'string')) invalid(source, '"env": expected {"NAME": "value"}');
  const requires = requiredPrograms(source, v.requires);
  const techniques: ClientAdapter['techniques'] = {};
  for (const t of CLIENT_TECHNIQUES) {
    const section = v[t];
    if (section === undefined) continue;
    if (typeof section !== 'object' || section === null || Array.isArray(section)) invalid(source, `"${t}": expected an object (its fields say how the client speaks ${t})`);
    techniques[t] = section as Record<string, unknown>;
  }
  // Each technique checks the fields of its own section (techniques/<t>/client-side/contract.ts).
  // Each technique checks its own section, so a wrong field is a usage error at load, never a failed case.
  if (techniques.sse !== undefined) sseClientSpecFrom(techniques.sse, source);
  if (techniques.websocket !== undefined) wsClientSectionFrom(techniques.websocket, source);
  if (techniques.polling !== undefined) clientPollSectionFrom(techniques.polling, 'polling', source);
  if (techniques.longPolling !== undefined) clientPollSectionFrom(techniques.longPolling, 'longPolling', source);
  if (Object.keys(techniques).length === 0) invalid(source, `no technique section: add at least one of ${CLIENT_TECHNIQUES.map((t) => `"${t}"`).join(', ')}`);
  const unsupported = v.unsupported ?? {};
  if (typeof unsupported !== 'object' || unsupported === null || Array.isArray(unsupported) || !Object.values(unsupported).every((x) => typeof x === 'string' && x.trim() !== '')) {
    invalid(source, '"unsupported": expected {"<requirement id>": "why the client cannot take part"}');
  }
  const startupMs = v.startupMs ?? 0;
  if (typeof startupMs !== 'number' || !Number.isInteger(startupMs) || startupMs < 0 || startupMs > MAX_STARTUP_MS) {
    invalid(source, `"startupMs": expected a whole number of milliseconds from 0 to ${MAX_STARTUP_MS}, how long the client takes to start`);
  }
  const known = new Set(['name', 'protocol', 'command', 'env', 'requires', 'startupMs', 'unsupported', '$schema', 'description', ...CLIENT_TECHNIQUES]);
  for (const key of Object.keys(v)) if (!known.has(key)) invalid(source, `unknown field "${key}" (known: ${[...known].join(', ')})`);
  return { name: v.name as string, source, dir, command: v.command as string[], env: env as Record<string, string>, requires, techniques, unsupported: unsupported as Record<string, string>, startupMs };
}

const REQUIRES_EXAMPLE = '{"name": "Python websockets", "check": ["python3", "-c", "import websockets"], "install": "apt-get install -y python3-websockets"}';

/** `requires`: the same shape as a server adapter's `launch.requires`. */
function requiredPrograms(source: string, value: unknown): RequiredProgram[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid(source, `"requires": expected an array of entries such as ${REQUIRES_EXAMPLE}`);
  value.forEach((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    const where = `"requires"[${i}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) invalid(source, `${where}: expected an object such as ${REQUIRES_EXAMPLE}`);
    for (const key of Object.keys(e)) if (!['name', 'check', 'install'].includes(key)) invalid(source, `${where}: unknown field "${key}" (known: name, check, install)`);
    if (typeof e.name !== 'string' || e.name.trim() === '') invalid(source, `${where}.name: expected what is needed, e.g. "Python websockets"`);
    if (!Array.isArray(e.check) || e.check.length === 0 || !e.check.every((a) => typeof a === 'string' && a !== '')) {
      invalid(source, `${where}.check: expected a non-empty array of strings: a command that exits 0 when the program is installed`);
    }
    if (typeof e.install !== 'string' || e.install.trim() === '') invalid(source, `${where}.install: expected the command that installs it, e.g. "apt-get install -y python3-websockets"`);
  });
  return value as RequiredProgram[];
}

/**
 * Reads and checks a client adapter file.
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_LOAD` when the file cannot be read or parsed, `PUSHSPEC_ERR_ADAPTER_INVALID` when a field is wrong.
 */
export async function loadClientAdapter(file: string): Promise<ClientAdapter> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `${file}: cannot read the client adapter: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `${file}: not JSON: ${(error as Error).message}`);
  }
  return clientAdapterFrom(value, file, dirname(path));
}

/** The command with its placeholders filled. */
export function commandFor(adapter: ClientAdapter, values: { url: string; technique: ClientTechnique }): string[] {
  return adapter.command.map((part) => part.replaceAll('{url}', values.url).replaceAll('{technique}', values.technique));
}
