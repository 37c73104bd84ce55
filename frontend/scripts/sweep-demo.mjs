// A large sweep for trying the sweep view by hand: stores a 4 × 10 × 5 grid × 6 seeds = 1,200-run experiment
// and posts synthetic metrics for every run (a loss that depends smoothly on the parameters, plus noise),
// so nothing has to train: the runs are cancelled as soon as they are stored (`replica serve` always runs
// its scheduler; the one or two runs it starts meanwhile are cancelled too, and keep what they logged).
//   ./replica serve --port 8080 &
//   node scripts/sweep-demo.mjs [http://127.0.0.1:8080] [TOKEN]
const base = (process.argv[2] ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const token = process.argv[3];
const auth = token ? { Authorization: `Bearer ${token}` } : {};

const spec = `apiVersion: replica/v1
name: sweep-demo-${Date.now().toString(36)}
description: Synthetic metrics for the sweep view (scripts/sweep-demo.mjs); nothing trained.
kind: optimizer-sweep
params: {task: teacher-stream, steps: 1000}
sweep:
  grid:
    optimizer: [sgd, adamw, muon, normuon]
    lr_scale: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]
    width: [16, 32, 64, 128, 256]
seeds: [0, 1, 2, 3, 4, 5]
metric: {primary: val/loss, goal: min}
compare: {baseline: {optimizer: adamw}}
`;

async function call(path, init) {
    const response = await fetch(base + path, init);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
}

/** A deterministic pseudo-random number in [0, 1) from an integer. */
function noise(n) {
    const x = Math.sin(n * 12.9898) * 43758.5453;
    return x - Math.floor(x);
}

const experiment = await call('/api/experiments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/yaml', ...auth },
    body: spec,
});
const runs = await call(`/api/runs?experiment=${experiment.id}&limit=10000`);
async function inBatches(f) {
    for (let i = 0; i < runs.length; i += 16) await Promise.all(runs.slice(i, i + 16).map(f));
}
await inBatches((run) => call(`/api/runs/${run.id}/cancel`, { method: 'POST', headers: auth }).catch(() => null));
const skill = { sgd: 0.5, adamw: 0.25, muon: 0.15, normuon: 0.1 };
let done = 0;
async function post(run) {
    const p = run.params;
    // best near lr_scale 1 (log distance), wider is better, each optimizer its own floor
    const floor =
        skill[p.optimizer] + 0.08 * Math.log10(p.lr_scale) ** 2 + 0.3 / Math.sqrt(p.width) + 0.05 * noise(run.id);
    const diverged = p.lr_scale >= 5 && p.optimizer === 'sgd';
    const points = [];
    for (let step = 0; step <= 1000; step += 50) {
        const loss =
            diverged && step > 300
                ? 'NaN'
                : floor +
                  2 * Math.exp(-step / (150 / Math.sqrt(p.lr_scale + 0.05))) +
                  0.02 * noise(run.id * 1000 + step);
        points.push({
            step,
            values: {
                'train/loss': loss,
                'val/loss': typeof loss === 'number' ? loss * 1.05 : loss,
                'val/accuracy': typeof loss === 'number' ? 1 / (1 + loss) : 'NaN',
            },
        });
    }
    await call(`/api/runs/${run.id}/metrics`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...auth },
        body: JSON.stringify(points),
    });
    done++;
}
await inBatches(post);
console.log(
    `experiment ${experiment.id}: ${runs.length} runs, metrics posted for ${done}; open ${base}/experiments/${experiment.id}/sweep`,
);
