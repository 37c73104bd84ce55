import type { ExperimentView } from '../api/types';

/**
 * Filters the experiments list: every space-separated term must hold. `tag:NAME` wants that tag, `!tag:NAME`
 * wants it absent; any other term is case-insensitive text in the name, display name, description, kind or a tag.
 */
export function filterExperiments(list: ExperimentView[], q: string): ExperimentView[] {
  const terms = q
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  if (terms.length === 0) return list;
  return list.filter((e) => terms.every((t) => holds(e, t)));
}

function holds(e: ExperimentView, term: string): boolean {
  const tag = term.match(/^(!?)tag:(.+)$/i);
  if (tag) return e.tags.includes(tag[2]) !== (tag[1] === '!');
  const text = [e.name, e.displayName ?? '', e.description ?? '', e.kind, ...e.tags].join('\n').toLowerCase();
  return text.includes(term.toLowerCase());
}
