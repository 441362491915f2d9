/** The part of hpack.js (HPACK, RFC 7541) that core/h2-header-filter.ts uses: it ships no types. */
declare module 'hpack.js' {
  interface HeaderField {
    name: string;
    value: string;
    neverIndex?: boolean;
  }
  interface Compressor {
    write(fields: HeaderField[]): boolean;
    read(): Buffer | null;
  }
  interface Decompressor {
    write(bytes: Buffer): boolean;
    /** Decodes what was written; throws on a malformed block. */
    execute(): void;
    read(): HeaderField | null;
  }
  const hpack: {
    compressor: { create(options: { table: { size: number } }): Compressor };
    decompressor: { create(options: { table: { size: number } }): Decompressor };
  };
  export default hpack;
}
