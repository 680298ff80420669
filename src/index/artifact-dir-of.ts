import path from 'node:path';
import { modelsDirFor } from '../common/paths.js';

/**
 * Where a registered model's artifact lives: its recorded `artifactDir` (resolved against the
 * database's folder when relative), else `<modelsDir>/<version>` as the artifact contract lays out.
 */
export function artifactDirOf(model: { readonly version: string; readonly artifactDir: string | null }, dbPath: string): string {
  if (model.artifactDir) return path.resolve(path.dirname(dbPath), model.artifactDir);
  return path.join(modelsDirFor(dbPath), model.version);
}
