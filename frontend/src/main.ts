import './style.css';
import { api, AuthRequiredError } from './api/client';
import { el, table } from './components/dom';
import { comparePage } from './pages/compare';
import { experimentPage, stateSummary } from './pages/experiment';
import { runPage } from './pages/run';
import { signInForm } from './pages/signin';
import { sweepPage } from './pages/sweep';

const app = document.getElementById('app')!;

async function experimentsPage(): Promise<void> {
  app.replaceChildren(el('h1', 'Experiments'));
  const list = await api.experiments();
  if (list.length === 0) {
    app.append(el('p', 'No experiments yet. Store one with `replica run SPEC.yaml` or POST /api/experiments.'));
    return;
  }
  app.append(
    table(
      ['ID', 'Name', 'Kind', 'Runs', 'States', 'Created'],
      list.map((e) => {
        const link = el('a', e.name, { href: `/experiments/${e.id}` });
        return [
          String(e.id),
          link,
          e.kind,
          String(e.runCount),
          stateSummary(e),
          new Date(e.createdAt).toLocaleString(),
        ];
      }),
      'All experiments, newest first',
      [true, false, false, true, false, false],
    ),
  );
}

async function route(): Promise<void> {
  const path = location.pathname;
  const experiment = path.match(/^\/experiments\/(\d+)$/);
  const run = path.match(/^\/runs\/(\d+)$/);
  const sweep = path.match(/^\/experiments\/(\d+)\/sweep$/);
  app.setAttribute('aria-busy', 'true');
  try {
    if (experiment) {
      document.title = 'Runs · Replica';
      await experimentPage(app, Number(experiment[1]));
    } else if (sweep) {
      document.title = 'Sweep · Replica';
      await sweepPage(app, Number(sweep[1]));
    } else if (run) {
      document.title = `Run ${run[1]} · Replica`;
      await runPage(app, Number(run[1]));
    } else if (path === '/compare') {
      document.title = 'Compare · Replica';
      await comparePage(app);
    } else {
      document.title = 'Experiments · Replica';
      await experimentsPage();
    }
  } catch (error) {
    if (error instanceof AuthRequiredError) {
      app.replaceChildren(signInForm(error.message, () => void route()));
      return;
    }
    app.replaceChildren(
      el('h1', 'Something went wrong'),
      el('p', String((error as Error).message ?? error), { role: 'alert' }),
    );
  } finally {
    app.setAttribute('aria-busy', 'false');
    app.dataset.ready = 'true';
  }
}

void route();
