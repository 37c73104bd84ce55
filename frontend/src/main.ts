import './style.css';
import { AuthRequiredError } from './api/client';
import { el } from './components/dom';
import { comparePage } from './pages/compare';
import { experimentPage } from './pages/experiment';
import { experimentsPage } from './pages/experiments';
import { runPage } from './pages/run';
import { signInForm } from './pages/signin';
import { sweepPage } from './pages/sweep';

const app = document.getElementById('app')!;

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
      await experimentsPage(app);
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
