import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);
/** Words that speak of where a requirement came from, not to a user of the project. */
const INSIDER = [/\bthe seed\b/i, /\bthe issue\b/i, /\boriginal system\b/i, /\bintegration check\b/i];
/** Paths of the machine the project was written on, outside the repository. */
const OUTSIDE = ['../shared', '/work/'];

/** The page's lines outside fenced code blocks (a fence's own lines included as blank). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6} (.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replaceAll('`', '');
    const slug = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replaceAll(' ', '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

/** What is wrong with one page's links and words, one line per problem. */
function problems(page: string): string[] {
  const file = join(ROOT, page);
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const word of INSIDER) if (word.test(text)) found.push(`says "${word.exec(text)![0]}"`);
  for (const path of OUTSIDE) if (text.includes(path)) found.push(`names ${path}, outside the repository`);
  for (const line of prose(text)) {
    // Links outside inline code: [text](target), the target without a title.
    for (const [, target] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?|mailto):/.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const linked = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      if (relative(ROOT, linked).split(sep)[0] === '..')
        found.push(`links ${target}, outside the repository`);
      else if (!existsSync(linked)) found.push(`links ${target}: no such file`);
      else if (anchor !== undefined && (!linked.endsWith('.md') || !anchors(linked).has(anchor)))
        found.push(`links ${target}: no such heading`);
    }
  }
  return found;
}

it('README.md and every docs/ page link only to files and headings that exist, inside the repository, in words for users', () => {
  expect(PAGES.length).toBeGreaterThan(10);
  expect(Object.fromEntries(PAGES.map((page) => [page, problems(page)]))).toEqual(
    Object.fromEntries(PAGES.map((page) => [page, []])),
  );
});

it('the README links every docs/ page', () => {
  const linked = new Set(
    [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]),
  );
  expect(PAGES.filter((page) => page.startsWith('docs/') && !linked.has(page))).toEqual([]);
});
