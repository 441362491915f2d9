/**
 * Rules for `launch`, the command pushspec runs to start the server, and for
 * `{port}`, which only a launched server can have filled in.
 */
import { hasPlaceholder } from '../../core/placeholders.ts';
import { URL_EXPECTED, checkStringRecord, isHttpUrl, isInteger, at, isObject, mismatch, unknownFields } from '../../core/fields.ts';
import type { Ctx, Path } from '../../core/fields.ts';

const LAUNCH_FIELDS = ['requires', 'command', 'cwd', 'env', 'readyUrl', 'readyTimeoutMs'];
const REQUIRES_FIELDS = ['name', 'check', 'install'];
const REQUIRES_EXAMPLE = '{"name": "nginx", "check": ["nginx", "-v"], "install": "apt-get install -y nginx-light"}';

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
  checkRequires({ def, problems, bad, check }, launch.requires);
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

/** `launch.requires`: a list of programs, each with a check command and an install line. */
function checkRequires({ problems, bad }: Ctx, requires: unknown): void {
  if (requires === undefined) return;
  if (!Array.isArray(requires)) return bad(['launch', 'requires'], `an array of entries such as ${REQUIRES_EXAMPLE}`);
  requires.forEach((entry: unknown, i) => {
    const path = ['launch', 'requires', i];
    if (!isObject(entry)) return bad(path, `an object such as ${REQUIRES_EXAMPLE}`);
    unknownFields(entry, REQUIRES_FIELDS, path, problems);
    if (typeof entry.name !== 'string' || entry.name.trim() === '') bad([...path, 'name'], 'what is needed, e.g. "nginx with the Nchan module"');
    const argv = entry.check;
    if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string') || argv[0] === '') {
      bad([...path, 'check'], 'a non-empty array of strings: a command that exits 0 when the program is installed, e.g. ["nginx", "-v"]');
    }
    if (typeof entry.install !== 'string' || entry.install.trim() === '') bad([...path, 'install'], 'the command that installs it, e.g. "apt-get install -y nginx-light"');
  });
}
