/**
 * The PDF renderer in a worker thread: a model in, the PDF's bytes out.
 * Rendering runs here, not in the main thread, so its memory has a hard cap
 * (the pool's resource limits) and `report --all` can use every core; the
 * database stays with the main thread.
 */
import { parentPort } from 'node:worker_threads';
import type { RenderRequest, RenderReply } from './pool.js';
import { missingGlyphs, renderHandout, renderReport } from './render.js';

async function render(req: RenderRequest): Promise<RenderReply> {
  const created = new Date(req.created);
  const { bytes, pages } = await (req.kind === 'handout' ? renderHandout(req.model, created) : renderReport(req.model, { log: req.log, created }));
  return { id: req.id, ok: true, bytes, pages, missing: missingGlyphs(JSON.stringify(req.model)) };
}

parentPort!.on('message', (req: RenderRequest) => {
  render(req).then(
    (reply) => parentPort!.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []),
    (err: unknown) => parentPort!.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies RenderReply),
  );
});
