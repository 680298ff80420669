import cliProgress from 'cli-progress';
import type { EpochLog, TrainObserver } from './train-model.js';

const f = (x: number | null, digits = 4): string => (x === null ? '-' : x.toFixed(digits));

/**
 * One line per epoch: loss parts, validation Recall@20 (beside the most-popular ranking's, the
 * floor it has to clear), NDCG@20 and alignment (or `no validation`), uniformity, spread, the
 * epoch's τ, speed.
 */
export function formatEpoch(e: EpochLog): string {
  // Without a hold-out (a refit, or a log too small for one) there is nothing to rank or align.
  const validation =
    e['recall@20'] === null
      ? 'no validation'
      : `valid recall@20 ${f(e['recall@20'])}${e.mostPop ? ` (most-popular ${f(e.mostPop['recall@20'])})` : ''} ndcg@20 ${f(e['ndcg@20'])} | align ${f(e.alignment, 3)}`;
  return (
    `epoch ${e.epoch}: loss ${f(e.loss.total)} (main ${f(e.loss.main)}, item-ssl ${f(e.loss.itemSsl)}, user-ssl ${f(e.loss.userSsl)})` +
    ` | ${validation} uniform ${f(e.uniformity, 3)} spread ${f(e.spread, 3)} | τ ${f(e.temperature, 3)}` +
    ` | ${e.seconds.toFixed(1)}s, ${Math.round(e.examplesPerSecond)} ex/s`
  );
}

/**
 * Progress for the CLI: a cli-progress bar per epoch when `stream` is a TTY (steps and running
 * loss), and the epoch summary line always.
 */
export function progressObserver(stream: NodeJS.WriteStream = process.stderr): TrainObserver {
  let bar: cliProgress.SingleBar | null = null;
  return {
    onEpochStart(epoch, steps) {
      if (!stream.isTTY) return;
      bar = new cliProgress.SingleBar(
        { stream, format: `epoch ${epoch} [{bar}] {value}/{total} steps | loss {loss} | eta {eta}s`, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(steps, 0, { loss: '-' });
    },
    onStep(step, loss) {
      bar?.update(step, { loss: loss.total.toFixed(4) });
    },
    onEpochEnd(log) {
      bar?.stop();
      bar = null;
      stream.write(`${formatEpoch(log)}\n`);
    },
  };
}
