import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy to PostgreSQL on 127.0.0.1:5432 that can be cut (as a server that stops) and put back. */
export function postgresProxy() {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  return {
    listen: (port = 0) =>
      new Promise<number>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(5432, '127.0.0.1');
          const pair = [client, upstream];
          for (const s of pair) {
            sockets.add(s);
            s.on('error', () => {});
            s.on('close', () => {
              for (const t of pair) {
                t.destroy();
                sockets.delete(t);
              }
            });
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
      }),
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
  };
}
