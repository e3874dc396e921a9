import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from './repo-root';
import { waitFor } from './wait-for';

interface BuildResult {
  ok: boolean;
  output: string;
}

const MARKER_PREFIX = 'call-campaigns-build-';
let builtInThisProcess: BuildResult | undefined;

/**
 * Runs `npm run build` once per jest run, so that end-to-end tests spawn the current code
 * from dist/. Jest workers are separate processes: the first to get here takes a lock
 * directory keyed by TEST_RUN_ID (set in global-setup) and builds; the others wait for its
 * result. Set TEST_SKIP_BUILD=1 when dist/ is known to be fresh.
 */
export async function buildOnce(timeoutMs = 300_000): Promise<void> {
  if (process.env.TEST_SKIP_BUILD === '1') return;
  const runId = process.env.TEST_RUN_ID;
  const result = runId ? await buildShared(markerDir(runId), timeoutMs) : (builtInThisProcess ??= build());
  if (!result.ok) throw new Error(`npm run build failed:\n${result.output}`);
}

/** Removes this run's markers; called from global-teardown. */
export function clearBuildMarkers(): void {
  const runId = process.env.TEST_RUN_ID;
  if (runId) rmSync(markerDir(runId), { recursive: true, force: true });
}

async function buildShared(dir: string, timeoutMs: number): Promise<BuildResult> {
  const resultFile = join(dir, 'result.json');
  if (tryLock(dir)) {
    const result = build();
    writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
    // rename is atomic, so waiters never read a half-written file.
    renameSync(`${resultFile}.tmp`, resultFile);
    return result;
  }
  return waitFor(() => readResult(resultFile), {
    timeoutMs,
    intervalMs: 200,
    description: 'the build started by another jest worker',
  });
}

function build(): BuildResult {
  const run = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: findRepoRoot(__dirname),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  return { ok: run.status === 0, output };
}

function tryLock(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readResult(file: string): BuildResult | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildResult;
  } catch {
    return undefined;
  }
}

function markerDir(runId: string): string {
  return join(tmpdir(), `${MARKER_PREFIX}${runId}`);
}
