// The whole Worker: the gateway, configured by wrangler.toml's bindings and variables.
import { createWorker } from '@mifumo/runtime-workers';

export default createWorker(); // { fetch, scheduled, queue }
