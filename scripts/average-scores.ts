/**
 * Average several score files (same architectures, `index,score[,neg_loss]`) into one: e.g. the derive scores of a
 * supernet's last checkpoints, whose single readings fluctuate from checkpoint to checkpoint.
 * Usage: node --import tsx scripts/average-scores.ts OUT.csv A.csv B.csv ...
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/io/atomic-write.js';

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  console.error('usage: average-scores OUT.csv A.csv B.csv ...');
  process.exit(2);
}
const sums = new Map<string, number[]>();
const counts = new Map<string, number>();
let header = '';
for (const file of files) {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (header && head !== header) throw new Error(`${file}: header '${head}' differs from '${header}'`);
  header = head;
  for (const line of lines) {
    const [index, ...values] = line.split(',');
    const acc = sums.get(index) ?? values.map(() => 0);
    values.forEach((v, k) => (acc[k] += Number(v) / files.length));
    sums.set(index, acc);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
}
// Every file must score every architecture (once), or the average would mix different counts.
for (const [index, n] of counts) {
  if (n !== files.length) throw new Error(`architecture ${index} has ${n} rows in ${files.length} files`);
}
const rows = [...sums].sort((a, b) => Number(a[0]) - Number(b[0]));
writeFileAtomic(out, [header, ...rows.map(([i, v]) => [i, ...v].join(','))].join('\n') + '\n');
console.log(`${out}: ${rows.length} architectures, mean of ${files.length} files`);
