// The SMSC simulator in a process of its own: the end-to-end benchmark (bench/kannel.ts) binds every
// gateway it measures to this one SMSC, which sends a delivery receipt for each submit. Over IPC,
// 'submits' answers the submits taken since it was last asked, each [system_id, text, time in ms].
import { startSmsc } from '../../packages/adapters/dist/smpp/index.js';

const smsc = await startSmsc({ port: Number(process.env.PORT) });
process.on('message', (message) => {
  if (message !== 'submits') return;
  process.send(
    smsc.submits.splice(0).map((s) => [s.systemId, Buffer.from(s.sm.short_message).toString('latin1'), s.at]),
  );
});
process.on('SIGTERM', () => smsc.close().then(() => process.exit(0)));
console.log('ready');
