// npm run interop:schema — writes programme.schema.json from the format's definition in
// programme-json.ts; a test fails when the committed file and the definition differ.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { programmeJsonSchema } from './programme-json.ts';

export const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'programme.schema.json');

export function schemaText(): string {
  return `${JSON.stringify(programmeJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
