/**
 * Where the server reports what happened (start, model swaps, 500s): one structured event per
 * call. Tests pass a collector; the CLI writes JSON lines to stderr.
 */
export type Logger = (event: { readonly level: 'info' | 'warn' | 'error'; readonly msg: string } & Readonly<Record<string, unknown>>) => void;

/** The CLI's logger: one JSON object per line on stderr, with a timestamp and the process id. */
export const jsonLinesLogger: Logger = (event) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), pid: process.pid, ...event })}\n`);
};
