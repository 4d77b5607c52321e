#!/usr/bin/env node
// The mifumo CLI (README: The mifumo CLI), from the package's build.
await import('../dist/cli/main.js');
