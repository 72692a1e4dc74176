import { stripVTControlCharacters } from 'node:util';

/**
 * Ava's closing counts ("226 tests passed", "1 test failed", "2 uncaught exceptions", …), read
 * from what it prints, so the run can end on one plain line CI reads: `tests: N passed, N failed`.
 */
export interface AvaCounts {
  passed: number;
  failed: number;
  skipped: number;
}

const COUNT_LINE =
  /^\s*(\d+) (tests? passed|tests? failed|known failures?|uncaught exceptions?|unhandled rejections?|tests? skipped|tests? todo|tests? remained pending after a timeout)\s*$/;

/** A test ava reports as passed, one line each (when something failed, its summary omits passes). */
const PASSED_TEST = /^\s*✔ /;

export function readAvaCounts(output: string): AvaCounts {
  const counts: AvaCounts = { passed: 0, failed: 0, skipped: 0 };
  let passedLines = 0;
  for (const raw of output.split('\n')) {
    const line = stripVTControlCharacters(raw);
    if (PASSED_TEST.test(line)) passedLines++;
    const match = COUNT_LINE.exec(line);
    if (!match) continue;
    const n = Number(match[1]);
    const what = match[2] ?? '';
    if (what.endsWith('passed')) counts.passed += n;
    else if (what.endsWith('skipped') || what.endsWith('todo')) counts.skipped += n;
    else counts.failed += n;
  }
  counts.passed = Math.max(counts.passed, passedLines);
  return counts;
}
