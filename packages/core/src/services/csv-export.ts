import { type CsvCell, csvLine } from '../domain/csv';

/** Where a page of an export ends, and the next begins after: its last row's (created_at, id). */
export interface Keyset {
  created_at: string;
  id: string;
}

/** What an export reads and writes: its columns, its rows a page at a time, and each row's cells. */
export interface CsvSource<R extends Keyset> {
  header: readonly string[];
  /** Up to `limit` rows after `after` (from the first when null), oldest first by (created_at, id). */
  page(after: Keyset | null, limit: number): Promise<R[]>;
  /** A row's cells, in the header's order. */
  cells(row: R): CsvCell[];
}

/**
 * A CSV file (RFC 4180, CRLF line ends, UTF-8) as a Web stream, read from the database in keyset pages
 * of `pageRows`: each page seeks past the last row of the one before, so none reads more than it writes,
 * and the stream asks for a page only when its reader wants more (no read ahead), so at most one page is
 * held however large the file and however slow the client.
 *
 * The header and the first page are read before it resolves: a failure there rejects, and the caller
 * can still answer an error. A failure on a later page is passed to `onError` and errors the stream:
 * the response is cut off before its last chunk (after the last whole page), which clients report as an
 * incomplete transfer rather than a short file.
 */
export async function csvStream<R extends Keyset>(
  source: CsvSource<R>,
  options: { pageRows: number; onError: (error: unknown) => void },
): Promise<ReadableStream<Uint8Array>> {
  const { pageRows, onError } = options;
  const encoder = new TextEncoder();
  const lines = (rows: R[]) => rows.map((row) => csvLine(source.cells(row))).join('');
  const firstRows = await source.page(null, pageRows);
  let first: Uint8Array | null = encoder.encode(csvLine(source.header) + lines(firstRows));
  let last = firstRows.at(-1);
  let done = firstRows.length < pageRows;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (first) {
          controller.enqueue(first);
          first = null;
        } else {
          let rows: R[];
          try {
            rows = await source.page({ created_at: last!.created_at, id: last!.id }, pageRows);
          } catch (error) {
            onError(error);
            controller.error(error);
            return;
          }
          if (rows.length > 0) controller.enqueue(encoder.encode(lines(rows)));
          last = rows.at(-1);
          done = rows.length < pageRows;
        }
        if (done) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
