import path from 'node:path';

/** Where the suite's data lives (read in place, never copied: its licences forbid it). */
export const SHARED_DIR = path.resolve(import.meta.dirname, '../../../shared');

/** One `contrarec ingest users|items` of a dataset's raw feature file, with the flags it needs. */
export interface EntityFile {
  readonly kind: 'users' | 'items';
  readonly file: string;
  readonly flags: readonly string[];
}

/** One log of the suite: its fixed split, its raw feature files and whether its time is rounded. */
export interface SuiteDataset {
  readonly name: string;
  /** Folder of train.tsv, valid.tsv, test.tsv under `../shared/benchmarks/`. */
  readonly split: string;
  readonly entities: readonly EntityFile[];
  /** Round the split's timestamps down to this many seconds (a coarse-time log). */
  readonly roundTimeTo?: number;
}

const ds = (...parts: string[]): string => path.join(SHARED_DIR, 'datasets', ...parts);

const ML100K_ENTITIES: readonly EntityFile[] = [
  { kind: 'users', file: ds('ml-100k', 'ml-100k.user'), flags: [] },
  { kind: 'items', file: ds('ml-100k', 'ml-100k.item'), flags: [] },
];

/**
 * The suite, with the flags a user finds in `contrarec ingest --help` for each raw file's quirks
 * (see ../shared/datasets/README.md): other id column names, columns that are no features (an id
 * per entity, image URLs), genres separated by ", " (and titles that hold the separator, hence
 * --multi-cols), and book rows broken by stray tabs (rejected with their lines; they are more than
 * the default share of the file, hence the wider --max-errors).
 */
export const SUITE: readonly SuiteDataset[] = [
  { name: 'ml-100k', split: 'ml-100k', entities: ML100K_ENTITIES },
  { name: 'ml-100k (day)', split: 'ml-100k', entities: ML100K_ENTITIES, roundTimeTo: 86_400 },
  {
    name: 'steam',
    split: 'steam',
    entities: [
      { kind: 'items', file: ds('steam', 'item_info.dat'), flags: ['--item-col', 'Game_ID', '--multi-cols', ''] },
      { kind: 'users', file: ds('steam', 'user_info.dat'), flags: ['--user-col', 'New_ID', '--ignore-cols', 'Real_ID'] },
    ],
  },
  {
    name: 'book-crossing',
    split: 'book-crossing',
    entities: [
      {
        kind: 'items',
        file: ds('book-crossing', 'items_info.dat'),
        flags: ['--item-col', 'Book_ID', '--ignore-cols', 'ISBN,Image-URL-S,Image-URL-M,Image-URL-L', '--max-errors', '6%'],
      },
      { kind: 'users', file: ds('book-crossing', 'users_info.dat'), flags: ['--user-col', 'User-ID'] },
    ],
  },
  {
    name: 'anime',
    split: 'anime',
    entities: [{ kind: 'items', file: ds('anime', 'anime_info.dat'), flags: ['--item-col', 'anime_ids', '--multi-sep', ', ', '--multi-cols', 'genre'] }],
  },
];

/** The columns of `bench:suite`'s table and of its `bench/results/suite-*.json` files. */
export const SUITE_COLUMNS = [
  'dataset',
  'model',
  'valid R@20 (own hold-out)',
  'MostPop (same)',
  'test R@20',
  'test NDCG@20',
  'train s',
  'peak RSS MiB',
] as const;
