import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('is the embedding example the README shows, whole', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const shop = readFileSync(new URL('./shop.ts', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${shop}\`\`\``);
});
