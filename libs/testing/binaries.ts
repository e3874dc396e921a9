import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Absolute path of an executable, looked up on PATH and then in Go's bin directories
 * (where scripts/install-tools.sh puts nats-server and ferretdb).
 */
export function findBinary(name: string): string {
  const goDirs = goBinDirs();
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...goDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new Error(
    `${name} not found on PATH or in ${goDirs.join(', ')}; run scripts/install-tools.sh`,
  );
}

function goBinDirs(): string[] {
  const dirs = new Set<string>();
  if (process.env.GOBIN) dirs.add(process.env.GOBIN);
  if (process.env.GOPATH) dirs.add(join(process.env.GOPATH, 'bin'));
  const gopath = goEnvGopath();
  if (gopath) dirs.add(join(gopath, 'bin'));
  dirs.add(join(homedir(), 'go', 'bin'));
  dirs.add('/root/go/bin');
  return [...dirs];
}

function goEnvGopath(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
