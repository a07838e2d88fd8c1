// Parse an AsyncAPI document with the official parser; print every diagnostic,
// exit 1 if any is an error. Usage: node validate.mjs path/to/asyncapi.json
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Parser, fromFile } from '@asyncapi/parser';

const path = resolve(process.argv[2]);
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, path).parse();
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) {
  console.log(`${['error', 'warning', 'info', 'hint'][d.severity]} ${d.code} ${d.path.join('/')}: ${d.message}`);
}
if (!document || errors.length) {
  console.log(`${errors.length} error(s): ${path} is not a valid AsyncAPI document`);
  process.exit(1);
}
console.log(`valid AsyncAPI ${document.version()}: ${path}`);
