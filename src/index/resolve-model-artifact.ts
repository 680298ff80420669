import { existsSync } from 'node:fs';
import { getActiveModel, getModel, openStore } from '../store/index.js';
import { UserError } from '../common/user-error.js';
import { ensureLocalArtifact } from '../model/artifact/ensure-local-artifact.js';
import { isMissingSqliteFile } from '../common/db-location.js';

/** A model version and the folder holding its artifact. */
export interface ModelArtifactRef {
  readonly version: string;
  readonly artifactDir: string;
}

/**
 * Looks up a model in the registry of the database at `dbPath`: the given `version`, else the
 * active one, with its local folder (downloaded first from a PostgreSQL store that holds it). Errors are `UserError`s saying what to do (train a model, pick a version).
 */
export async function resolveModelArtifact(dbPath: string, version?: string): Promise<ModelArtifactRef> {
  if (isMissingSqliteFile(dbPath, existsSync)) throw new UserError(`no database at ${dbPath}: ingest data and train a model first (\`contrarec train\`)`);
  const store = await openStore(dbPath, { readonly: true });
  try {
    const model = version === undefined ? await getActiveModel(store) : await getModel(store, version);
    if (model === undefined) {
      throw new UserError(
        version === undefined
          ? `no active model in ${dbPath}: train one with \`contrarec train\`, or name a version with --model`
          : `no model version "${version}" in ${dbPath}`,
      );
    }
    return { version: model.version, artifactDir: await ensureLocalArtifact(store, model) };
  } finally {
    store.close();
  }
}
