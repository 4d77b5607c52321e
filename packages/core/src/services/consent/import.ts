import type { Clock } from '../../clock';
import { iso } from '../../clock';
import type { MifumoConfig } from '../../config';
import type { Store } from '../../storage/store';
import {
  type CsvSpec,
  csvRows,
  failedRows,
  type ImportReport,
  type ImportRow,
  jsonRows,
  receivedRows,
  type ValidRow,
  validRows,
} from '../contact-import';
import { type OptOutInput, optOutSchema } from './schemas';
import type { ConsentStatements } from './statements';

/** An import's rows: a CSV header `phone_number[,reason]`. */
const OPT_OUT_CSV: CsvSpec = {
  columns: ['phone_number', 'reason'],
  required: ['phone_number'],
  read(values, column, text) {
    values[column] = column === 'reason' && text === '' ? null : text;
  },
};

const oversized = (values: Record<string, unknown>) => {
  const fields = Object.keys(values).length;
  return fields > OPT_OUT_CSV.columns.length
    ? { field: null, reason: `has ${fields} fields; an opt-out has phone_number and reason` }
    : null;
};

export interface OptOutImportReport extends Omit<ImportReport, 'updated'> {
  /** Already opted out: left as they were. */
  skipped: number;
}

/** Opt-out imports (source `import`), JSON or CSV: every new one in one atomic step, or none. */
export function createOptOutImport(deps: {
  store: Store;
  clock: Clock;
  config: MifumoConfig;
  statements: ConsentStatements;
}) {
  const { store, clock, config } = deps;
  const { optOutStatements } = deps.statements;
  const phoneOptions = { defaultRegion: config.defaultRegion, strict: config.messages.strictPhoneValidation };
  const maxRows = config.contacts.maxImportRows;

  /** Imports opt-outs (source `import`): every new one in one atomic step, or none; bad rows reported. */
  async function importRows(
    accountId: string,
    rows: readonly ImportRow[],
    apiKeyId: string | undefined,
    earlier: ImportReport['errors'] = [],
  ): Promise<OptOutImportReport> {
    const received = receivedRows(rows, earlier, maxRows);
    const errors = [...earlier];
    const valid: ValidRow<OptOutInput>[] = await validRows(rows, errors, {
      schema: optOutSchema,
      phoneOptions,
      oversized,
    });
    errors.sort((a, b) => a.row - b.row);
    const queries = optOutStatements(
      accountId,
      valid.map((v) => ({ phone: v.phone, reason: v.input.reason ?? null })),
      { source: 'import', apiKeyId },
      iso(clock.now()),
    );
    const results = await store.atomic(queries);
    const created = results
      .filter((_, i) => i % 2 === 0)
      .reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
    return {
      received,
      created,
      skipped: valid.length - created,
      failed: failedRows(errors),
      errors,
    };
  }

  return {
    /** A JSON array of `{ phone_number, reason? }`. */
    async importJson(accountId: string, text: string, apiKeyId?: string) {
      const { rows, errors } = jsonRows(text, maxRows, 'opt-outs');
      return importRows(accountId, rows, apiKeyId, errors);
    },
    /** A CSV with the header `phone_number[,reason]`. */
    async importCsv(accountId: string, text: string, apiKeyId?: string) {
      const { rows, errors } = await csvRows(text, maxRows, OPT_OUT_CSV);
      return importRows(accountId, rows, apiKeyId, errors);
    },
  };
}
