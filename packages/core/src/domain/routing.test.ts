import { expect, it } from 'vitest';
import { carriersFor, preferCarrier } from './routing';

const routes = [
  { operators: ['vodacom'], carriers: ['smpp', 'dev'] },
  { prefixes: ['+255'], carriers: ['dev'] },
];

it.each([
  ['+255754000111', 'vodacom', ['smpp', 'dev']],
  ['+255681234567', 'airtel', ['dev']],
  ['+14155552671', null, []],
])('%s (%s) goes to %j', (phone, op, carriers) => {
  expect(carriersFor(phone, op, routes, ['smpp', 'dev'])).toEqual(carriers);
});

it('sends everything to every carrier in order when there are no routes', () => {
  expect(carriersFor('+14155552671', null, [], ['a', 'b'])).toEqual(['a', 'b']);
});

it('a route with neither operators nor prefixes catches all', () => {
  expect(carriersFor('+14155552671', null, [{ carriers: ['x'] }], ['x'])).toEqual(['x']);
});

it.each([
  [['a', 'b', 'c'], 'b', ['b', 'a', 'c']],
  [['a', 'b'], 'a', ['a', 'b']],
  [['a', 'b'], 'z', ['a', 'b']],
  [['a', 'b'], null, ['a', 'b']],
  [[], 'a', []],
] as const)('preferCarrier(%j, %j) → %j', (route, preferred, expected) => {
  expect(preferCarrier(route, preferred)).toEqual(expected);
});
