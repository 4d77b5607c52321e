import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApiSuite } from '@mifumo/core/testing';
import { freshPostgres } from './testing';
import { nodeTarget } from './testing/node-target';

runApiSuite('Node + SQLite', () =>
  nodeTarget(`file:${join(mkdtempSync(join(tmpdir(), 'mifumo-suite-')), 'suite.db')}`),
);

runApiSuite('Node + PostgreSQL', async () => {
  const pg = await freshPostgres();
  return nodeTarget(pg.url, pg.drop);
});
