// Prints per-category precision/recall over the annotated fixtures and every mismatch.
import * as path from 'node:path';
import { runFixtures } from '../test/harness';

const root = path.resolve(__dirname, '../test/fixtures');
const filter = process.argv[2];
const t0 = Date.now();
const r = runFixtures(root, filter ? (rel) => rel.includes(filter) : undefined);
const cats = new Set(r.expectations.map((e) => e.category));
for (const c of cats) {
  const exp = r.expectations.filter((e) => e.kind === 'expect' && e.category === c).length;
  const fp = r.mismatches.filter((m) => m.kind === 'unexpected' && m.category === c).length;
  const fn = r.mismatches.filter((m) => m.kind === 'missing' && m.category === c).length;
  const tp = exp - fn;
  console.log(`${c}: expected ${exp}, tp ${tp}, fp ${fp}, fn ${fn}, precision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / Math.max(1, exp)).toFixed(3)}`);
}
for (const m of r.mismatches) console.log(`${m.kind.padEnd(14)} ${m.file}:${m.line} [${m.category}] ${m.message ?? ''}`);
console.log(`${r.files.length} files, ${r.findings.length} findings, ${Date.now() - t0} ms`);
