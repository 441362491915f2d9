/**
 * Loads an adapter from a JSON file or a TS/JS module, then validates and
 * resolves it. Every failure is a PushspecError whose message names the file.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { PushspecError } from '../../core/errors.ts';
import { readCertificates } from '../../core/tls.ts';
import type { AdapterDefinition } from './definition.ts';
import { resolveAdapter } from './resolve.ts';
import type { ResolvedAdapter } from './resolve.ts';
import { validateAdapter } from './validate.ts';

/** Extensions of adapter files; anything else is refused up front. */
export const ADAPTER_EXTENSIONS = ['.json', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

/** TypeScript adapters, loaded through tsx whether pushspec runs from its sources or built. */
const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];

/**
 * Reads, validates and resolves the adapter in `file` (`.json`, or a `.ts`/`.mts`/
 * `.js`/`.mjs` module whose default export is `defineAdapter({...})`). A relative
 * `launch.cwd` is resolved against the file's folder, which is also the default;
 * so is `tls.ca`, whose certificates are read here.
 *
 * @throws PushspecError `PUSHSPEC_ERR_ADAPTER_LOAD` when the file is missing, not
 *   valid JSON, fails to import or has no default export;
 *   `PUSHSPEC_ERR_ADAPTER_INVALID` when its content is not a valid adapter, or
 *   `tls.ca` names a file that cannot be read or holds no PEM certificate.
 */
export async function loadAdapterFile(file: string): Promise<ResolvedAdapter> {
  const absolute = path.resolve(file);
  const source = displayPath(absolute);
  const extension = path.extname(absolute).toLowerCase();
  if (!(ADAPTER_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new PushspecError(
      'PUSHSPEC_ERR_ADAPTER_LOAD',
      `${source}: unsupported adapter file extension "${extension}"; expected one of ${ADAPTER_EXTENSIONS.join(', ')}`,
    );
  }
  await assertFile(absolute, file);
  const isJson = extension === '.json';
  const value = isJson ? await readJson(absolute, source) : await importDefault(absolute, source);
  const definition = validateAdapter(value, source, { allowFunctions: !isJson });
  return withFiles(resolveAdapter(definition, source), definition, path.dirname(absolute));
}

/**
 * Validates and resolves a definition that did not come from a file, such as an
 * inline JSON adapter passed through cucumber worldParameters. Functions are
 * refused (JSON cannot hold them); `launch.cwd` is resolved against the current folder.
 *
 * @param source a label for messages, e.g. `worldParameters.adapter`.
 */
export function adapterFromDefinition(value: unknown, source: string): ResolvedAdapter {
  const definition = validateAdapter(value, source, { allowFunctions: false });
  return withFiles(resolveAdapter(definition, source), definition, process.cwd());
}

/** The parts of the adapter that name files, read against `folder`: `launch.cwd`, the cluster's stop and start commands, and the certificates `tls.ca` names. */
function withFiles(adapter: ResolvedAdapter, definition: AdapterDefinition, folder: string): ResolvedAdapter {
  if (adapter.launch !== undefined) {
    adapter.launch.cwd = path.resolve(folder, adapter.launch.cwd ?? '.');
  }
  if (adapter.cluster !== undefined) adapter.cluster.cwd = folder;
  if (definition.tls !== undefined) {
    const file = path.resolve(folder, definition.tls.ca);
    const read = readCertificates(file);
    if ('problem' in read) {
      throw new PushspecError('PUSHSPEC_ERR_ADAPTER_INVALID', `${adapter.source}: field "tls.ca": ${read.problem}`);
    }
    adapter.tls = { ca: read.pem, files: [definition.tls.ca] };
  }
  return adapter;
}

async function assertFile(absolute: string, given: string): Promise<void> {
  try {
    const info = await stat(absolute);
    if (!info.isFile()) throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `adapter file is not a file: ${given}`);
  } catch (error) {
    if (error instanceof PushspecError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `adapter file not found: ${given}`, { cause: error });
    }
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `cannot read adapter file ${given}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

async function readJson(absolute: string, source: string): Promise<unknown> {
  // Strip a UTF-8 byte order mark: some editors write one and JSON.parse refuses it.
  const text = (await readFile(absolute, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `${source}${jsonErrorLocation(text, messageOf(error))}: invalid JSON: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * `:line:column` of a JSON.parse error, when its message gives an offset
 * (`... at position 42`, as V8 writes for most errors) or the input ended early.
 */
export function jsonErrorLocation(text: string, message: string): string {
  const match = /at position (\d+)/.exec(message);
  let offset: number;
  if (match !== null) offset = Number(match[1]);
  else if (/Unexpected end of JSON input/.test(message)) offset = text.length;
  else return '';
  const before = text.slice(0, offset).split('\n');
  return `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

async function importDefault(absolute: string, source: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    const url = pathToFileURL(absolute).href;
    // A module in a folder without "type": "module" is CommonJS; Node and tsx load it as such,
    // and its `module.exports` (or `exports.default`) arrives as the default export.
    module = (TYPESCRIPT_EXTENSIONS.includes(path.extname(absolute).toLowerCase()) ? await tsImport(url, import.meta.url) : await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_ADAPTER_LOAD', `${source}: cannot import adapter module: ${messageOf(error)}`, {
      cause: error,
    });
  }
  // A CommonJS module compiled from `export default` (tsx, tsc) arrives as `{ __esModule, default }`.
  let value = module.default;
  if (typeof value === 'object' && value !== null && (value as Record<string, unknown>).__esModule === true) value = (value as Record<string, unknown>).default;
  if (value === undefined) {
    throw new PushspecError(
      'PUSHSPEC_ERR_ADAPTER_LOAD',
      `${source}: the adapter module has no default export; expected \`export default defineAdapter({...})\` (or \`module.exports = defineAdapter({...})\` in CommonJS)`,
    );
  }
  return value;
}

/** Relative to the current folder when inside it (shorter messages), absolute otherwise. */
function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
