import { defineConfig } from 'tsup';
import { packageBuild } from '../../build/tsup-package';

export default defineConfig(
  packageBuild(new URL('./', import.meta.url), {
    platform: 'node',
    scripts: { main: 'src/main.ts', 'cli/main': 'src/cli/main.ts', 'work-thread': 'src/work-thread.ts' },
  }),
);
