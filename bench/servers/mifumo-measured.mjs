// The gateway as bench/servers/mifumo.mjs runs it, measuring its own event-loop delay on request over
// IPC: 'loop-start' begins a measurement, 'loop-stop' ends it and answers { meanMs, p99Ms, maxMs }.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import './mifumo.mjs';

const delay = monitorEventLoopDelay({ resolution: 10 });
const ms = (ns) => ns / 1e6;
process.on('message', (message) => {
  if (message === 'loop-start') {
    delay.reset();
    delay.enable();
  } else if (message === 'loop-stop') {
    delay.disable();
    process.send({ meanMs: ms(delay.mean), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max) });
  }
});
