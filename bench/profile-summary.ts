/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time by package or source folder,
 * and the hottest functions. Used to find where the API spends its CPU under load:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/atrium-prof --import tsx bench/overhead.ts --profile-only
 *   npx tsx bench/profile-summary.ts /tmp/atrium-prof/<file>.cpuprofile [--top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top=N]');
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function group(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const repo = url.match(/\/(api|contract|bench|test)\/src?\/?(.*)$/);
  if (repo) return `${repo[1]}/${(repo[2] ?? '').split('/').slice(0, -1).join('/') || '.'}`;
  return url.replace(/^file:\/\//, '');
}

const total = [...selfUs.values()].reduce((s, x) => s + x, 0);
const groups = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { url, functionName, lineNumber } = node.callFrame;
  const g = group(url, functionName);
  groups.set(g, (groups.get(g) ?? 0) + us);
  const short = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${short}`.trim();
  functions.set(key, (functions.get(key) ?? 0) + us);
}

const idle = groups.get('(idle)') ?? 0;
const busy = total - idle;
console.log(
  `profile ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s wall, ` +
    `${(busy / 1e6).toFixed(1)} s on CPU (main thread), idle ${((idle / total) * 100).toFixed(0)}%`,
);
console.log('\nself time by package / folder (% of non-idle time)');
for (const [g, us] of [...groups]
  .filter(([g]) => g !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(
    `  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${g}`,
  );
}
console.log('\nhottest functions (self time)');
for (const [f, us] of [...functions]
  .filter(([f]) => !f.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(
    `  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${f}`,
  );
}

// Inclusive time of the project's own functions (what each step costs with everything it calls).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (node: Node) => {
  const { url, functionName, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
};
const inclusive = new Map<string, number>();
for (const [i, id] of profile.samples.entries()) {
  const delta = profile.timeDeltas[i] ?? 0;
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const node = byId.get(cur);
    if (!node || !/\/(api|contract)\/src\//.test(node.callFrame.url)) continue;
    const key = keyOf(node);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
  }
}
console.log('\nproject functions, inclusive time (synchronous part of each call and what it calls)');
for (const [f, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(
    `  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${f}`,
  );
}
