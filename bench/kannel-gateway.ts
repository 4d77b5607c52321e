// Kannel (Debian's `kannel` package, 1.4.5), the end-to-end benchmark's peer: bearerbox and smsbox run
// from a config written into `dir`, on free ports of 127.0.0.1 (a Kannel service the package may have
// started on its default ports is left alone), bound to an SMSC as one SMPP transceiver. Installed with
// apt-get when bearerbox is missing.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort, stopProcess, waitForPort } from './processes';

/** How the benchmark's sendsms user and its store are set up; said in its output. */
export const KANNEL_SETUP =
  'store-type file (each message written to the store before smsbox answers 202), dlr-storage internal (in memory), SMSC throughput unset';

const find = (name: string) =>
  [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin']
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));

function kannelBinaries(): { bearerbox: string; smsbox: string } {
  if (!find('bearerbox')) {
    console.log('Kannel is not installed: apt-get install -y kannel');
    const r = spawnSync('apt-get', ['install', '-y', 'kannel'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (!find('bearerbox'))
      throw new Error(
        `This benchmark needs Kannel (Debian package kannel: bearerbox, smsbox) and \`apt-get install -y kannel\` failed (${r.error?.message ?? `exit ${r.status}`}): install it, then run it again.`,
      );
  }
  return { bearerbox: find('bearerbox')!, smsbox: find('smsbox')! };
}

interface Ports {
  admin: number;
  box: number;
  sendsms: number;
}

const config = (dir: string, ports: Ports, smsc: KannelSmsc) => `group = core
admin-port = ${ports.admin}
admin-interface = 127.0.0.1
admin-password = bench
smsbox-port = ${ports.box}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "${join(dir, 'bearerbox.log')}"
log-level = 2
store-type = file
store-location = "${join(dir, 'kannel.store')}"
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = sim
host = 127.0.0.1
port = ${smsc.port}
transceiver-mode = true
smsc-username = ${smsc.systemId}
smsc-password = ${smsc.password}
system-type = ""
max-pending-submits = ${smsc.window}

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${ports.box}
sendsms-port = ${ports.sendsms}
sendsms-interface = 127.0.0.1
log-file = "${join(dir, 'smsbox.log')}"
log-level = 2

group = sendsms-user
username = bench
password = bench
`;

export interface KannelSmsc {
  port: number;
  systemId: string;
  password: string;
  /** max-pending-submits: submit_sm outstanding on the bind. */
  window: number;
}

/** Resolves once `ready` does; rejects if `child` exits first, naming its log. */
async function whileRunning(child: ChildProcess, name: string, log: string, ready: Promise<void>) {
  let exited: (code: number | null) => void = () => {};
  const exit = new Promise<never>((_, reject) => {
    exited = (code) => reject(new Error(`${name} exited ${code} before it was ready: see ${log}`));
    child.once('exit', exited);
  });
  try {
    await Promise.race([ready, exit]);
  } finally {
    child.off('exit', exited);
    ready.catch(() => {}); // its own failure, once the exit has been reported
  }
}

/** bearerbox and smsbox, the SMPP bind online; `sendsms` is smsbox's `/cgi-bin/sendsms`. */
export async function startKannel(dir: string, smsc: KannelSmsc) {
  const bin = kannelBinaries();
  const ports: Ports = { admin: await freePort(), box: await freePort(), sendsms: await freePort() };
  const file = join(dir, 'kannel.conf');
  writeFileSync(file, config(dir, ports, smsc));
  const started: ChildProcess[] = [];
  // `-v 4`: only panics on the console; warnings and errors go to the log files in `dir`.
  const box = (path: string) => {
    const child = spawn(path, ['-v', '4', file], { stdio: ['ignore', 'ignore', 'inherit'] });
    started.unshift(child);
    return child;
  };
  const stop = async () => {
    for (const child of started) await stopProcess(child);
  };
  const online = async () => {
    await waitForPort(ports.admin);
    const status = `http://127.0.0.1:${ports.admin}/status.txt?password=bench`;
    const until = Date.now() + 30_000;
    while (
      !(
        await fetch(status).then(
          (r) => r.text(),
          () => '',
        )
      ).includes('(online')
    ) {
      if (Date.now() > until) throw new Error(`Kannel did not bind to the SMSC in 30 s: see ${dir}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    const bearerbox = box(bin.bearerbox);
    await whileRunning(bearerbox, 'bearerbox', join(dir, 'bearerbox.log'), online());
    await waitForPort(ports.box);
    const smsbox = box(bin.smsbox);
    await whileRunning(smsbox, 'smsbox', join(dir, 'smsbox.log'), waitForPort(ports.sendsms));
    return {
      sendsms: `http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms`,
      pids: [bearerbox.pid!, smsbox.pid!],
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
