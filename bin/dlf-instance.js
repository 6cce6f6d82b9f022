#!/usr/bin/env node
// Entry point of `npx dlf-instance`: the compiled CLI (built by `npm ci` / `npm run build`).
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
