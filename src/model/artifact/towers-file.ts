import { z } from 'zod';
import { FieldCombinerSchema, ModelConfigSchema } from '../model-config.js';

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
