import type { Command } from 'commander';
import { DB_OPTION_HELP } from '../common/paths.js';
import { UserError } from '../common/user-error.js';
import { withStore } from './with-store.js';

/** Unknown ids a refusal names before it counts the rest. */
const UNKNOWN_IDS_SHOWN = 10;

/**
 * `contrarec items delete ID…`: removes items from the catalogue, as `DELETE /v1/items/:id` does
 * one: kept in the store for history, left out of every later answer (a running server's next
 * change check) and of the next training. All or nothing: an unknown id exits 2 naming it and
 * deletes none of them; an id already deleted is counted and left as it is.
 *
 * @example
 *   contrarec items delete i42 i43
 *   cut -f1 discontinued.tsv | xargs contrarec items delete
 */
export function registerItemsCommand(program: Command): void {
  const items = program.command('items').description('manage the item catalogue');
  items
    .command('delete <ids...>')
    .description('remove items from the catalogue (kept for history) and from every later answer and training; all or nothing: an unknown id deletes none')
    .option('--db <path>', DB_OPTION_HELP)
    .action((ids: string[], o: { db?: string }) =>
      withStore(o.db, async (store) => {
        const { markItemsDeleted } = await import('../store/index.js');
        const r = await markItemsDeleted(store, ids);
        if (r.unknown.length > 0) {
          const shown = r.unknown.slice(0, UNKNOWN_IDS_SHOWN).map((id) => JSON.stringify(id));
          const more = r.unknown.length > UNKNOWN_IDS_SHOWN ? ` and ${r.unknown.length - UNKNOWN_IDS_SHOWN} more` : '';
          throw new UserError(`no item has the id ${shown.join(', ')}${more}; nothing was deleted`);
        }
        process.stdout.write(`deleted ${r.deleted} item(s)${r.alreadyDeleted > 0 ? `; ${r.alreadyDeleted} already deleted` : ''}\n`);
      }),
    );
}
