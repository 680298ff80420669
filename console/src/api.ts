import { askReadToken, storedReadToken } from './read-token.js';

/** A side feature as the API returns it. */
export type FeatureValue = string | number | string[];
/** Features by field name. */
export type Features = Record<string, FeatureValue>;

/** An item of the catalogue (`GET /console/api/items`). */
export interface Item {
  readonly id: string;
  readonly features: Features;
  readonly deleted: boolean;
}

/** `GET /console/api/items/:id`. */
export interface ItemDetail extends Item {
  readonly model: string | null;
  readonly inModel: boolean;
}

/** A top-k answer (similar items, recommendations), best first. */
export interface TopK {
  readonly model: string;
  readonly items: readonly { readonly id: string; readonly score: number }[];
}

/** `GET /console/api/users/:id`. */
export interface UserDetail {
  readonly id: string;
  readonly features: Features;
  readonly interactions: number;
  readonly recent: readonly { readonly item: Item; readonly at: string | null; readonly event: string; readonly weight: number }[];
  readonly model: string | null;
  readonly inModel: boolean;
}

/** One row of `GET /v1/models`. */
export interface ModelEntry {
  readonly version: string;
  readonly status: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly metrics: Record<string, unknown>;
}

/** `GET /console/api/models/:version`. */
export interface ModelDetail extends ModelEntry {
  readonly serving: boolean;
  readonly dataFrom: string | null;
  readonly dataTo: string | null;
  readonly reason: string | null;
  readonly config: Record<string, unknown>;
  readonly curves: readonly Record<string, unknown>[] | null;
}

/** `GET /console/api/reports`. */
export interface Reports {
  readonly configured: boolean;
  readonly reports: readonly { readonly name: string; readonly url: string; readonly modifiedAt: string; readonly files: readonly string[] }[];
}

/** An error answer of the API, with its machine code and its message for a person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where the server's console-only JSON endpoints live (behind the read token when the server sets one). */
export const CONSOLE_API = '/console/api';

/**
 * GETs a JSON endpoint of the same server, with the session's read token when there is one; an
 * error answer becomes an {@link ApiError} with the server's message. A 401 from the console API
 * asks the person for the token (once for the session) and tries again.
 */
export async function getJson<T>(path: string): Promise<T> {
  for (;;) {
    const token = storedReadToken();
    const res = await fetch(path, { headers: { accept: 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) } });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status === 401 && path.startsWith(`${CONSOLE_API}/`)) {
      // Another request already got a new token while this one was in flight: use it.
      if (storedReadToken() !== token) continue;
      if ((await askReadToken(token !== null)) !== null) continue;
    }
    if (!res.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `${path}: HTTP ${res.status}`);
    }
    return body as T;
  }
}
