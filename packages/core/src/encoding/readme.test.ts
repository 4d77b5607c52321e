import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { analyzeMessage } from './analyze';

const API = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8');

/** A value as the API page's comment writes it: 'text', ['a', 'b'], null or a number. */
function writtenValue(written: string): unknown {
  if (written === 'null') return null;
  if (written.startsWith("'")) return written.slice(1, -1);
  if (written.startsWith('[')) return [...written.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  return Number(written);
}

it('answers the API page’s analyzeMessage example with what its comment shows', () => {
  const [, text, comment] = /```ts\nanalyzeMessage\('([^']*)'\);\n([\s\S]*?)```/.exec(API)!;
  const shown = Object.fromEntries(
    [...comment!.replace(/\/\/ ?/g, '').matchAll(/(\w+): ('[^']*'|\[[^\]]*\]|[\w.-]+)/g)].map((m) => [
      m[1],
      writtenValue(m[2]!),
    ]),
  );
  const result = analyzeMessage(text!);
  expect(Object.keys(shown).length).toBeGreaterThanOrEqual(8);
  for (const [field, value] of Object.entries(shown))
    expect(result[field as keyof typeof result], field).toEqual(value);
  // `text` (the normalised text) is shown as …: here it is the input itself.
  expect(comment).toContain('text: …');
  expect(result.text).toBe(text);
});
