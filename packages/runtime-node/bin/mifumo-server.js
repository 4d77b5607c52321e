#!/usr/bin/env node
// The gateway as `npm start` runs it, configured by environment variables (README: Configuration).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
