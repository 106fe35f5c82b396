/*
 * The live view in the browser: reads the runtime's samples from /_local/live (server-sent events,
 * one a second; the history first) and draws them with uPlot. Served by lib/local/live-view/routes.ts;
 * the sample's shape is LiveSample in lib/local/live-view/observer.ts.
 */
(() => {
  /** Seconds of history drawn. */
  const WINDOW_SECONDS = 180;
  const PALETTE = ['#4cc9f0', '#f72585', '#06d6a0', '#ffd166', '#b388eb', '#f4a261', '#90be6d', '#ef476f'];
  const DEDUCTIONS_QUEUE = 'DeductionsQueue';

  /** @type {any[]} */
  const samples = [];
  /** Charts by element id, with the series labels they were built for. */
  const charts = new Map();
  // For tests and curious readers: the samples the page has drawn.
  window.crestLiveView = { samples };

  const $ = (selector) => document.querySelector(selector);
  const figure = (name) => document.querySelector(`[data-figure="${name}"]`);
  const setFigure = (name, text) => {
    const el = figure(name);
    if (el) el.textContent = text;
  };
  const rate = (n) => (n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  const int = (n) => Math.round(n).toLocaleString('en-US');

  function deductionsQueue(sample) {
    return sample.queues.find((q) => q.name.includes(DEDUCTIONS_QUEUE)) ?? sample.queues.find((q) => q.cap !== null);
  }

  /** A line chart in `id` for `series` ({ label, values(sample) }), rebuilt when the labels change. */
  function draw(id, series, options = {}) {
    const target = document.getElementById(id);
    if (!target) return;
    const labels = series.map((s) => s.label).join('\n');
    const recent = samples.slice(-WINDOW_SECONDS);
    const data = [recent.map((s) => s.at / 1000), ...series.map((s) => recent.map((sample) => s.values(sample)))];
    let chart = charts.get(id);
    if (chart && chart.labels !== labels) {
      chart.plot.destroy();
      chart = undefined;
    }
    if (!chart) {
      const plot = new uPlot(
        {
          width: Math.max(240, target.clientWidth),
          height: 200,
          // Labels only: values under the cursor would make the legend jump as samples arrive.
          legend: { live: false },
          scales: {
            x: { time: true },
            y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(options.minMax ?? 1, (max ?? 0) * 1.1)] },
          },
          axes: [
            { stroke: '#8b98a5', grid: { stroke: '#26313d' }, ticks: { stroke: '#26313d' } },
            { stroke: '#8b98a5', grid: { stroke: '#26313d' }, ticks: { stroke: '#26313d' }, size: 56 },
          ],
          series: [
            {},
            ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? PALETTE[i % PALETTE.length], width: 2, dash: s.dash })),
          ],
        },
        data,
        target,
      );
      chart = { plot, labels };
      charts.set(id, chart);
    } else {
      chart.plot.setData(data);
    }
  }

  function renderCharts(latest) {
    draw('chart-throughput', [
      { label: 'accepted /s', values: (s) => s.acceptedPerSecond },
      { label: 'decided /s', values: (s) => s.decidedPerSecond },
      { label: 'turned away /s', values: (s) => s.turnedAwayPerSecond, color: '#f4a261' },
    ]);
    draw('chart-queue', [
      { label: 'waiting', values: (s) => deductionsQueue(s)?.visible ?? 0 },
      { label: 'in flight', values: (s) => deductionsQueue(s)?.inFlight ?? 0 },
      { label: 'delayed', values: (s) => deductionsQueue(s)?.delayed ?? 0 },
      { label: 'dead letters', values: (s) => deadLetters(s), color: '#ef476f' },
    ]);
    draw('chart-consumers', [
      { label: 'running', values: (s) => deductionsQueue(s)?.running ?? 0 },
      { label: 'cap', values: (s) => deductionsQueue(s)?.cap ?? 0, color: '#8b98a5', dash: [6, 4] },
    ]);
    const skus = latest.skus.map((k) => k.sku);
    draw(
      'chart-stock',
      skus.map((sku) => ({ label: sku, values: (s) => s.skus.find((k) => k.sku === sku)?.onHand ?? null })),
    );
    draw('chart-holds', [
      { label: 'held', values: (s) => s.skus.reduce((n, k) => n + k.held, 0), color: '#ffd166' },
      { label: 'sold', values: (s) => s.skus.reduce((n, k) => n + k.sold, 0), color: '#06d6a0' },
    ]);
    draw(
      'chart-lag',
      latest.streams.map((stream) => ({ label: stream.name, values: (s) => s.streams.find((x) => x.name === stream.name)?.lagMs ?? 0 })),
      { minMax: 1000 },
    );
  }

  function deadLetters(sample) {
    return sample.queues.filter((q) => q.deadLetter).reduce((n, q) => n + q.visible + q.inFlight, 0);
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.append(td);
  }

  function renderTables(latest) {
    const skuRows = latest.skus.map((k) => {
      const row = document.createElement('tr');
      row.dataset.sku = k.sku;
      cell(row, k.sku);
      cell(row, k.onHand === null ? '—' : int(k.onHand));
      cell(row, latest.tracksDeductions ? int(k.held) : '—');
      cell(row, latest.tracksDeductions ? int(k.sold) : '—');
      cell(row, k.soldOut === null ? '—' : k.soldOut ? 'sold out' : 'no', k.soldOut ? 'sold-out' : undefined);
      return row;
    });
    $('#skus tbody').replaceChildren(...skuRows);
    $('#holds-note').hidden = latest.tracksDeductions;

    const queueRows = latest.queues.map((q) => {
      const row = document.createElement('tr');
      if (q.deadLetter) row.className = 'dead-letter';
      cell(row, q.name);
      cell(row, int(q.visible));
      cell(row, int(q.inFlight));
      cell(row, int(q.delayed));
      cell(row, q.cap === null ? '—' : `${q.running} / ${q.cap}`);
      cell(row, q.settledPerSecond === null ? '—' : rate(q.settledPerSecond));
      return row;
    });
    $('#queues tbody').replaceChildren(...queueRows);

    const events = latest.events.map((e) => {
      const li = document.createElement('li');
      li.className = e.kind;
      const time = document.createElement('time');
      time.textContent = new Date(e.at).toLocaleTimeString();
      li.append(time, e.text);
      return li;
    });
    $('#events').replaceChildren(...events);
    $('#events-empty').hidden = events.length > 0;
  }

  function renderTiles(latest) {
    const queue = deductionsQueue(latest);
    setFigure('accepted-rate', rate(latest.acceptedPerSecond));
    setFigure('accepted-total', int(latest.totals.accepted));
    setFigure('decided-rate', rate(latest.decidedPerSecond));
    setFigure('decided-total', int(latest.totals.decided));
    setFigure('turned-away-rate', rate(latest.turnedAwayPerSecond));
    setFigure('turned-away-total', int(latest.totals.turnedAway));
    setFigure('queue-waiting', int(queue?.visible ?? 0));
    setFigure('queue-in-flight', int(queue?.inFlight ?? 0));
    setFigure('queue-delayed', int(queue?.delayed ?? 0));
    setFigure('consumers', `${queue?.running ?? 0} / ${queue?.cap ?? 0}`);
    setFigure('stream-lag', `${int(Math.max(0, ...latest.streams.map((s) => s.lagMs)))} ms`);
    setFigure('errors-total', int(latest.totals.errors));
    setFigure('dead-letters', int(deadLetters(latest)));
  }

  function render() {
    const latest = samples.at(-1);
    if (!latest) return;
    renderTiles(latest);
    renderTables(latest);
    renderCharts(latest);
  }

  function setConnection(state, text) {
    const el = $('#connection');
    el.dataset.state = state;
    el.textContent = text;
  }

  const source = new EventSource('/_local/live');
  source.addEventListener('history', (event) => {
    samples.splice(0, samples.length, ...JSON.parse(event.data));
    render();
  });
  source.onmessage = (event) => {
    samples.push(JSON.parse(event.data));
    if (samples.length > 2 * WINDOW_SECONDS) samples.splice(0, samples.length - 2 * WINDOW_SECONDS);
    render();
  };
  source.onopen = () => setConnection('live', 'live · one sample a second');
  // EventSource reconnects by itself (the runtime restarting, a laptop waking up).
  source.onerror = () => setConnection('reconnecting', 'reconnecting…');

  window.addEventListener('resize', () => {
    for (const [id, chart] of charts) {
      const target = document.getElementById(id);
      if (target) chart.plot.setSize({ width: Math.max(240, target.clientWidth), height: 200 });
    }
  });
})();
