#!/usr/bin/env node
// The `voc` command runs the compiled CLI; `npm install` builds it (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('voc: dist/cli.js is missing; run `npm run build` in the project directory first\n');
  process.exit(1);
}
await import(cli);
