import test from 'ava';
import { readAvaCounts } from './ava-counts.ts';

test('ava counts: passes, failures of every kind and skips are read from its summary', (t) => {
  const output = [
    '  ✔ api › courses › a teacher creates a course (1.2s)',
    '  ✘ [fail]: api › courses › a student cannot',
    '  ─',
    '',
    '  2 known failures',
    '  1 test failed',
    '  \u001b[32m224 tests passed\u001b[39m',
    '  3 tests skipped',
    '  1 test todo',
    '  1 uncaught exception',
    '  2 unhandled rejections',
  ].join('\n');
  t.deepEqual(readAvaCounts(output), { passed: 224, failed: 6, skipped: 4 });
});

test('ava counts: a test title that reads like a count is not one', (t) => {
  const output = '  ✔ api › 3 tests passed is what a title may say (1s)\n  1 test passed\n';
  t.deepEqual(readAvaCounts(output), { passed: 1, failed: 0, skipped: 0 });
});

test('ava counts: when a test failed, ava prints no passed count; the passed tests are counted from their lines', (t) => {
  const output = [
    '  ✔ chart › renders (1.6s)',
    '  ✔ chart › lints (4.4s)',
    '  ✘ [fail]: faults › crash',
    '  ─',
    '  1 test failed',
  ].join('\n');
  t.deepEqual(readAvaCounts(output), { passed: 2, failed: 1, skipped: 0 });
});
