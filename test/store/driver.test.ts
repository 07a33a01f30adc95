import { describe, expect, it } from 'vitest';
import { driverFailure } from '../../src/store/better-sqlite.js';

describe('a SQLite driver built for another Node.js (issue 19)', () => {
  it('is one line ending in the remedy, naming both module versions', () => {
    const err = Object.assign(
      new Error(
        "The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 127. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const e = driverFailure(err)!;
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(/built for NODE_MODULE_VERSION 115; Node\.js [\d.]+ needs 127\): run "npm rebuild better-sqlite3" where bridgefit is installed$/);
    expect(e.code).toBe('driver');
  });

  it('leaves any other error alone', () => {
    expect(driverFailure(new Error('disk I/O error'))).toBeUndefined();
  });
});

describe('a busy database (issue 20: 10)', () => {
  it('does not claim the lock holder was bridgefit', async () => {
    const { translateSqliteError, StoreError } = await import('../../src/store/errors.js');
    const e = translateSqliteError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), '/x/c.db') as InstanceType<typeof StoreError>;
    expect(e.code).toBe('busy');
    expect(e.message).toBe('/x/c.db is busy: another program (another bridgefit, or a tool with the file open) is writing to it; try again');
  });
});
