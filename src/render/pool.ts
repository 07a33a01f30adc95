/**
 * Worker threads that render PDFs (worker.ts). Each has a hard heap limit, so
 * `report --all` stays within its memory however many clients there are, and
 * a report too big for it fails alone: the worker is replaced and the batch
 * goes on.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HandoutModel } from '../domain/handout.js';
import type { ReportModel } from '../domain/report.js';

export type RenderRequest =
  | { id: number; kind: 'report'; model: ReportModel; log: boolean; created: number }
  | { id: number; kind: 'handout'; model: HandoutModel; created: number };

/** A request as the caller gives it: the pool numbers it. */
export type RenderJob = RenderRequest extends infer R ? (R extends RenderRequest ? Omit<R, 'id'> : never) : never;

export type RenderReply = { id: number; ok: true; bytes: Uint8Array; pages: number; missing: string[] } | { id: number; ok: false; error: string };

export interface Rendered {
  bytes: Uint8Array;
  pages: number;
  /** Characters no embedded font has: drawn as boxes. */
  missing: string[];
}

export class RenderError extends Error {}

/**
 * Heap per worker, in MB. A report's live data is a few MB and the fonts
 * about 30; without a cap V8 lets the heap grow to several times that under
 * load (316–341 MB measured for 1,000 reports in one thread).
 */
const HEAP_MB = 96;

type Job = { req: RenderRequest; resolve: (r: Rendered) => void; reject: (e: Error) => void };

/** dist/worker.js, beside dist/main.js (this code may sit in dist/chunks/). */
function workerFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.join(path.basename(here) === 'chunks' ? path.dirname(here) : here, 'worker.js');
}

export class RenderPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  /** `size` workers. */
  constructor(private readonly size: number) {}

  /**
   * One worker for a batch: the main thread reads and models the next clients
   * while it draws. Measured on 1,000 reports (2 cores): one worker peaks at
   * 228 MB, two at 311 MB (each worker has its own pdfkit, fontkit and fonts)
   * for about a third less time; the limit is 300 MB.
   */
  static forBatch(): RenderPool {
    return new RenderPool(1);
  }

  render(job: RenderJob): Promise<Rendered> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { ...job, id: this.nextId++ } as RenderRequest, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile(), { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 16 } });
    worker.on('message', (reply: RenderReply) => {
      const job = this.busy.get(worker);
      if (!job || job.req.id !== reply.id) return;
      this.busy.delete(worker);
      this.idle.push(worker);
      if (reply.ok) job.resolve({ bytes: reply.bytes, pages: reply.pages, missing: reply.missing });
      else job.reject(new RenderError(`the PDF could not be drawn: ${reply.error}`));
      this.pump();
    });
    const lost = (why: string) => {
      // A worker that died (out of memory, a crash) fails its one report; a new one takes the next.
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      job?.reject(new RenderError(why));
      this.pump();
    };
    worker.on('error', (err: Error & { code?: string }) =>
      lost(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the report is too large to draw within ${HEAP_MB} MB` : `the PDF renderer failed: ${err.message}`),
    );
    worker.on('exit', (code) => {
      if (!this.closed && (this.busy.has(worker) || this.idle.includes(worker))) lost(`the PDF renderer stopped (exit ${code})`);
    });
    return worker;
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let worker = this.idle.pop();
      if (!worker) {
        if (this.busy.size + this.idle.length >= this.size) return;
        worker = this.spawn();
      }
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      try {
        worker.postMessage(job.req);
      } catch (err) {
        // A model that cannot be sent fails its one report; the worker is free for the next.
        this.busy.delete(worker);
        this.idle.push(worker);
        job.reject(new RenderError(`the report could not be handed to the renderer: ${(err as Error).message}`));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of [...this.queue.splice(0), ...this.busy.values()]) job.reject(new RenderError('the renderer was closed'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }
}
