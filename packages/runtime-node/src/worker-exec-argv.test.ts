import { expect, it } from 'vitest';
import { workerExecArgv } from './worker-exec-argv';

it('keeps Node options but those that load or resolve modules, in either form', () => {
  expect(
    workerExecArgv([
      '--cpu-prof',
      '--conditions=@mifumo/source',
      '--conditions',
      'development',
      '-C',
      'x',
      '--import',
      'tsx',
      '--import=tsx',
      '--require',
      './suppress.cjs',
      '-r',
      'y.cjs',
      '--experimental-loader=z.mjs',
      '--max-semi-space-size=4',
      '--cpu-prof-dir=/tmp/p',
    ]),
  ).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
});

it('leaves out V8 heap options, which a worker refuses and which hold for the whole process already', () => {
  expect(
    workerExecArgv(['--expose-gc', '--max-semi-space-size=4', '--max_old_space_size=512', '--inspect=0']),
  ).toEqual(['--inspect=0']);
});
