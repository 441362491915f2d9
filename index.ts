/** Public entry point (`pushspec`): the adapter contract and its helper. */
export * from './adapters/contract/definition.ts';
