// The SMSC simulator in a thread of its own, as a real SMSC runs apart from the ESME: each client's
// cost is then its own, not shared with the simulator's in one event loop.
import { parentPort } from 'node:worker_threads';
import { startSmsc } from '../../packages/adapters/dist/smpp/index.js';

const smsc = await startSmsc({ receipts: false });
parentPort.postMessage(smsc.port);
parentPort.once('message', () => smsc.close().then(() => process.exit(0)));
