// The Worker the tests run inside workerd: the runtime as a user deploys it, configured by variables.
import { createWorker } from '../src';

export default createWorker();
