/** Ingestion: format readers, row validation, and batch loading into the store. */
export { prepareFiles, type PreparedFile } from './prepare-files.js';
export { ingestFiles, formatSummary } from './ingest-files.js';
export { ingestInteractionRows, type IngestRowsResult } from './ingest-rows.js';
export { ingestItemRows, type ItemInput, type RefusedItem } from './ingest-item-rows.js';
export {
  validateInteractionFields,
  validateInteractionInput,
  parseTimestamp,
  interactionInputSchema,
  type InteractionInput,
  type InteractionRow,
} from './interaction-row.js';
export { parseMaxErrors, DEFAULT_MAX_ERRORS, type MaxErrors } from './max-errors.js';
export { parseFormatFlag, detectFormat, INPUT_FORMATS, type InputFormat } from './input-format.js';
export { describeRejects, type IngestOptions, type IngestSummary, type IngestProgress } from './ingest-options.js';
export { splitDelimited } from './split-delimited.js';
export {
  checkFeatureName,
  checkId,
  checkTime,
  checkValue,
  DEFAULT_RECORD_RULES,
  MAX_ID_BYTES,
  parseRangeFlag,
  recordRulesOf,
  type NumberRange,
  type RecordRules,
} from './record-rules.js';
export { columnFlagsOf, type ColumnFlags } from './columns.js';
export { parseListFlag, DEFAULT_MISSING_VALUES, type FeatureCellRules } from './feature-cell-rules.js';
