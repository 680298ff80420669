import type { ServerResponse } from 'node:http';
import { AnswerWithHeaders, TextAnswer } from './route.js';

/**
 * Writes a route's answer on node:http as express's `res.json` would (same bytes, same
 * Content-Type), a {@link TextAnswer} as its own type, and an {@link AnswerWithHeaders} with its
 * headers, so both routers answer alike.
 */
export function writeAnswer(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, answer: unknown): void {
  if (answer instanceof AnswerWithHeaders) return writeAnswer(res, status, { ...headers, ...answer.headers }, answer.body);
  const [type, text] = answer instanceof TextAnswer ? [answer.contentType, answer.text] : ['application/json; charset=utf-8', JSON.stringify(answer)];
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
