import { PassThrough, Writable } from 'node:stream';
import { IO } from '../../src/cli/io.js';

/** An IO over buffers, as a script sees it (no terminal): what main wrote to each stream. */
export function bufferIO(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (chunk, _enc, done) => (into.push(String(chunk)), done()) });
  const stdin = new PassThrough();
  stdin.end();
  return { io: new IO({ stdout: sink(out), stderr: sink(err), stdin, env }), stdout: () => out.join(''), stderr: () => err.join('') };
}
