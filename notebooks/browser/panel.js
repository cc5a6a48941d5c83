// Drives the exploration panel (dales_law_explore.ipynb) in headless Chromium for notebooks/panel_test.go:
// opens the notebook on a running Jupyter server, runs its cells, waits for the panel's default drawing,
// moves the fraction slider, changes the network and protocol selectors, presses the train button, and
// closes the panel. After each step it prints one JSON line with what the page shows (the drawing's
// data-selection and counts), which the Go test checks. Usage: node panel.js URL SCREENSHOT.png
const { chromium } = require('playwright-core');

const [url, shot] = process.argv.slice(2);
const view = '.snn-explore-view';

function report(step, state) { console.log(JSON.stringify(Object.assign({ step }, state))); }

async function drawn(page, where = view) {
  return page.$eval(where, el => ({
    selection: el.dataset.selection, runs: +el.dataset.runs, selectedSeeds: +el.dataset.selectedSeeds,
    ablation: +el.dataset.ablation, model: el.dataset.model, images: el.querySelectorAll('img').length,
  }));
}

// waitFor waits until the panel's drawing shows selection (its data-selection attribute).
async function waitFor(page, selection, extra) {
  try {
    await page.waitForFunction(([sel, extra]) => {
      const el = document.querySelector('.snn-explore-view');
      if (!el || el.dataset.selection !== sel) return false;
      return extra === undefined || el.dataset.selectedSeeds === String(extra);
    }, [selection, extra], { timeout: 120000 });
  } catch (e) {
    const now = await drawn(page).catch(() => 'nothing');
    throw new Error(`the drawing did not become ${selection}` + (extra === undefined ? '' : ` with ${extra} seeds`) +
      ` within 120 s; it shows ${JSON.stringify(now)}`);
  }
  return drawn(page);
}

// move sets a widget's value and fires the change event, as a user's drag or pick does.
async function move(page, id, value) {
  await page.evaluate(([id, value]) => {
    const el = document.getElementById(id);
    el.value = String(value);
    el.dispatchEvent(new Event('change'));
  }, [id, value]);
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const pageErrors = [];
    page.on('pageerror', e => { pageErrors.push(e.message); console.error('page error:', e.message); });
    await page.goto(url);
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
      Jupyter.notebook.kernel.is_connected(), null, { timeout: 120000 });
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());
    // The first cell compiles against the project (about a minute with a cold Go cache).
    await page.waitForSelector(view, { timeout: 600000 });
    report('default', await waitFor(page, 'both f=0.50 blocked abs full'));
    await move(page, 'snn-fraction', 2);
    report('slider', await waitFor(page, 'both f=0.20 blocked abs full'));
    await move(page, 'snn-control-1', 2); // the network selector: Dale's law on the hidden layer only
    report('network', await waitFor(page, 'hidden f=0.20 blocked abs full'));
    await move(page, 'snn-control-4', 1); // the protocol selector: quick
    report('protocol', await waitFor(page, 'hidden f=0.20 blocked abs quick'));
    await page.click('#snn-train');
    await page.waitForSelector('.snn-panel-trained', { timeout: 300000 });
    // The progress bar's last state stays above the line that reports the run: every epoch done.
    const trained = await page.$eval('.snn-panel-trained', el => {
      const bar = el.parentElement.querySelector('progress');
      return { seed: +el.dataset.seed, epochs: +el.dataset.epochs, text: el.textContent,
        progress: bar ? `${bar.value}/${bar.max}` : 'none' };
    });
    report('trained', Object.assign(await waitFor(page, 'hidden f=0.20 blocked abs quick', 1), trained));
    // The notebook scrolls inside its own element: bring the controls and the drawing into the viewport.
    await page.$eval('#snn-fraction', el => el.scrollIntoView());
    await page.screenshot({ path: shot });
    await page.click('#snn-close');
    await page.waitForSelector('.snn-panel-static', { timeout: 60000 });
    report('closed', await drawn(page, '.snn-panel-static .snn-explore-view'));
    // Let the notebook's kernel go idle before the server is stopped.
    await page.waitForFunction(() => !Jupyter.notebook.kernel_busy, null, { timeout: 60000 }).catch(() => {});
    if (pageErrors.length > 0) throw new Error(`the page raised ${pageErrors.length} error(s): ${pageErrors.join('; ')}`);
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('FAIL:', e && e.message ? e.message : e); process.exit(1); });
