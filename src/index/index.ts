/**
 * The index stage's public API: nearest-neighbour search over unit item vectors, HNSW for
 * serving and exact search as its oracle, plus reading model artifacts' embeddings (the artifact's
 * layout and manifest belong to src/model/artifact/).
 */
export { UnknownIdError, type SearchHit, type SearchOptions, type VectorIndex } from './vector-index.js';
export { HnswIndex, HNSW_FILE, HNSW_LABELS_FILE } from './hnsw-index.js';
export { readHnswLabels, type HnswLabelsFile } from './hnsw-labels.js';
export { ExactIndex } from './exact-index.js';
export { DEFAULT_HNSW_PARAMS, resolveHnswParams, type HnswParams } from './hnsw-params.js';
export { scoreFromSquaredL2 } from './unit-vectors.js';
export { readArtifactEmbeddings, readArtifactManifest, type ArtifactEmbeddings, type ArtifactManifest } from './artifact-embeddings.js';
export { buildIndexFromArtifact, type BuiltIndex } from './build-index-from-artifact.js';
export { randomUnitVectors } from './random-unit-vectors.js';
export { resolveModelArtifact, type ModelArtifactRef } from './resolve-model-artifact.js';
export { publishIndex } from './publish-index.js';
