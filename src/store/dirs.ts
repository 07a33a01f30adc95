import fs from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p`, one folder at a time. Node's own `mkdirSync(…, { recursive: true })`
 * never returns for a path under /proc (seen on Node 20: it retries ENOENT
 * forever); made folder by folder, the first failure is an error like any other.
 */
export function makeDirectory(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode });
    } catch (err) {
      // Another process may have made it meanwhile.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
