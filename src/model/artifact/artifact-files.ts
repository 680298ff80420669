import { z } from 'zod';
import { FieldCombinerSchema, ModelConfigSchema } from '../model-config.js';

/** File names inside a model version directory (see .notes/ARTIFACT.md). */
export const ARTIFACT_FILES = {
  manifest: 'manifest.json',
  itemIds: 'item-ids.json',
  itemEmbeddings: 'item-embeddings.f32',
  userIds: 'user-ids.json',
  userEmbeddings: 'user-embeddings.f32',
  /** Trainer-owned: tower layouts (feature specs, table and MLP shapes, offsets into towers.f32). */
  towers: 'towers.json',
  towers32: 'towers.f32',
} as const;

/** `manifest.json`, the part every reader relies on. */
export const ManifestSchema = z.object({
  version: z.string(),
  createdAt: z.string(),
  dim: z.number().int().positive(),
  numItems: z.number().int().nonnegative(),
  numUsers: z.number().int().nonnegative(),
  backend: z.string(),
  config: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
});

/** See {@link ManifestSchema}. */
export type Manifest = z.infer<typeof ManifestSchema>;

const FeatureSpecSchema = z.object({
  name: z.string(),
  kind: z.enum(['categorical', 'multi', 'numeric']),
  tokens: z.array(z.string()),
  boundaries: z.array(z.number()),
});

const TowerLayoutSchema = z.object({
  fields: z.array(FeatureSpecSchema),
  /** Per field: its table's rows and float offset into towers.f32. */
  tables: z.array(z.object({ rows: z.number().int(), offset: z.number().int() })),
  /** Per MLP tensor (W0, b0, W1, b1, …): shape and float offset. */
  mlp: z.array(z.object({ shape: z.array(z.number().int()), offset: z.number().int() })),
});

/** `towers.json`: enough to rebuild both towers for serving unknown users/items. */
export const TowersFileSchema = z.object({
  // Artifacts written before fieldCombiner existed concatenated their fields.
  model: ModelConfigSchema.extend({ fieldCombiner: FieldCombinerSchema.default('concat') }),
  user: TowerLayoutSchema,
  item: TowerLayoutSchema,
});

/** See {@link TowersFileSchema}. */
export type TowersFile = z.infer<typeof TowersFileSchema>;
