import { z } from 'zod';
import { withCurrentMetricKeys } from '../../metrics/legacy-metric-keys.js';

/**
 * The fields of `manifest.json` every reader relies on: which version the folder holds, the
 * embedding dimension and how many rows each embeddings file has. Keys in this order, so that a
 * reader's first complaint is about the first of them that is wrong.
 */
export const ManifestCoreSchema = z.object({
  version: z.string().min(1),
  dim: z.int().min(1),
  numItems: z.int().min(0),
  numUsers: z.int().min(0),
});

/** The whole `manifest.json` as `saveArtifact` writes it and `loadArtifact` reads it. */
export const ManifestSchema = ManifestCoreSchema.extend({
  createdAt: z.string(),
  backend: z.string(),
  config: z.record(z.string(), z.unknown()),
  // Figures of an earlier version read under the current keys.
  metrics: withCurrentMetricKeys(z.record(z.string(), z.unknown())),
});

/** See {@link ManifestSchema}. */
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * What a reader of the embeddings alone (index, server) needs: the core fields, the others passed
 * through unchecked, so that an artifact written by another tool with only these fields serves.
 */
export const EmbeddingsManifestSchema = ManifestCoreSchema.loose();

/** See {@link EmbeddingsManifestSchema}. */
export type EmbeddingsManifest = z.infer<typeof EmbeddingsManifestSchema>;
