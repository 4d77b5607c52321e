// The Worker the tests run inside workerd: the runtime as a user deploys it, configured by variables,
// on a clock the tests move forward (`advanceClock`: a request to http://clock.test/advance?ms=…), so
// what is scheduled comes due without waiting for it.
import { createWorker } from '../src';

let offset = 0;
const worker = createWorker({ clock: { now: () => Date.now() + offset } });

export default {
  ...worker,
  fetch(...[request, env, ctx]: Parameters<typeof worker.fetch>) {
    const url = new URL(request.url);
    if (url.host !== 'clock.test') return worker.fetch(request, env, ctx);
    offset += Number(url.searchParams.get('ms'));
    return new Response(null, { status: 204 });
  },
};
