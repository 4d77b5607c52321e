/** Polls `read` every 50 ms until `done` holds (`ms`, 20 s by default, at most: CI runs loaded); the last value read. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  let value = await read();
  for (let waited = 0; waited < ms && !done(value); waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
