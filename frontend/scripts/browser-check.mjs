// Smoke check of the workbench in Debian's Chromium against a running `replica serve`, over the
// DevTools protocol (no browser download). Visits the experiments list, the first experiment with runs
// (runs table), one of its runs (charts), the compare view grouped by the varying parameters and the
// sweep view of the largest experiment;
// writes a screenshot of each, prints the performance figures the pages record, and exits non-zero
// on a page exception or a page that does not render.
//
//   node --experimental-websocket scripts/browser-check.mjs [BASE_URL] [OUT_DIR]
//   optional: EXPERIMENT=ID (runs table, run, compare), BY=PARAM (compare grouping), SWEEP=ID and
//   BRUSH='b.p:lr=0.1..1&sel=3,4' (sweep view state), COMPARE='&metric=loss&smooth=0.5' (compare options),
//   TABLE='?sort=m:loss&sel=3,4' (runs table state)
//   (defaults: http://127.0.0.1:8080 and ../backend/target/screenshots)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const outDir = process.argv[3] ?? new URL('../../backend/target/screenshots/', import.meta.url).pathname;
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(outDir, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const port = 9300 + Math.floor(Math.random() * 600);
const browser = spawn(
    chromium,
    [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--remote-debugging-port=${port}`,
        `--user-data-dir=/tmp/replica-browser-check-${port}`,
        'about:blank',
    ],
    { stdio: 'ignore' },
);
let failures = 0;

try {
    let targets = [];
    for (let i = 0; i < 150 && targets.length === 0; i++) {
        try {
            targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()).filter(
                (t) => t.type === 'page',
            );
        } catch {
            /* starting */
        }
        if (targets.length === 0) await sleep(200);
    }
    const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
    await new Promise((r, j) => {
        ws.addEventListener('open', r);
        ws.addEventListener('error', j);
    });
    let nextId = 0;
    const waiting = new Map();
    ws.addEventListener('message', (m) => {
        const msg = JSON.parse(m.data);
        if (msg.id !== undefined) {
            waiting.get(msg.id)?.(msg);
            waiting.delete(msg.id);
            return;
        }
        if (msg.method === 'Runtime.exceptionThrown') {
            failures++;
            console.error(
                'page exception:',
                msg.params.exceptionDetails.exception?.description ?? msg.params.exceptionDetails.text,
            );
        } else if (msg.method === 'Runtime.consoleAPICalled') {
            console.log('  console:', msg.params.args.map((a) => a.value ?? a.description).join(' '));
        }
    });
    const send = (method, params = {}) =>
        new Promise((r) => {
            const id = ++nextId;
            waiting.set(id, r);
            ws.send(JSON.stringify({ id, method, params }));
        });
    const evaluate = async (expression) =>
        (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result?.result?.value;
    await send('Runtime.enable');
    await send('Page.enable');
    await send('Emulation.setDeviceMetricsOverride', {
        width: 1400,
        height: 1000,
        deviceScaleFactor: 1,
        mobile: false,
    });

    async function visit(name, path, check) {
        await send('Page.navigate', { url: base + path });
        let ready;
        for (let i = 0; i < 150 && ready !== 'true'; i++) {
            await sleep(200);
            ready = await evaluate("document.getElementById('app')?.dataset.ready");
        }
        await sleep(800);
        const result = await evaluate(check);
        const shot = await send('Page.captureScreenshot', { format: 'png' });
        writeFileSync(`${outDir}/${name}.png`, Buffer.from(shot.result.data, 'base64'));
        const alert = await evaluate("document.querySelector('[role=alert]')?.textContent ?? ''");
        if (ready !== 'true' || alert || !result?.ok) {
            failures++;
            console.error(`${name}: FAILED (${alert || JSON.stringify(result)})`);
        } else {
            console.log(`${name}: ok ${JSON.stringify(result)} -> ${outDir}/${name}.png`);
        }
        return result;
    }

    const experiments = await (await fetch(`${base}/api/experiments`)).json();
    // EXPERIMENT=ID picks the experiment for the runs table, run and compare pages
    const experiment =
        experiments.find((e) => String(e.id) === process.env.EXPERIMENT) ??
        experiments.find((e) => e.runCount > 0 && (e.runsByState.SUCCEEDED ?? 0) > 1) ??
        experiments[0];
    await visit(
        'experiments',
        '/',
        "({ ok: document.querySelectorAll('table tbody tr').length > 0, rows: document.querySelectorAll('table tbody tr').length })",
    );
    if (experiment) {
        await visit(
            'runs-table',
            `/experiments/${experiment.id}${process.env.TABLE ?? ''}`,
            "(() => { const d = document.getElementById('app').dataset; return { ok: document.querySelectorAll('.vtable tbody tr[aria-rowindex]').length > 0, fetchMs: Number(d.fetchMs), firstScreenMs: Number(d.renderMs) }; })()",
        );
        const runs = await (
            await fetch(`${base}/api/runs?experiment=${experiment.id}&state=SUCCEEDED&limit=1000`)
        ).json();
        if (runs.length > 0) {
            await visit(
                'run',
                `/runs/${runs[0].id}`,
                "({ ok: document.querySelectorAll('figure.chart canvas').length > 0, charts: document.querySelectorAll('figure.chart').length })",
            );
            const varying = Object.keys(runs[0].params).filter((p) =>
                runs.some((r) => r.params[p] !== runs[0].params[p]),
            );
            const group = process.env.BY ?? varying[0]; // BY=NAME groups by another parameter
            const by = group ? `&by=${encodeURIComponent(group)}` : '';
            const metric = experiment.primaryMetric ? `&metric=${encodeURIComponent(experiment.primaryMetric)}` : '';
            // COMPARE='&metric=train%2Floss&smooth=0.5' replaces the view options after runs= and by=
            await visit(
                'compare',
                `/compare?runs=${runs.map((r) => r.id).join(',')}${by}${process.env.COMPARE ?? `${metric}&smooth=0.6&raw=1`}`,
                "({ ok: document.querySelectorAll('figure.chart canvas').length > 0, groups: document.querySelectorAll('table.groups tbody tr').length, interactiveMs: Number(document.getElementById('app').dataset.drawMs) })",
            );
        }
    }
    // The sweep view of the experiment with the most runs (SWEEP=ID picks another), brushed on its first axis when BRUSH is set.
    const largest =
        experiments.find((e) => String(e.id) === process.env.SWEEP) ??
        [...experiments].sort((a, b) => b.runCount - a.runCount)[0];
    if (largest) {
        await visit(
            'sweep',
            `/experiments/${largest.id}/sweep${process.env.BRUSH ? `?${process.env.BRUSH}` : ''}`,
            "(() => { const d = document.getElementById('app').dataset; return { ok: document.querySelector('canvas.parallel[data-layout]') !== null, runs: " +
                largest.runCount +
                ", drawMs: Number(d.drawMs), pageMs: Number(d.renderMs), count: document.querySelector('.toolbar .count')?.textContent }; })()",
        );
    }
    ws.close();
} finally {
    browser.kill();
}
process.exit(failures === 0 ? 0 : 1);
