import { expect, it } from 'vitest';
import { commandLineOf, parseCommandLine } from './command-line';

it('reads words, options as --name value or --name=value, and flags', () => {
  expect(
    parseCommandLine(['numbers', 'add', '--account', 'acc_1', '--number=15678', '--json', '-h']),
  ).toEqual({
    positionals: ['numbers', 'add'],
    values: { account: 'acc_1', number: '15678', json: true, help: true },
  });
  // A negative number is a word; a value may start with a single dash or hold an =.
  expect(parseCommandLine(['accounts', 'topup', 'acc_1', '-5', '--footer', '-x=y'])).toEqual({
    positionals: ['accounts', 'topup', 'acc_1', '-5'],
    values: { footer: '-x=y' },
  });
  expect(parseCommandLine(['--footer=--json']).values).toEqual({ footer: '--json' });
});

it('refuses, naming it, an unknown option, a flag given a value and an option without its value', () => {
  expect(() => parseCommandLine(['keys', 'list', '--acount', 'x'])).toThrow("Unknown option '--acount'");
  expect(() => parseCommandLine(['-x'])).toThrow("Unknown option '-x'");
  expect(() => parseCommandLine(['--json=yes'])).toThrow("Option '--json' takes no value");
  expect(() => parseCommandLine(['keys', 'list', '--account'])).toThrow(
    "Option '--account <value>' needs a value",
  );
  expect(() => parseCommandLine(['--footer', '--json'])).toThrow('write --footer=<value>');
  // Not an option because it is a property every object has.
  expect(() => parseCommandLine(['--constructor', 'x'])).toThrow("Unknown option '--constructor'");
});

it('writes back a command line that reads the same', () => {
  const parsed = parseCommandLine([
    'compliance',
    'set',
    'acc_1',
    '--footer',
    'Tuma --ACHA-- kwenda {number}',
    '--quiet-hours=21:00-07:00',
    '--unassigned',
  ]);
  expect(commandLineOf(parsed)).toEqual([
    'compliance',
    'set',
    'acc_1',
    '--footer=Tuma --ACHA-- kwenda {number}',
    '--quiet-hours=21:00-07:00',
    '--unassigned',
  ]);
  expect(parseCommandLine(commandLineOf(parsed))).toEqual(parsed);
});
