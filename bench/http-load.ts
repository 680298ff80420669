/**
 * A small HTTP load generator for `bench/serve.ts` (keep-alive connections on loopback):
 * closed loop at a fixed concurrency (how many requests/s the server can do) and open loop at a
 * fixed rate (the latency a client sees at that rate, queueing included).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** What one run measured; latencies in milliseconds. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

function get(agent: http.Agent, base: URL, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: base.hostname, port: base.port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

function summarise(latencies: number[], errors: number, seconds: number): LoadResult {
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

/** `concurrency` clients each sending the next request as soon as the previous answers, for `seconds`. */
export async function closedLoop(url: string, paths: readonly string[], concurrency: number, seconds: number): Promise<LoadResult> {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      const t = performance.now();
      const status = await get(agent, base, paths[next++ % paths.length]).catch(() => 0);
      if (status === 200) latencies.push(performance.now() - t);
      else errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return summarise(latencies, errors, (performance.now() - t0) / 1000);
}

/** Called once per answered or failed request: when it was due (performance.now() ms), its latency from then, and its status (0: no answer). */
export type RequestRecorder = (dueAt: number, latencyMs: number, status: number) => void;

/**
 * Requests sent on a fixed schedule of `rate` per second for `seconds`, whatever the answers' pace;
 * `record`, when given, sees every request (bench:swap puts them on its timeline of swaps). Given
 * several servers' URLs, the requests go to them in turn (round robin, as a load balancer would).
 */
export async function openLoop(
  url: string | readonly string[],
  paths: readonly string[],
  rate: number,
  seconds: number,
  record?: RequestRecorder,
): Promise<LoadResult> {
  const bases = (typeof url === 'string' ? [url] : url).map((u) => new URL(u));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = t0 + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Latency from the scheduled time, so a late send (client or server backlog) counts against
    // it; from the send when the timer fired early, so that no latency is negative.
    const due = Math.max(scheduled, performance.now());
    pending.push(
      get(agent, bases[i % bases.length], paths[i % paths.length]).then(
        (status) => {
          const latency = performance.now() - due;
          if (status === 200) latencies.push(latency);
          else errors++;
          record?.(due, latency, status);
        },
        () => {
          errors++;
          record?.(due, performance.now() - due, 0);
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return summarise(latencies, errors, (performance.now() - t0) / 1000);
}
