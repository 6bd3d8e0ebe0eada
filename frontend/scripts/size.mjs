// Prints the gzipped size of the first load (index.html's scripts and styles) and fails the
// build above the budget of issue 6: 60 KB of JS + CSS.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 60 * 1024;
const html = readFileSync('dist/index.html', 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let total = 0;
for (const file of files) {
  const raw = readFileSync(`dist/${file}`);
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`size: ${file} ${statSync(`dist/${file}`).size} B, ${gz} B gzipped`);
}
console.log(`size: first load ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('size: over budget');
  process.exit(1);
}
