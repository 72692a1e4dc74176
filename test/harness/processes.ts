import { type ChildProcess, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from './eventually.ts';

/**
 * Every server the harness starts runs in its own process group inside a run directory
 * `<tmp>/atrium-stack/<ownerPid>`. The run directory records the groups it started, so a run that
 * died without cleaning up (SIGKILL, power loss) is swept by the next one: its servers are killed
 * and its data removed before anything new starts.
 */
export const STACK_ROOT = join(process.env.ATRIUM_STACK_ROOT ?? tmpdir(), 'atrium-stack');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills the servers and removes the data of earlier runs whose owner process is dead. */
export function sweepStaleRuns(): string[] {
  if (!existsSync(STACK_ROOT)) return [];
  const swept: string[] = [];
  for (const name of readdirSync(STACK_ROOT)) {
    const owner = Number.parseInt(name, 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) continue;
    const dir = join(STACK_ROOT, name);
    const pidsFile = join(dir, 'pids');
    if (existsSync(pidsFile)) {
      for (const line of readFileSync(pidsFile, 'utf8').split('\n')) {
        const pid = Number.parseInt(line, 10);
        if (Number.isInteger(pid) && pid > 0) killGroup(pid, 'SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

/** Asks the kernel for a free loopback port. A server that loses the race is restarted on another. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port assigned'));
      server.close(() => resolve(address.port));
    });
  });
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the whole group is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once: how a crash looks to its clients. */
  kill(): Promise<void>;
}

export class RunDirectory {
  readonly path: string;
  readonly #processes = new Set<ManagedProcess>();
  #exitHooked = false;

  constructor() {
    sweepStaleRuns();
    this.path = join(STACK_ROOT, `${process.pid}-${Date.now()}`);
    mkdirSync(this.path, { recursive: true });
  }

  dir(name: string): string {
    const path = join(this.path, name);
    mkdirSync(path, { recursive: true });
    return path;
  }

  spawn(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ManagedProcess {
    this.#hookExit();
    const logFile = join(this.path, `${name}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child: ChildProcess = spawn(command, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const pid = child.pid;
    writeFileSync(join(this.path, 'pids'), `${pid}\n`, { flag: 'a' });
    let exitedFlag = false;
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        exitedFlag = true;
        resolve(code);
      });
      child.once('error', () => {
        exitedFlag = true;
        resolve(null);
      });
    });
    const managed: ManagedProcess = {
      name,
      pid,
      logFile,
      exited,
      hasExited: () => exitedFlag,
      stop: async (graceMs = 5_000) => {
        if (!exitedFlag) {
          killGroup(pid, 'SIGTERM');
          const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
          if (timedOut) killGroup(pid, 'SIGKILL');
          await exited;
        }
        killGroup(pid, 'SIGKILL');
        this.#processes.delete(managed);
      },
      kill: async () => {
        killGroup(pid, 'SIGKILL');
        await exited;
        this.#processes.delete(managed);
      },
    };
    this.#processes.add(managed);
    return managed;
  }

  /** Stops every process this run started and removes the run directory. */
  async close(): Promise<void> {
    await Promise.all([...this.#processes].map((p) => p.stop()));
    if (!process.env.ATRIUM_KEEP_STACK) rmSync(this.path, { recursive: true, force: true });
  }

  #hookExit(): void {
    if (this.#exitHooked) return;
    this.#exitHooked = true;
    // Last resort when the owner exits without close(): no server outlives its run.
    process.once('exit', () => {
      for (const p of this.#processes) killGroup(p.pid, 'SIGKILL');
    });
  }
}

export function readLogTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Polls `probe` until it returns true. Fails early if the server process exits, with the tail of
 * its log, so a broken start is reported instead of timing out.
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  let lastError: unknown;
  const state = await eventually(
    async () => {
      if (proc.hasExited()) return 'exited';
      try {
        return (await probe()) ? 'ready' : 'starting';
      } catch (error) {
        lastError = error;
        return 'starting';
      }
    },
    (state) => state !== 'starting',
    { timeoutMs, intervalMs: 100 },
  );
  // Not the described form: a failed start is reported with the tail of the server's own log.
  if (state === 'exited') {
    throw new Error(`${proc.name} exited during start-up:\n${readLogTail(proc.logFile)}`);
  }
  if (state === 'starting') {
    throw new Error(
      `${proc.name} was not ready within ${timeoutMs} ms (${String(lastError)}):\n${readLogTail(proc.logFile)}`,
    );
  }
}
