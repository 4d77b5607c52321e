import { createSmppCarrier } from '@mifumo/adapters/smpp';
import { outboundMessage, recordingContext } from '@mifumo/core/testing';
import { expect, it } from 'vitest';
import { runCli } from './run';

it('smsc-sim runs an SMSC an SMPP carrier can bind to and send through, until stopped', async () => {
  const out: string[] = [];
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const running = runCli(
    ['smsc-sim', '--port', '0', '--receipt-delay', '5'],
    { env: {}, out: (l) => out.push(l), err: (l) => out.push(l) },
    stopped,
  );
  for (let i = 0; i < 100 && !out.some((l) => l.includes('listening')); i++)
    await new Promise((r) => setTimeout(r, 10));
  const port = Number(/:(\d+) /.exec(out.find((l) => l.includes('listening'))!)![1]);
  const adapter = createSmppCarrier({
    id: 'sim',
    host: '127.0.0.1',
    port,
    systemId: 'dev',
    password: 'x',
    onError: () => {},
  });
  const { ctx, reports } = recordingContext();
  await adapter.start?.(ctx);
  const { carrierMessageIds } = await adapter.submit(outboundMessage('Habari'), AbortSignal.timeout(5000));
  for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(reports).toMatchObject([{ carrierMessageId: carrierMessageIds[0], status: 'delivered' }]);
  await adapter.stop?.();
  stop();
  expect(await running).toBe(0);
  expect(out.at(-1)).toBe('stopped after 1 submits');
});

it('smsc-sim refuses a bad share with its usage', async () => {
  const err: string[] = [];
  expect(
    await runCli(['smsc-sim', '--throttle', '2'], { env: {}, out: () => {}, err: (l) => err.push(l) }),
  ).toBe(2);
  expect(err.join('\n')).toContain('--throttle takes a share from 0 to 1');
});
