/** What the client runner passes to every ClientWorld (cucumber's worldParameters: JSON only). */
export interface ClientParameters {
  /** The client adapter file, absolute. */
  client: { file: string };
}
