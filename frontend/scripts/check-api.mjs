// Fails when src/api/schema.d.ts is not what openapi-typescript makes of ../openapi.yaml.
// Fix with `npm run gen:api` (and regenerate openapi.yaml with `madoguchi openapi` first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-api-'));
const fresh = join(dir, 'schema.d.ts');
try {
  execFileSync('npx', ['--no-install', 'openapi-typescript', '../openapi.yaml', '-o', fresh], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const committed = readFileSync('src/api/schema.d.ts', 'utf8');
  if (readFileSync(fresh, 'utf8') !== committed) {
    console.error('check:api: src/api/schema.d.ts is stale: run `npm run gen:api` and commit it.');
    process.exit(1);
  }
  console.log('check:api: src/api/schema.d.ts matches openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
