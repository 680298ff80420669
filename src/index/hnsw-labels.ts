import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../common/json-file.js';
import { UserError } from '../common/user-error.js';
import { ARTIFACT_FILES } from '../model/artifact/artifact-layout.js';

/** File name of the hnswlib graph inside an index directory (the artifact layout names it). */
export const HNSW_FILE = ARTIFACT_FILES.hnswGraph;
/** File name of the label ↔ external id map written next to the graph. */
export const HNSW_LABELS_FILE = ARTIFACT_FILES.hnswLabels;
export const LABELS_FORMAT = 'contrarec-hnsw-labels/1';

export const labelsFileSchema = z.object({
  format: z.literal(LABELS_FORMAT),
  space: z.literal('l2'),
  dim: z.int().min(1),
  params: z.object({ m: z.int(), efConstruction: z.int(), ef: z.int(), randomSeed: z.int(), initialCapacity: z.int() }),
  indexBytes: z.int().min(0),
  labels: z.array(z.string()),
  deleted: z.array(z.int().min(0)),
});

/** The contents of `index-labels.json`: the graph's parameters, its byte size, and label → external id. */
export type HnswLabelsFile = z.infer<typeof labelsFileSchema>;

/**
 * Reads and checks `index-labels.json` of `dir` and that the graph beside it has the byte size it
 * records, with errors naming the file. Pure file work (no hnswlib), so a worker thread can do it
 * before the graph itself is read (`HnswIndex.fromLabels`).
 */
export async function readHnswLabels(dir: string): Promise<HnswLabelsFile> {
  const labelsPath = path.join(dir, HNSW_LABELS_FILE);
  const graphPath = path.join(dir, HNSW_FILE);
  const hint = 'build the index with `contrarec index`';
  const meta = await readJsonFile(labelsPath, labelsFileSchema, hint);
  if (!existsSync(graphPath)) throw new UserError(`${graphPath}: not found (${hint})`);
  const bytes = (await stat(graphPath)).size;
  if (bytes !== meta.indexBytes) {
    throw new Error(`${graphPath}: ${bytes} bytes, but ${HNSW_LABELS_FILE} was written for ${meta.indexBytes}; rebuild the index`);
  }
  return meta;
}
