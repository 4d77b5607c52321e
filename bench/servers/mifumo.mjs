// Ours: the standalone gateway exactly as `npm start` runs it (SQLite file, fake carrier, dispatcher
// running, V8's heap bounded as main does; bench/processes.ts gives it `npm start`'s Node flags).
import { limitHeapGrowth, readSettings, startGateway } from '@mifumo/runtime-node';

limitHeapGrowth();
const gateway = await startGateway(readSettings());
console.log(`ready ${gateway.bootstrapped?.key ?? ''}`);
process.on('SIGTERM', () => gateway.close().then(() => process.exit(0)));
