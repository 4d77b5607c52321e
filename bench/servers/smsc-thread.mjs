// The SMSC simulator in a thread of its own, as a real SMSC runs apart from the ESME: each client's
// cost is then its own, not shared with the simulator's in one event loop. Posts its port, then
// answers 'counters' with its counters and 'close' by closing.
import { parentPort, workerData } from 'node:worker_threads';
import { startSmsc } from '../../packages/adapters/dist/smpp/index.js';

const smsc = await startSmsc({ receipts: workerData?.receipts ?? false });
parentPort.postMessage(smsc.port);
parentPort.on('message', (ask) => {
  if (ask === 'counters') parentPort.postMessage({ ...smsc.counters, submits: smsc.submits.length });
  else if (ask === 'close') smsc.close().then(() => process.exit(0));
});
