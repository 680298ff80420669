import { findItems, getModel, readUserHistory, searchItems, type CatalogueItem, type ModelRecord, type Store, type UserHistory } from '../../store/index.js';

/**
 * The store reads behind the console's JSON endpoints (item search and features, user history,
 * model details), as functions so the routes stay thin and never see the store itself.
 */
export interface ConsoleData {
  searchItems(query: string, limit: number): Promise<CatalogueItem[]>;
  findItems(ids: readonly string[]): Promise<CatalogueItem[]>;
  userHistory(userId: string, limit: number): Promise<UserHistory | undefined>;
  getModel(version: string): Promise<ModelRecord | undefined>;
}

/** What the console needs; without `data` (a server run with `--artifact`) its data endpoints answer 501. */
export interface ConsoleOptions {
  readonly data?: ConsoleData;
  /** Folder of experiment outputs (`contrarec experiment --out`) served under `/reports/`. */
  readonly reportsDir?: string;
  /** Bearer token every `/console/api/` request must carry (CONTRAREC_READ_TOKEN); unset → the console API is open. */
  readonly readToken?: string;
}

/** {@link ConsoleData} read from an open store. */
export function consoleDataFromStore(store: Store): ConsoleData {
  return {
    searchItems: (query, limit) => searchItems(store, query, limit),
    findItems: (ids) => findItems(store, ids),
    userHistory: (userId, limit) => readUserHistory(store, userId, limit),
    getModel: (version) => getModel(store, version),
  };
}
