import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

/** Receives every output line of a child, without its trailing newline. */
export type LineSink = (name: string, line: string, stream: 'stdout' | 'stderr') => void;

export interface SpawnManagedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onLine?: LineSink;
  /** Called when the child exits without stop()/signal() having been called on it. */
  onUnexpectedExit?: (name: string, exit: ProcessExit) => void;
  /** How many recent output lines to keep for error messages. */
  keepLines?: number;
  /**
   * Own process group: a terminal Ctrl-C then reaches only the orchestrator, which stops
   * the children in order (services before their broker). Off by default, so that a
   * Ctrl-C on a test run also stops what the tests started.
   */
  detached?: boolean;
}

/** Grace period between SIGTERM and SIGKILL; services must exit within 10 s (SPEC 6). */
export const STOP_GRACE_MS = 10_000;

/** A child process with prefixed output, a recent-output tail and a graceful stop. */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | undefined;
  private expectingExit = false;
  private readonly tail: string[] = [];

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    private readonly options: SpawnManagedOptions = {},
  ) {
    this.exited = new Promise((resolve) => {
      const finish = (exit: ProcessExit): void => {
        if (this.exit) return;
        this.exit = exit;
        if (!this.expectingExit) options.onUnexpectedExit?.(name, exit);
        resolve(exit);
      };
      child.once('error', (error) => finish({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => finish({ code, signal }));
    });
    this.follow(child.stdout, 'stdout');
    this.follow(child.stderr, 'stderr');
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get exitStatus(): ProcessExit | undefined {
    return this.exit;
  }

  /** The last output lines, for error messages. */
  recentOutput(): string {
    return this.tail.join('\n');
  }

  /** Sends a signal, marking the coming exit as intended; resolves when the child is gone. */
  signal(signal: NodeJS.Signals): Promise<ProcessExit> {
    this.expectingExit = true;
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
  async stop(graceMs: number = STOP_GRACE_MS): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.signal('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  private follow(stream: Readable | null, kind: 'stdout' | 'stderr'): void {
    if (!stream) return;
    const keep = this.options.keepLines ?? 200;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.tail.push(line);
      if (this.tail.length > keep) this.tail.shift();
      this.options.onLine?.(this.name, line, kind);
    });
  }
}

/** Spawns `command` with piped output (see {@link ManagedProcess}). */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnManagedOptions = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  return new ManagedProcess(name, child, options);
}

/** Describes an exit for log and error messages. */
export function describeExit(exit: ProcessExit): string {
  if (exit.error) return `failed to start: ${exit.error.message}`;
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
