import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binaryPath } from '../harness/binaries.ts';

const exec = promisify(execFile);

/** One sample of a Prometheus text exposition: its metric name, labels (values as escaped there) and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: string;
}

export interface Exposition {
  samples: Sample[];
  /** Metric families the target declares (`# HELP`), with or without samples yet. */
  families: Set<string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses what a /metrics endpoint answered (the text format prom-client writes). */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const help = /^# HELP (\S+)/.exec(line);
    if (help?.[1]) families.add(help[1]);
    if (line.startsWith('#') || !line.trim()) continue;
    const match = SAMPLE.exec(line);
    if (!match?.[1] || !match[3]) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key as string] = value as string;
    samples.push({ name: match[1], labels, value: match[3] });
  }
  return { samples, families };
}

/** A series as promtool's input_series writes it: `name{label="value",…}`, labels sorted. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const body = Object.keys(labels)
    .sort()
    .map((key) => `${key}="${labels[key]}"`)
    .join(',');
  return `${name}{${body}}`;
}

/**
 * Scrapes of several targets, one round after another, as Prometheus would store them: every
 * sample carries its target's labels (namespace, pod, job, instance, as the Prometheus Operator
 * adds them), and a target that stops answering leaves a staleness marker, then gaps.
 */
export class ScrapeTimeline {
  readonly #values = new Map<string, string[]>();
  readonly #targets = new Map<string, Set<string>>();
  readonly families = new Set<string>();
  #rounds = 0;

  get rounds(): number {
    return this.#rounds;
  }

  /** Records one round: for each target, its labels and what it answered (undefined: no answer). */
  record(scrapes: Array<{ target: Record<string, string>; exposition: Exposition | undefined }>): void {
    const round = this.#rounds++;
    for (const { target, exposition } of scrapes) {
      const id = seriesKey('target', target);
      const before = this.#targets.get(id) ?? new Set<string>();
      const now = new Set<string>();
      for (const family of exposition?.families ?? []) this.families.add(family);
      for (const sample of exposition?.samples ?? []) {
        const key = seriesKey(sample.name, { ...sample.labels, ...target });
        now.add(key);
        this.#set(key, round, sample.value);
      }
      // A series gone from an answer, or a target that did not answer, is marked stale at once.
      for (const key of before) if (!now.has(key)) this.#set(key, round, 'stale');
      this.#targets.set(id, now);
    }
  }

  #set(key: string, round: number, value: string): void {
    const values = this.#values.get(key) ?? [];
    this.#values.set(key, values);
    values[round] = value;
  }

  /** The series for a promtool test (`_`: no sample in that round), one round a minute. */
  inputSeries(filter: (key: string) => boolean = () => true): Array<{ series: string; values: string }> {
    return [...this.#values]
      .filter(([key]) => filter(key))
      .map(([series, values]) => ({
        series,
        values: Array.from({ length: this.#rounds }, (_, i) => values[i] ?? '_').join(' '),
      }));
  }
}

/**
 * Runs `promtool` with files written to a fresh folder; resolves with its output, or rejects with
 * it (`stdout`, `stderr`) and leaves the folder (`dir`) to be read or run again by hand.
 */
export async function promtool(
  args: (dir: string) => string[],
  files: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-promtool-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const bin = await binaryPath('promtool');
  try {
    const { stdout, stderr } = await exec(bin, args(dir), { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    rmSync(dir, { recursive: true, force: true });
    return { stdout, stderr };
  } catch (error) {
    throw Object.assign(error as Error, { dir });
  }
}
