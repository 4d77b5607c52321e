#!/usr/bin/env node
// The gateway as `npm start` runs it, configured by environment variables (README: Configuration), from the package's build.
await import('../dist/main.js');
