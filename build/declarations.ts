// The type declarations of the package in the current directory, bundled into dist/ (npm runs this as the
// packages' `prepack`, after `tsc -b`): one .d.ts beside each entry its `exports` name, their shared parts
// in chunks, other packages left as imports. The input is what `tsc -b` emitted for the package's sources
// in .tsc/; bundling makes every import inside the declarations one a published package can resolve
// (tsc's own files keep the sources' extensionless relative imports, which `moduleResolution: nodenext`
// does not follow).
import { readdirSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { exportedEntries } from './package-exports';

const packageDir = pathToFileURL(`${process.cwd()}/`);
const input = Object.fromEntries(
  Object.entries(exportedEntries(packageDir)).map(([name, source]) => [
    name,
    source.replace(/^\.\/src\//, '.tsc/').replace(/\.ts$/, '.d.ts'),
  ]),
);
// The declarations of an earlier pack go first (their chunks' names change with their content).
for (const file of readdirSync('dist', { recursive: true, encoding: 'utf8' }))
  if (file.endsWith('.d.ts')) rmSync(`dist/${file}`);
const bundle = await rollup({
  input,
  plugins: [dts({ respectExternal: true })],
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
});
await bundle.write({
  dir: 'dist',
  format: 'es',
  entryFileNames: '[name].d.ts',
  // A chunk is named after its first module (`contract.d.ts`): `contract-[hash].d.ts`.
  chunkFileNames: (chunk) => `${chunk.name.replace(/\.d$/, '')}-[hash].d.ts`,
});
await bundle.close();
