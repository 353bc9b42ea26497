#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` writes lib/).
import { main } from "../lib/cli/main.js";

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
