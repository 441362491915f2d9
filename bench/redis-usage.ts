/**
 * What the cluster's Redis itself spends, for the cluster benchmark: its CPU
 * time, read with `INFO cpu` through @redis/client (redis-server is not a
 * child of the bench, so /proc would need its pid; INFO needs only its URL).
 */
import { createClient } from '@redis/client';

/** `used_cpu_sys + used_cpu_user` in an `INFO cpu` answer, in ms; NaN when the answer has neither. */
export function cpuMsFromInfo(info: string): number {
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
}

/** The CPU time (user + system) the Redis at `url` has used since it started, in ms. */
export async function redisCpuMs(url: string): Promise<number> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return cpuMsFromInfo(await client.info('cpu'));
  } finally {
    client.destroy();
  }
}
