import { expect, it } from 'vitest';
import { yieldToEventLoop } from './event-loop';

it('lets long loops take turns: however many run at once, a short task waits for one slice between its steps', async () => {
  let slices = 0;
  const long = async () => {
    for (let i = 0; i < 20; i++) {
      slices++;
      await yieldToEventLoop();
    }
  };
  const loops = Promise.all([long(), long(), long(), long()]);
  // A short request's steps, each a macrotask of its own (I/O, a timer), as a balance read's are.
  const waited: number[] = [];
  for (let step = 0; step < 20; step++) {
    const before = slices;
    await new Promise((resolve) => setTimeout(resolve, 0));
    waited.push(slices - before);
  }
  await loops;
  expect(slices).toBe(80);
  expect(Math.max(...waited)).toBeLessThanOrEqual(1);
});
