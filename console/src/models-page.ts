import { getJson, type ModelDetail, type ModelEntry } from './api.js';
import { h } from './dom.js';
import { dateTime, metricText } from './format.js';
import { lineChart, type Series } from './line-chart.js';
import { show, showError, type Page } from './page.js';

/** The registry rows whose details the list page fetches (newest first). */
const MAX_LISTED = 50;

const statusBadge = (status: string): HTMLElement => h('span', { class: `badge ${status}` }, status);
const dataWindow = (m: ModelDetail): string => (m.dataFrom ? `${m.dataFrom.slice(0, 10)} → ${m.dataTo?.slice(0, 10) ?? '…'}` : '—');

/** The Models page: every registered version with status, training time, data window, metrics and a failed run's reason. */
export async function renderModels(page: Page): Promise<void> {
  let list: { serving: string | null; models: ModelEntry[] };
  let details: ModelDetail[];
  try {
    list = await getJson<{ serving: string | null; models: ModelEntry[] }>('/v1/models');
    details = await Promise.all(list.models.slice(0, MAX_LISTED).map((m) => getJson<ModelDetail>(`/console/api/models/${encodeURIComponent(m.version)}`)));
  } catch (err) {
    return showError(page, 'Models', err);
  }
  const columns = ['Version', 'Status', 'Trained', 'Data window', 'Recall@20', 'NDCG@20', 'Epochs'];
  const cell = (k: number, value: string | HTMLElement | (HTMLElement | null)[], cls?: string): HTMLElement =>
    h('td', { 'data-label': columns[k], class: cls }, value);
  // A failed run's reason gets its own full-width row under it: it is a sentence, not a cell.
  const rows = details
    .flatMap((m) => [
      h(
        'tr',
        { class: m.serving ? 'serving' : undefined },
        h('th', { scope: 'row', 'data-label': columns[0] }, h('a', { href: `#/models/${encodeURIComponent(m.version)}` }, m.version)),
        cell(1, h('span', { class: 'badges' }, statusBadge(m.status), m.serving ? h('span', { class: 'badge serving' }, 'serving') : null)),
        cell(2, dateTime(m.finishedAt ?? m.createdAt)),
        cell(3, dataWindow(m)),
        cell(4, metricText(m.metrics['recall@20']), 'num'),
        cell(5, metricText(m.metrics['ndcg@20']), 'num'),
        cell(6, metricText(m.metrics['epochs']), 'num'),
      ),
      m.reason ? h('tr', { class: 'reason-row' }, h('td', { colspan: columns.length }, `Failed: ${m.reason}`)) : null,
    ])
    .filter((r): r is HTMLTableRowElement => r !== null);
  show(
    page,
    'Models',
    h('p', { class: 'lead' }, list.serving ? `This server answers with model ${list.serving}.` : 'No model is served yet: train one with `contrarec train`.'),
    list.models.length === 0
      ? h('p', { class: 'note' }, 'The registry is empty.')
      : h(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'model registry' },
          h(
            'table',
            { class: 'models' },
            h('caption', {}, `${list.models.length} version${list.models.length === 1 ? '' : 's'}, newest first; validation metrics of the best epoch`),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                columns.map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h('tbody', {}, rows),
          ),
        ),
  );
}

/** Curves of one quantity per epoch log, e.g. `loss.main` or `recall@20`. */
function seriesOf(curves: readonly Record<string, unknown>[], path: string, name: string): Series {
  const [a, b] = path.split('.');
  return {
    name,
    values: curves.map((e) => {
      const v = b === undefined ? e[a] : (e[a] as Record<string, unknown> | undefined)?.[b];
      return typeof v === 'number' ? v : null;
    }),
  };
}

/** One version: status, times, data window, metrics, config, failure reason and training curves. */
export async function renderModel(page: Page, version: string): Promise<void> {
  let m: ModelDetail;
  try {
    m = await getJson<ModelDetail>(`/console/api/models/${encodeURIComponent(version)}`);
  } catch (err) {
    return showError(page, `Model ${version}`, err);
  }
  const scalar = Object.entries(m.metrics).filter(([, v]) => typeof v === 'number');
  const curves = m.curves;
  show(
    page,
    `Model ${m.version}`,
    h(
      'p',
      { class: 'subtitle' },
      statusBadge(m.status),
      m.serving ? h('span', { class: 'badge serving' }, 'serving') : null,
      h('a', { href: '#/models' }, '← all models'),
    ),
    m.reason ? h('p', { class: 'error', role: 'status' }, `Failed: ${m.reason}`) : null,
    h('dl', { class: 'features' }, [
      h('dt', {}, 'created'),
      h('dd', {}, dateTime(m.createdAt)),
      h('dt', {}, 'finished'),
      h('dd', {}, dateTime(m.finishedAt)),
      h('dt', {}, 'data window'),
      h('dd', {}, dataWindow(m)),
    ]),
    h('h2', {}, 'Metrics (best epoch, validation)'),
    h(
      'dl',
      { class: 'features' },
      scalar.map(([k, v]) => [h('dt', {}, k), h('dd', {}, metricText(v))]),
    ),
    h('h2', {}, 'Training curves'),
    curves && curves.length > 0
      ? h(
          'div',
          { class: 'charts' },
          lineChart(
            'Loss',
            'epoch',
            [
              seriesOf(curves, 'loss.total', 'total'),
              seriesOf(curves, 'loss.main', 'main'),
              seriesOf(curves, 'loss.userSsl', 'user SSL'),
              seriesOf(curves, 'loss.itemSsl', 'item SSL'),
            ].filter((s) => s.values.some((v) => v !== null && v !== 0)),
          ),
          lineChart('Validation', 'epoch', [seriesOf(curves, 'recall@20', 'recall@20'), seriesOf(curves, 'ndcg@20', 'NDCG@20')]),
          lineChart('Alignment / uniformity', 'epoch', [seriesOf(curves, 'alignment', 'alignment'), seriesOf(curves, 'uniformity', 'uniformity')]),
        )
      : h('p', { class: 'note' }, 'This version has no per-epoch history recorded (the trainer stores the best epoch only).'),
    h('details', {}, h('summary', {}, 'Training configuration'), h('pre', {}, JSON.stringify(m.config, null, 2))),
  );
}
