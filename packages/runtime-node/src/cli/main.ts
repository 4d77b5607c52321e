import { runCli } from './run';

const stop = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

runCli(
  process.argv.slice(2),
  { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) },
  stop,
).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
