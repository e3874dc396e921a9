import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The monorepo root: the nearest ancestor of `from` holding a package.json. Works from the
 * TypeScript sources and from their compiled copies under dist/ (which has no package.json).
 */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
