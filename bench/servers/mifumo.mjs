// Ours: the standalone gateway exactly as `npm start` runs it (SQLite file, fake carrier, dispatcher running).
import { readSettings, startGateway } from '@mifumo/runtime-node';

const gateway = await startGateway(readSettings());
console.log(`ready ${gateway.bootstrapped?.key ?? ''}`);
process.on('SIGTERM', () => gateway.close().then(() => process.exit(0)));
