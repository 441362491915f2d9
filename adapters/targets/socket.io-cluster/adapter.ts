/**
 * Socket.IO 4.8 as a cluster: two instances of the socket.io target's server
 * (../socket.io/server.mjs) on one Redis, with Socket.IO's Redis adapter
 * (@socket.io/redis-adapter 8.3, Redis Pub/Sub). Everything else, the codec,
 * the long-polling session and what is declared, is the socket.io target's
 * adapter, imported, so the two cannot drift apart. See README.md.
 */
import type { AdapterDefinition } from 'pushspec';
import socketIo from '../socket.io/adapter.ts';

export default {
  ...socketIo,
  name: 'socket.io-cluster',
  cluster: { instances: 2, redis: true },
  launch: {
    ...socketIo.launch,
    requires: [
      ...socketIo.launch.requires,
      {
        name: 'the npm package @socket.io/redis-adapter 8.3',
        check: ['node', '-e', "require.resolve('@socket.io/redis-adapter')"],
        install: 'npm install @socket.io/redis-adapter@8.3.0 (in the pushspec folder)',
      },
    ],
    command: ['node', '../socket.io/server.mjs', '{port}', '--redis', '{redisUrl}'],
  },
} satisfies AdapterDefinition;
