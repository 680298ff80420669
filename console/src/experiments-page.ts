import { getJson, type Reports } from './api.js';
import { h } from './dom.js';
import { dateTime } from './format.js';
import { show, showError, type Page } from './page.js';

/** The Experiments page: the latest experiment report embedded, older ones linked. */
export async function renderExperiments(page: Page): Promise<void> {
  let r: Reports;
  try {
    r = await getJson<Reports>('/console/api/reports');
  } catch (err) {
    return showError(page, 'Experiments', err);
  }
  if (!r.configured || r.reports.length === 0) {
    return show(
      page,
      'Experiments',
      h(
        'p',
        { class: 'note' },
        r.configured ? 'The reports folder holds no report.html yet.' : 'No reports folder is configured.',
        ' Run ',
        h('code', {}, 'contrarec experiment --out reports/NAME'),
        ', then start the server with ',
        h('code', {}, 'contrarec serve --reports reports'),
        '.',
      ),
    );
  }
  const [latest, ...older] = r.reports;
  const base = latest.url.replace(/report\.html$/, '');
  show(
    page,
    'Experiments',
    h(
      'p',
      { class: 'lead' },
      `Latest report: ${latest.name === '.' ? 'reports folder' : latest.name}, written ${dateTime(latest.modifiedAt)}. `,
      h('a', { href: latest.url, target: '_blank', rel: 'noopener' }, 'Open it full size'),
      latest.files.includes('results.md') ? [' · ', h('a', { href: `${base}results.md` }, 'results.md')] : null,
      latest.files.includes('results.json') ? [' · ', h('a', { href: `${base}results.json` }, 'results.json')] : null,
    ),
    h('iframe', { src: latest.url, title: `experiment report ${latest.name}`, class: 'report' }),
    older.length > 0
      ? h(
          'section',
          {},
          h('h2', {}, 'Older reports'),
          h(
            'ul',
            {},
            older.map((o) => h('li', {}, h('a', { href: o.url, target: '_blank', rel: 'noopener' }, o.name), ` — ${dateTime(o.modifiedAt)}`)),
          ),
        )
      : null,
  );
}
