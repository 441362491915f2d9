/**
 * Rules for `launch`, the command pushspec runs to start the server, and for
 * `{port}`, which only a launched server can have filled in.
 */
import { hasPlaceholder } from '../placeholders.ts';
import { URL_EXPECTED, checkStringRecord, isHttpUrl, isInteger } from './common.ts';
import type { Ctx, Path } from './problems.ts';
import { at, isObject, mismatch, unknownFields } from './problems.ts';

const LAUNCH_FIELDS = ['command', 'cwd', 'env', 'readyUrl', 'readyTimeoutMs'];

/** Checks `launch`; call it only when the definition has one. */
export function checkLaunch({ def, problems, bad, check }: Ctx): void {
  const launch = def.launch;
  if (!isObject(launch)) return bad(['launch'], 'an object such as {"command": ["node", "server.mjs", "--port", "{port}"]}');
  unknownFields(launch, LAUNCH_FIELDS, ['launch'], problems);
  const command = launch.command;
  if (!Array.isArray(command) || command.length === 0 || command[0] === '') {
    bad(['launch', 'command'], 'a non-empty array of strings such as ["node", "server.mjs", "--port", "{port}"]');
  } else {
    command.forEach((arg, i) => typeof arg !== 'string' && bad(['launch', 'command', i], 'a string'));
  }
  check(['launch', 'cwd'], (v) => typeof v === 'string', 'a folder path (relative to the adapter file)');
  checkStringRecord(launch.env, ['launch', 'env'], bad, 'environment values are text');
  check(['launch', 'readyUrl'], isHttpUrl, URL_EXPECTED);
  check(['launch', 'readyTimeoutMs'], isInteger(1, 120_000), 'a whole number of milliseconds from 1 to 120000');
}

/**
 * Reports every `{port}` in a definition without `launch`: without launch
 * pushspec does not start the server, so it has no port to fill in.
 */
export function checkPortsWithoutLaunch({ def, problems }: Ctx): void {
  for (const path of findPortPlaceholders(def)) {
    problems.push(
      `${mismatch(path, at(def, path), 'a fixed port')}: {port} is only filled in when pushspec starts ` +
        'the server, so add "launch" or write the port the server listens on',
    );
  }
}

/** Paths of every string in `def` that uses `{port}`. */
function findPortPlaceholders(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return hasPlaceholder(value, 'port') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findPortPlaceholders(v, [...path, i]));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => findPortPlaceholders(v, [...path, k]));
  return [];
}
