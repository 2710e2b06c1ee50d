'use strict';
// The TDS report page. All data comes from the JSON in #tds-data (written by ReportDataWriter); every
// text from it reaches the page through textContent, text nodes or attribute values, never as markup.
(function () {
  const dataNode = document.getElementById('tds-data');
  const DATA = JSON.parse(dataNode.textContent);
  dataNode.remove(); // the parsed copy is all the page needs
  const ENC = DATA.encoding;
  const CLASS_NAMES = ['unshifted', 'marginal', 'shifted'];
  const CLASS_COLORS = ['#8c959f', '#d4a72c', '#cf222e'];
  const MODEL_COLORS = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#bf3989', '#1b7c83'];
  const PAGE_SIZE = 50;
  const MODELS = DATA.models;
  const BASE_NAME = DATA.run.base ? (DATA.run.base.reference || DATA.run.base.name || DATA.run.base.path || 'base') : 'base';
  const VOCAB = new Map();
  DATA.vocab.ids.forEach((id, i) => VOCAB.set(id, DATA.vocab.texts[i]));

  // ---------- DOM helpers: elements from our code, text from the data ----------
  function el(tag, props, ...children) {
    return build(document.createElement(tag), props, children);
  }
  function svg(tag, props, ...children) {
    return build(document.createElementNS('http://www.w3.org/2000/svg', tag), props, children);
  }
  function build(node, props, children) {
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.setAttribute('class', value);
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // ---------- number formats ----------
  function pct(x, digits) { return x === null || x === undefined ? '—' : (x * 100).toFixed(digits === undefined ? 1 : digits) + '%'; }
  function num(x) {
    if (x === null || x === undefined) return '—';
    if (x === 0) return '0';
    const a = Math.abs(x);
    return a < 1e-3 || a >= 1e5 ? x.toExponential(2) : String(Number(x.toPrecision(3)));
  }
  function prob(p) {
    if (p === null || p === undefined) return '—';
    if (p < 0) return '< ' + Math.exp(-ENC.logprob_range).toExponential(0);
    if (p >= 1e-3) return String(Number((p * 100).toPrecision(3))) + '%';
    return p.toExponential(2);
  }
  function int(x) { return x === null || x === undefined ? '—' : Number(x).toLocaleString('en-US'); }
  function ci(pair) { return pair ? pct(pair[0]) + ' – ' + pct(pair[1]) : ''; }

  // ---------- packed positions (see PositionCodec.cs) ----------
  const LETTER = new Int16Array(128).fill(-1);
  for (let i = 0; i < ENC.alphabet.length; i++) LETTER[ENC.alphabet.charCodeAt(i)] = i;
  function get3(s, at) {
    return (LETTER[s.charCodeAt(at)] << 12) | (LETTER[s.charCodeAt(at + 1)] << 6) | LETTER[s.charCodeAt(at + 2)];
  }
  // A probability from a LOGP code; -1 stands for "below the range", null for no candidate.
  function probOf(code) {
    if (code === ENC.absent) return null;
    if (code === ENC.below) return -1;
    return Math.exp(-code * ENC.logprob_range / ENC.logprob_steps);
  }
  function klOf(code) {
    if (code === ENC.kl_null) return null;
    if (code === 0) return 0;
    return Math.pow(10, (code - 1) / ENC.kl_steps * (ENC.kl_max_log10 - ENC.kl_min_log10) + ENC.kl_min_log10);
  }
  function candidates(s, at) {
    const list = [];
    for (let k = 0; k < ENC.top; k++) {
      const p = probOf(get3(s, at + k * 6 + 3));
      if (p === null) break;
      list.push({ id: get3(s, at + k * 6), p: p });
    }
    return list;
  }
  function position(s, i) {
    const o = i * ENC.width;
    return {
      index: i, text: DATA.texts[get3(s, o)], id: get3(s, o + 3), cls: LETTER[s.charCodeAt(o + 6)], rank: get3(s, o + 7),
      alignedP: probOf(get3(s, o + 10)), baseP: probOf(get3(s, o + 13)), kl: klOf(get3(s, o + 16)), klReverse: klOf(get3(s, o + 19)),
      alignedTop: candidates(s, o + 22), baseTop: candidates(s, o + 22 + ENC.top * 6),
    };
  }
  function positionCount(s) { return s.length / ENC.width; }
  function tokenText(id) { return VOCAB.has(id) ? DATA.texts[VOCAB.get(id)] : null; }

  // ---------- visible whitespace ----------
  const MARKS = { ' ': '·', '\t': '→', '\u00a0': '⍽', '\r': '␍' };
  // Appends text to node with whitespace and invisible characters as grey marks; a line break is a mark,
  // followed by a real break when the text flows (an answer) rather than sits in a table cell.
  function appendVisible(node, text, marks, breaks) {
    if (text.length === 0) { node.append(el('span', { class: 'ws', text: '∅' })); return; }
    let run = '';
    const flush = () => { if (run) { node.append(document.createTextNode(run)); run = ''; } };
    for (const ch of text) {
      const code = ch.codePointAt(0);
      if (ch === '\n' || ch === '\u2028' || ch === '\u2029') {
        flush();
        node.append(el('span', { class: 'ws', text: '↵' }), breaks ? el('br') : '');
      } else if (marks && MARKS[ch]) {
        flush();
        node.append(el('span', { class: 'ws', text: MARKS[ch] }));
      } else if (code < 32 || code === 127) {
        flush();
        node.append(el('span', { class: 'ws', text: String.fromCodePoint(code === 127 ? 0x2421 : 0x2400 + code) }));
      } else if ((code >= 0x200b && code <= 0x200f) || code === 0x2060 || code === 0xfeff) {
        flush();
        node.append(el('span', { class: 'ws', text: '⟨U+' + code.toString(16).toUpperCase().padStart(4, '0') + '⟩' }));
      } else {
        run += ch;
      }
    }
    flush();
  }
  function tokenCode(text) { const code = el('code'); appendVisible(code, text, true); return code; }
  function describeText(text) { return JSON.stringify(text); }

  // ---------- charts ----------
  const W = 680, H = 260, M = { left: 52, right: 12, top: 12, bottom: 44 };
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }
  function axes(root, yMax, format, label) {
    const plotH = H - M.top - M.bottom;
    for (let t = 0; t <= 4; t++) {
      const v = yMax * t / 4, y = M.top + plotH - plotH * t / 4;
      root.append(svg('line', { class: 'gridline', x1: M.left, x2: W - M.right, y1: y, y2: y }));
      root.append(svg('text', { x: M.left - 6, y: y + 4, 'text-anchor': 'end', text: format(v) }));
    }
    root.append(svg('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }));
    root.append(svg('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }));
    if (label) root.append(svg('text', { x: M.left + (W - M.left - M.right) / 2, y: H - 4, 'text-anchor': 'middle', text: label }));
  }
  function xLabels(root, labels, xOf) {
    const every = Math.max(1, Math.ceil(labels.length / 14));
    labels.forEach((label, i) => {
      if (i % every === 0) root.append(svg('text', { x: xOf(i), y: H - M.bottom + 14, 'text-anchor': 'middle', text: label }));
    });
  }
  function legend(series) {
    return el('div', { class: 'legend' }, series.map(s => el('span', {}, swatch(s.color), s.name)));
  }
  function swatch(color) { const s = el('span', { class: 'swatch' }); s.style.background = color; return s; }
  // Grouped bars: one group per label, one bar per series; optional [low, high] whiskers per value.
  function barChart(title, labels, series, format, axisLabel) {
    const yMax = niceMax(Math.max(0, ...series.flatMap(s => s.values.map((v, i) => Math.max(v || 0, s.ci && s.ci[i] ? s.ci[i][1] : 0)))));
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
    axes(root, yMax, format, axisLabel);
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom, groupW = plotW / Math.max(1, labels.length);
    const barW = Math.max(2, groupW * 0.8 / series.length);
    const xOf = i => M.left + groupW * (i + 0.5);
    const yOf = v => M.top + plotH - plotH * Math.min(1, v / yMax);
    series.forEach((s, k) => {
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        const x = M.left + groupW * i + groupW * 0.1 + barW * k;
        const rect = svg('rect', { x: x, y: yOf(v), width: barW - 1, height: Math.max(0, M.top + plotH - yOf(v)), fill: s.colors ? s.colors[i] : s.color },
          svg('title', { text: `${s.name} · ${labels[i]}: ${format(v)}${s.ci && s.ci[i] ? ' (95% CI ' + format(s.ci[i][0]) + ' – ' + format(s.ci[i][1]) + ')' : ''}` }));
        root.append(rect);
        if (s.ci && s.ci[i]) {
          const cx = x + (barW - 1) / 2;
          root.append(svg('line', { class: 'axis', x1: cx, x2: cx, y1: yOf(s.ci[i][0]), y2: yOf(s.ci[i][1]) }));
          root.append(svg('line', { class: 'axis', x1: cx - 3, x2: cx + 3, y1: yOf(s.ci[i][1]), y2: yOf(s.ci[i][1]) }));
          root.append(svg('line', { class: 'axis', x1: cx - 3, x2: cx + 3, y1: yOf(s.ci[i][0]), y2: yOf(s.ci[i][0]) }));
        }
      });
    });
    xLabels(root, labels, xOf);
    return el('div', { class: 'chart' }, root);
  }
  function lineChart(title, labels, series, format, axisLabel) {
    const yMax = niceMax(Math.max(0, ...series.flatMap(s => s.values.filter(v => v !== null && v !== undefined))));
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
    axes(root, yMax, format, axisLabel);
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom, step = plotW / Math.max(1, labels.length);
    const xOf = i => M.left + step * (i + 0.5);
    const yOf = v => M.top + plotH - plotH * Math.min(1, v / yMax);
    series.forEach(s => {
      let path = '';
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        path += (path ? ' L ' : 'M ') + xOf(i).toFixed(1) + ' ' + yOf(v).toFixed(1);
      });
      if (path) root.append(svg('path', { d: path, fill: 'none', stroke: s.color, 'stroke-width': 2 }));
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        root.append(svg('circle', { cx: xOf(i), cy: yOf(v), r: 3, fill: s.color }, svg('title', { text: `${s.name} · ${labels[i]}: ${format(v)}` })));
      });
    });
    xLabels(root, labels, xOf);
    return el('div', { class: 'chart' }, root);
  }
  function table(headers, rows, numeric) {
    return el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { scope: 'col', class: numeric && numeric[i] ? 'num' : null }, h)))),
      el('tbody', {}, rows.map(row => el('tr', {}, row.map((c, i) => el('td', { class: numeric && numeric[i] ? 'num' : null }, c)))))));
  }
  function dataTable(headers, rows, numeric) {
    return el('details', {}, el('summary', { text: 'Show as table' }), table(headers, rows, numeric));
  }
  function select(label, options, value, onchange) {
    const s = el('select', { onchange: () => onchange(s.value) }, options.map(([v, text]) => el('option', { value: v, text: text })));
    s.value = value;
    return el('label', {}, label, s);
  }
  function modelSeries(values) {
    return MODELS.map((m, k) => ({ name: m.name, color: MODEL_COLORS[k % MODEL_COLORS.length], values: values(m.summary, m) }));
  }

  // ---------- overview ----------
  function renderOverview(root) {
    renderRun(root);
    renderRatios(root);
    renderOrganism(root);
    renderByPosition(root);
    renderRanks(root);
    renderKl(root);
    renderMetrics(root);
    renderTopTokens(root);
    renderGroups(root);
  }
  function modelLabel(m) {
    const info = m.info || {};
    return [el('b', { text: m.name }), info.reference && info.reference !== m.name ? ' (' + info.reference + ')' : '', info.sha256 ? el('span', { class: 'muted mono', text: ' sha256 ' + info.sha256.slice(0, 12) }) : ''];
  }
  function renderRun(root) {
    const run = DATA.run;
    root.append(el('h2', { text: 'Run' }));
    if (DATA.warnings.length) root.append(el('div', { class: 'notice', role: 'status' }, el('b', { text: 'Warnings: ' }), el('ul', {}, DATA.warnings.map(w => el('li', { text: w })))));
    const facts = [['Base model', [el('b', { text: BASE_NAME }), run.base && run.base.sha256 ? el('span', { class: 'muted mono', text: ' sha256 ' + run.base.sha256.slice(0, 12) }) : '']],
      [MODELS.length > 1 ? 'Aligned models' : 'Aligned model', MODELS.map((m, i) => [i ? ', ' : '', modelLabel(m)])]];
    if (run.created) facts.push(['Created', run.created]);
    if (run.tool || run.version) facts.push(['Tool', [run.tool || '', ' ', run.version || '']]);
    if (run.seed !== undefined) facts.push(['Seed', run.seed]);
    root.append(table(['', ''], facts));
    if (run.options.length) root.append(el('details', {}, el('summary', { text: 'Options' }), table(['Option', 'Value'], run.options.map(([k, v]) => [el('code', { text: k }), el('code', { text: v })]))));
    if (run.timings.length) root.append(el('details', {}, el('summary', { text: 'Timings' }), table(['Phase', 'Value'], run.timings.map(([k, v]) => [k, v]))));
    const skipped = MODELS.filter(m => m.summary.skipped_count > 0);
    skipped.forEach(m => root.append(el('details', {}, el('summary', { text: `${m.name}: ${int(m.summary.skipped_count)} examples skipped` }),
      table(['Id', 'Reason'], m.summary.skipped.map(s => [s.id, s.reason])))));
    if (DATA.candidate_texts !== 'tokenizer') root.append(el('p', { class: 'muted', text: 'Candidate tokens that appear in no answer are shown by id (#123): the base model\u2019s tokenizer was not available when this report was written.' }));
  }
  function renderRatios(root) {
    root.append(el('h2', { text: 'Class ratios' }),
      el('p', { class: 'muted', text: 'Share of answer positions whose aligned token is the base model\u2019s top choice (unshifted), among its next choices (marginal) or further down its ranking (shifted). Whiskers: 95% bootstrap confidence interval over examples.' }));
    const series = MODELS.length === 1
      ? [{ name: MODELS[0].name, colors: CLASS_COLORS, color: CLASS_COLORS[0], values: MODELS[0].summary.ratios, ci: MODELS[0].summary.ci }]
      : MODELS.map((m, k) => ({ name: m.name, color: MODEL_COLORS[k % MODEL_COLORS.length], values: m.summary.ratios, ci: m.summary.ci }));
    root.append(barChart('Class ratios per model', CLASS_NAMES, series, v => pct(v, 0)), MODELS.length > 1 ? legend(series) : '');
    root.append(table(['Model', 'Examples', 'Positions'].concat(CLASS_NAMES),
      MODELS.map(m => [m.name, int(m.summary.examples), int(m.summary.positions)].concat(CLASS_NAMES.map((c, i) =>
        el('span', {}, pct(m.summary.ratios[i]), m.summary.ci ? el('span', { class: 'muted', text: ' (' + ci(m.summary.ci[i]) + ')' }) : '')))),
      [false, true, true, true, true, true]));
  }
  // Only runs over labelled outputs (the model organism's held-out answers) have this section.
  function renderOrganism(root) {
    const labelled = MODELS.filter(m => m.summary.organism);
    if (!labelled.length) return;
    root.append(el('h2', { text: 'Style and knowledge tokens' }),
      el('p', { class: 'muted', text: 'The answers are labelled: every character is style (openings, discourse markers, closings, refusal phrases) or knowledge (facts). A token takes the label of its first non-space character. Is “shifted” a detector of style? Precision: share of shifted positions that are style (chance: the style share). Recall: share of style positions that are shifted.' }));
    const rows = [];
    labelled.forEach(m => {
      const o = m.summary.organism;
      [['style', o.style], ['knowledge', o.knowledge]].forEach(([label, counts]) => {
        const n = counts[0] + counts[1] + counts[2];
        rows.push([m.name, label, int(n)].concat(counts.map(c => el('span', {}, int(c), el('span', { class: 'muted', text: ' (' + pct(n ? c / n : null) + ')' })))));
      });
    });
    root.append(table(['Model', 'Label', 'Positions'].concat(CLASS_NAMES), rows, [false, false, true, true, true, true]));
    root.append(table(['Model', 'Precision', 'Recall', 'Style share (chance precision)', 'Unlabelled positions'],
      labelled.map(m => { const o = m.summary.organism; return [m.name, pct(o.precision), pct(o.recall), pct(o.style_share), int(o.unlabelled)]; }),
      [false, true, true, true, true]));
  }
  function renderByPosition(root) {
    root.append(el('h2', { text: 'Ratio by position' }),
      el('p', { class: 'muted', text: 'Does the shift fade as the answer goes on? Left: bins of absolute token positions; right: each answer cut into tenths.' }));
    const state = { cls: '2' };
    const holder = el('div', { class: 'grid' });
    const chart = (cls, key, title, axis) => {
      const bins = longest(m => m.summary[key]);
      if (!bins.length) return el('p', { class: 'muted', text: 'The summary has no ' + title.toLowerCase() + '.' });
      const labels = bins.map(b => b.label);
      const series = modelSeries(s => labels.map((_, i) => s[key][i] ? s[key][i].ratios[cls] : null));
      return el('div', {}, el('h3', { text: title }),
        lineChart(`${CLASS_NAMES[cls]} ratio by ${axis}`, labels, series, v => pct(v, 0), axis), legend(series),
        dataTable(['Bin'].concat(MODELS.map(m => m.name + ' positions'), MODELS.map(m => m.name + ' ' + CLASS_NAMES[cls])),
          labels.map((label, i) => [label].concat(MODELS.map(m => int(m.summary[key][i] && m.summary[key][i].positions)), series.map(s => pct(s.values[i]))))));
    };
    const draw = () => {
      clear(holder);
      const cls = Number(state.cls);
      holder.append(chart(cls, 'absolute', 'Absolute position bins', 'answer position (tokens)'), chart(cls, 'relative', 'Relative position (deciles)', 'position in the answer'));
    };
    root.append(el('div', { class: 'controls' },
      select('Class', CLASS_NAMES.map((c, i) => [String(i), c]).reverse(), state.cls, v => { state.cls = v; draw(); })), holder);
    draw();
  }
  // The longest of the models' lists (summaries of runs with different answer lengths have different bins).
  function longest(list) {
    return MODELS.map(list).reduce((a, b) => (b.length > a.length ? b : a), []);
  }
  function renderRanks(root) {
    root.append(el('h2', { text: 'Base rank of the aligned token' }),
      el('p', { class: 'muted', text: 'Where the aligned model\u2019s token sits in the base model\u2019s ranking, as a share of each model\u2019s positions.' }));
    const labels = longest(m => m.summary.rank_histogram).map(b => b.label);
    if (!labels.length) { root.append(el('p', { class: 'muted', text: 'The summary has no base-rank histogram.' })); return; }
    const series = modelSeries(s => {
      const total = s.rank_histogram.reduce((a, b) => a + b.count, 0);
      return labels.map((_, i) => s.rank_histogram[i] && total ? s.rank_histogram[i].count / total : null);
    });
    root.append(barChart('Base rank histogram', labels, series, v => pct(v, 0), 'base rank'), legend(series),
      dataTable(['Rank'].concat(MODELS.map(m => m.name + ' positions'), MODELS.map(m => m.name + ' share')),
        labels.map((label, i) => [label].concat(MODELS.map(m => int(m.summary.rank_histogram[i] && m.summary.rank_histogram[i].count)), series.map(s => pct(s.values[i]))))));
  }
  const TOPK_KL_NOTE = 'exact KL not available: served models return only top-k; KL shown is over the top-k';
  const topKOnly = m => MODELS[m].summary.kl_top_k_only;
  function renderKl(root) {
    root.append(el('h2', { text: 'Mean KL by position' }));
    const topK = MODELS.filter(m => m.summary.kl_top_k_only).map(m => m.name);
    if (topK.length) root.append(el('p', { class: 'notice', id: 'kl-topk-note', text: (MODELS.length > 1 ? topK.join(', ') + ': ' : '') + TOPK_KL_NOTE + ' (each side renormalised over the ids both lists share).' }));
    const bins = longest(m => m.summary.kl_by_position);
    const known = MODELS.some(m => m.summary.kl_by_position.some(b => b.kl !== null || b.kl_reverse !== null));
    if (!bins.length || !known) { root.append(el('p', { class: 'muted', text: 'No KL values: they need both models\u2019 full distributions (both local).' })); return; }
    const state = { key: 'kl' };
    const holder = el('div');
    const draw = () => {
      clear(holder);
      const labels = bins.map(b => b.label);
      const series = modelSeries(s => labels.map((_, i) => s.kl_by_position[i] ? s.kl_by_position[i][state.key] : null));
      holder.append(lineChart('Mean KL by position', labels, series, num, 'answer position (tokens)'), legend(series),
        dataTable(['Bin'].concat(MODELS.map(m => m.name)), labels.map((label, i) => [label].concat(series.map(s => num(s.values[i]))))));
    };
    // Top-k KL has one direction only: no choice to offer when every model's KL is top-k.
    const directions = topK.length === MODELS.length ? [] : [el('div', { class: 'controls' }, select('Direction', [['kl', 'KL(aligned \u2016 base)'], ['kl_reverse', 'KL(base \u2016 aligned)']], state.key, v => { state.key = v; draw(); }))];
    root.append(...directions, holder);
    draw();
  }
  function renderMetrics(root) {
    const names = [...new Set(MODELS.flatMap(m => m.summary.metrics.map(([name]) => name)))];
    if (!names.length) return;
    root.append(el('h2', { text: 'Metrics' }));
    root.append(table(['Metric'].concat(MODELS.map(m => m.name)), names.map(name => [el('code', { text: name })].concat(MODELS.map(m => {
      const found = m.summary.metrics.find(([n]) => n === name);
      return found ? num(found[1]) : '—';
    }))), [false].concat(MODELS.map(() => true))));
  }
  function renderTopTokens(root) {
    root.append(el('h2', { text: 'Top shifted tokens' }));
    const grid = el('div', { class: 'grid' });
    MODELS.forEach(m => {
      const s = m.summary;
      if (!s.top_by_count) { grid.append(el('div', {}, el('h3', { text: m.name }), el('p', { class: 'muted', text: 'Not in the summary.' }))); return; }
      const rows = list => list.map(t => [tokenCode(t.token), int(t.shifted), int(t.total), pct(t.rate)]);
      grid.append(el('div', {}, el('h3', { text: m.name + ' — by count' }), table(['Token', 'Shifted', 'Total', 'Rate'], rows(s.top_by_count), [false, true, true, true])),
        el('div', {}, el('h3', { text: `${m.name} — by rate (at least ${int(s.top_min_count)} occurrences)` }), table(['Token', 'Shifted', 'Total', 'Rate'], rows(s.top_by_rate), [false, true, true, true])));
    });
    root.append(grid);
  }
  function renderGroups(root) {
    root.append(el('h2', { text: 'By category and tag' }));
    const keys = [];
    const seen = new Set();
    MODELS.forEach(m => m.summary.groups.forEach(g => { const k = g.kind + '\u0000' + g.name; if (!seen.has(k)) { seen.add(k); keys.push(g); } }));
    if (!keys.length) { root.append(el('p', { class: 'muted', text: 'The summary has no categories or tags.' })); return; }
    const headers = ['Kind', 'Group'];
    const numeric = [false, false];
    MODELS.forEach(m => { headers.push(`${m.name}: examples`, 'positions', ...CLASS_NAMES); numeric.push(true, true, true, true, true); });
    root.append(table(headers, keys.map(key => [key.kind, key.name].concat(MODELS.flatMap(m => {
      const g = m.summary.groups.find(x => x.kind === key.kind && x.name === key.name);
      if (!g) return ['—', '—', '—', '—', '—'];
      return [int(g.examples), int(g.positions)].concat(g.ratios.map((r, i) => el('span', { title: g.ci ? '95% CI ' + ci(g.ci[i]) : null, text: pct(r) })));
    }))), numeric));
  }

  // ---------- example browser ----------
  const browser = { model: 0, query: '', category: '', tag: '', min: '', max: '', sort: 'file', page: 0, example: -1, position: -1, marks: true, answers: [] };

  function examplesOf(m) { return MODELS[m].examples; }
  function countsOf(ex, i) { return [ex.counts[3 * i], ex.counts[3 * i + 1], ex.counts[3 * i + 2]]; }
  function shiftedRatio(ex, i) { const c = countsOf(ex, i), n = c[0] + c[1] + c[2]; return n ? c[2] / n : null; }
  function answerText(m, i) {
    const cache = browser.answers[m] || (browser.answers[m] = []);
    if (cache[i] === undefined) {
      const s = examplesOf(m).positions[i];
      let text = '';
      for (let p = 0; p < positionCount(s); p++) text += DATA.texts[get3(s, p * ENC.width)];
      cache[i] = text.toLowerCase();
    }
    return cache[i];
  }
  function filtered() {
    const ex = examplesOf(browser.model);
    const q = browser.query.trim().toLowerCase();
    const min = browser.min === '' ? null : Number(browser.min) / 100, max = browser.max === '' ? null : Number(browser.max) / 100;
    const cat = browser.category === '' ? null : Number(browser.category), tag = browser.tag === '' ? null : Number(browser.tag);
    const out = [];
    for (let i = 0; i < ex.id.length; i++) {
      if (cat !== null && ex.category[i] !== cat) continue;
      if (tag !== null && !ex.tags[i].includes(tag)) continue;
      const r = shiftedRatio(ex, i);
      if (min !== null && (r === null || r < min - 1e-12)) continue;
      if (max !== null && (r === null || r > max + 1e-12)) continue;
      if (q && !(ex.id[i].toLowerCase().includes(q) || DATA.instructions[ex.instruction[i]].toLowerCase().includes(q) || answerText(browser.model, i).includes(q))) continue;
      out.push(i);
    }
    const key = {
      file: null,
      'shifted-desc': i => -(shiftedRatio(ex, i) ?? -1),
      'shifted-asc': i => shiftedRatio(ex, i) ?? 2,
      'kl-desc': i => -(ex.mean_kl[i] ?? -1),
      'length-desc': i => -positionCount(ex.positions[i]),
    }[browser.sort];
    if (key) out.sort((a, b) => key(a) - key(b) || a - b);
    return out;
  }

  function renderExamples(root) {
    const listPane = el('div', { class: 'list-pane' });
    const detail = el('div', { class: 'detail-pane', id: 'example-detail' });
    root.append(el('div', { class: 'browser' }, listPane, detail));
    const status = el('p', { class: 'muted', role: 'status', id: 'list-status' });
    const list = el('ul', { class: 'example-list', id: 'example-list', 'aria-label': 'Examples' });
    const pager = el('div', { class: 'pager' });
    const refresh = (keepPage) => { if (!keepPage) browser.page = 0; drawList(list, status, pager, detail); };
    const input = (label, props, key) => {
      const field = el('input', Object.assign({ 'aria-label': label, oninput: () => { browser[key] = field.value; refresh(); } }, props));
      return field;
    };
    const filters = el('div', { class: 'filters' });
    if (MODELS.length > 1) {
      const s = el('select', { id: 'model-select', onchange: () => switchModel(Number(s.value), list, status, pager, detail) }, MODELS.map((m, i) => el('option', { value: i, text: m.name })));
      filters.append(el('label', { for: 'model-select', text: 'Model' }), s);
    }
    filters.append(el('label', { for: 'search', text: 'Search' }), input('Search id, instruction and answer', { id: 'search', type: 'search', placeholder: 'id, instruction, answer…' }, 'query'));
    if (DATA.categories.length) {
      const s = el('select', { id: 'category-filter', onchange: () => { browser.category = s.value; refresh(); } }, el('option', { value: '', text: 'all' }), DATA.categories.map((c, i) => el('option', { value: i, text: c })));
      filters.append(el('label', { for: 'category-filter', text: 'Category' }), s);
    }
    if (DATA.tags.length) {
      const kinds = [...new Set(DATA.tags.map(t => t[0]))];
      const s = el('select', { id: 'tag-filter', onchange: () => { browser.tag = s.value; refresh(); } }, el('option', { value: '', text: 'all' }),
        kinds.map(kind => el('optgroup', { label: kind }, DATA.tags.map((t, i) => [t, i]).filter(([t]) => t[0] === kind).map(([t, i]) => el('option', { value: i, text: t[1] })))));
      filters.append(el('label', { for: 'tag-filter', text: 'Tag' }), s);
    }
    filters.append(el('span', { text: 'Shifted %' }), el('span', { class: 'range' },
      input('Minimum shifted percentage', { id: 'shift-min', type: 'number', min: 0, max: 100, step: 1, placeholder: 'min' }, 'min'), '–',
      input('Maximum shifted percentage', { id: 'shift-max', type: 'number', min: 0, max: 100, step: 1, placeholder: 'max' }, 'max')));
    const sort = el('select', { id: 'sort', onchange: () => { browser.sort = sort.value; refresh(); } },
      [['file', 'file order'], ['shifted-desc', 'most shifted first'], ['shifted-asc', 'least shifted first'], ['kl-desc', 'highest mean KL first'], ['length-desc', 'longest first']].map(([v, t]) => el('option', { value: v, text: t })));
    filters.append(el('label', { for: 'sort', text: 'Sort' }), sort);
    listPane.append(filters, status, list, pager);
    pager.addEventListener('click', e => {
      const button = e.target.closest('button');
      if (!button) return;
      browser.page += Number(button.dataset.step);
      refresh(true);
    });
    refresh();
    if (examplesOf(browser.model).id.length) selectExample(filtered()[0] ?? 0, detail, list);
  }
  function switchModel(m, list, status, pager, detail) {
    const id = browser.example >= 0 ? examplesOf(browser.model).id[browser.example] : null;
    browser.model = m;
    browser.page = 0;
    drawList(list, status, pager, detail);
    const same = id === null ? -1 : examplesOf(m).id.indexOf(id);
    const first = filtered()[0];
    if (same >= 0) selectExample(same, detail, list);
    else if (first !== undefined) selectExample(first, detail, list);
    else { browser.example = -1; clear(detail); }
  }
  function drawList(list, status, pager, detail) {
    const ex = examplesOf(browser.model);
    const items = filtered();
    const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
    browser.page = Math.min(Math.max(0, browser.page), pages - 1);
    const shown = items.slice(browser.page * PAGE_SIZE, (browser.page + 1) * PAGE_SIZE);
    status.textContent = `${int(items.length)} of ${int(ex.id.length)} examples` + (items.length > PAGE_SIZE ? ` · showing ${int(browser.page * PAGE_SIZE + 1)}–${int(browser.page * PAGE_SIZE + shown.length)}` : '');
    clear(list);
    shown.forEach(i => {
      const c = countsOf(ex, i), n = c[0] + c[1] + c[2];
      const button = el('button', { type: 'button', 'aria-current': i === browser.example ? 'true' : null, 'data-index': i, onclick: () => selectExample(i, detail, list) },
        el('span', { class: 'meta' }, '#', ex.id[i], ex.category[i] >= 0 ? ' · ' + DATA.categories[ex.category[i]] : '', ` · ${int(n)} tokens · shifted ${pct(n ? c[2] / n : null)}`),
        el('span', { class: 'preview', text: DATA.instructions[ex.instruction[i]].slice(0, 200) }));
      list.append(el('li', {}, button));
    });
    clear(pager);
    if (pages > 1) {
      pager.append(el('button', { type: 'button', 'data-step': -1, disabled: browser.page === 0, text: '‹ Previous' }),
        el('span', { text: `page ${browser.page + 1} of ${pages}` }),
        el('button', { type: 'button', 'data-step': 1, disabled: browser.page === pages - 1, text: 'Next ›' }));
    }
  }
  function selectExample(i, detail, list) {
    browser.example = i;
    browser.position = -1;
    list.querySelectorAll('button[data-index]').forEach(b => b.setAttribute('aria-current', Number(b.dataset.index) === i ? 'true' : 'false'));
    drawExample(detail);
  }
  function drawExample(detail) {
    clear(detail);
    const m = browser.model, ex = examplesOf(m), i = browser.example;
    const s = ex.positions[i], n = positionCount(s), c = countsOf(ex, i);
    const others = MODELS.map((model, k) => [model, k]).filter(([, k]) => k !== m && hasExample(k, ex.id[i]));
    detail.append(el('h2', {}, 'Example ', el('span', { class: 'mono', text: '#' + ex.id[i] }), MODELS.length > 1 ? el('span', { class: 'muted', text: ' · ' + MODELS[m].name }) : ''));
    detail.append(el('div', { class: 'facts' },
      ex.category[i] >= 0 ? el('span', {}, el('b', { text: 'Category ' }), DATA.categories[ex.category[i]]) : '',
      ex.tags[i].length ? el('span', {}, el('b', { text: 'Tags ' }), ex.tags[i].map(t => DATA.tags[t][0] + ': ' + DATA.tags[t][1]).join(', ')) : '',
      el('span', {}, el('b', { text: 'Tokens ' }), int(n)),
      CLASS_NAMES.map((name, k) => el('span', {}, el('span', { class: 'badge c' + k, text: name }), ' ', int(c[k]), n ? ` (${pct(c[k] / n)})` : '')),
      el('span', {}, el('b', { text: topKOnly(m) ? 'Mean KL (top-k) ' : 'Mean KL ' }), num(ex.mean_kl[i]))));
    if (others.length) {
      detail.append(el('p', {}, 'Same example from: ', others.map(([model, k]) => el('button', { type: 'button', class: 'other-model', onclick: () => {
        const picker = document.getElementById('model-select');
        picker.value = String(k);
        picker.dispatchEvent(new Event('change'));
      } }, model.name))));
    }
    detail.append(el('h3', { text: 'Instruction' }), el('div', { class: 'instruction', id: 'instruction', text: DATA.instructions[ex.instruction[i]] }));
    const answer = el('div', { class: 'answer', id: 'answer', role: 'listbox', 'aria-label': `Answer tokens of ${MODELS[m].name}, coloured by class; arrow keys move, the panel below shows the position`, 'aria-orientation': 'horizontal' });
    const marks = el('input', { type: 'checkbox', id: 'marks', onchange: () => { browser.marks = marks.checked; drawExample(detail); } });
    marks.checked = browser.marks;
    const plain = el('input', { type: 'checkbox', id: 'plain', onchange: () => answer.classList.toggle('plain', plain.checked) });
    detail.append(el('h3', { text: 'Answer' }), el('div', { class: 'controls' },
      el('span', { class: 'legend' }, CLASS_NAMES.map((name, k) => el('span', {}, el('span', { class: 'badge c' + k, text: name })))),
      el('label', {}, marks, 'show spaces and tabs as · →'), el('label', {}, plain, 'no colour for unshifted')));
    for (let p = 0; p < n; p++) {
      const o = p * ENC.width, cls = LETTER[s.charCodeAt(o + 6)], text = DATA.texts[get3(s, o)];
      const token = el('span', { class: 'tok c' + cls, role: 'option', tabindex: p === 0 ? 0 : -1, 'aria-selected': 'false', 'data-p': p, 'aria-label': `${describeText(text)}, ${CLASS_NAMES[cls]}` });
      appendVisible(token, text, browser.marks, true);
      answer.append(token);
    }
    if (!n) answer.append(el('span', { class: 'muted', text: 'The answer has no tokens.' }));
    const panel = el('div', { class: 'position-panel', id: 'position-panel', 'aria-live': 'polite' }, el('span', { class: 'muted', text: 'Click a token (or focus the answer and use the arrow keys) to see both models\u2019 top candidates here.' }));
    answer.addEventListener('click', e => { const t = e.target.closest('.tok'); if (t) choosePosition(Number(t.dataset.p), answer, panel, true); });
    answer.addEventListener('keydown', e => {
      const focused = e.target.closest('.tok');
      const current = focused ? Number(focused.dataset.p) : Math.max(0, browser.position);
      const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -n, End: n };
      if (e.key in moves) {
        e.preventDefault();
        choosePosition(Math.min(n - 1, Math.max(0, current + moves[e.key])), answer, panel, true);
      } else if (e.key === 'Enter' || e.key === ' ') {
        const t = e.target.closest('.tok');
        if (t) { e.preventDefault(); choosePosition(Number(t.dataset.p), answer, panel, true); }
      }
    });
    detail.append(answer, panel);
  }
  function hasExample(k, id) { return examplesOf(k).id.includes(id); }
  function choosePosition(p, answer, panel, focus) {
    const previous = answer.querySelector('.tok[aria-selected="true"]');
    if (previous) { previous.setAttribute('aria-selected', 'false'); previous.tabIndex = -1; }
    const token = answer.querySelector(`.tok[data-p="${p}"]`);
    if (!token) return;
    token.setAttribute('aria-selected', 'true');
    token.tabIndex = 0;
    if (focus) token.focus();
    browser.position = p;
    drawPosition(panel, position(examplesOf(browser.model).positions[browser.example], p));
  }
  function drawPosition(panel, pos) {
    clear(panel);
    const n = positionCount(examplesOf(browser.model).positions[browser.example]);
    const rank = pos.rank >= ENC.rank_max ? '≥ ' + int(ENC.rank_max) : int(pos.rank);
    panel.append(el('div', { class: 'facts' },
      el('span', {}, el('b', { text: 'Position ' }), `${int(pos.index + 1)} of ${int(n)}`),
      el('span', {}, el('b', { text: 'Token ' }), tokenCode(pos.text), el('span', { class: 'muted', text: ` id ${pos.id}` })),
      el('span', { class: 'badge c' + pos.cls, text: CLASS_NAMES[pos.cls] }),
      el('span', { id: 'panel-rank' }, el('b', { text: 'Base rank ' }), rank),
      el('span', { id: 'panel-kl', title: topKOnly(browser.model) ? TOPK_KL_NOTE : '' }, el('b', { text: topKOnly(browser.model) ? 'KL(aligned\u2016base) over top-k ' : 'KL(aligned\u2016base) ' }), num(pos.kl)),
      topKOnly(browser.model) ? '' : el('span', {}, el('b', { text: 'KL(base\u2016aligned) ' }), num(pos.klReverse)),
      el('span', {}, el('b', { text: 'p aligned ' }), prob(pos.alignedP)),
      el('span', {}, el('b', { text: 'p base ' }), prob(pos.baseP))));
    const topTable = (title, list, id) => el('table', { id: id }, el('caption', { text: title }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '#' }), el('th', { scope: 'col', text: 'Token' }), el('th', { scope: 'col', class: 'num', text: 'Probability' }))),
      el('tbody', {}, list.map((cand, k) => {
        const text = tokenText(cand.id);
        const bar = el('span', { class: 'bar' });
        bar.style.width = Math.round(Math.max(0, cand.p) * 80) + 'px';
        return el('tr', { class: cand.id === pos.id ? 'chosen' : null },
          el('td', { class: 'num', text: k + 1 }),
          el('td', {}, text === null ? el('span', { class: 'muted', text: '#' + cand.id }) : [tokenCode(text), el('span', { class: 'muted', text: ' ' + cand.id })]),
          el('td', { class: 'num' }, bar, prob(cand.p)));
      })));
    panel.append(el('div', { class: 'tops' },
      topTable(`Aligned: ${MODELS[browser.model].name}`, pos.alignedTop, 'top-aligned'),
      topTable(`Base: ${BASE_NAME}`, pos.baseTop, 'top-base')));
    if (pos.rank > pos.baseTop.length) panel.append(el('p', { class: 'muted', text: `The aligned token is at base rank ${rank}, below the base model\u2019s top ${pos.baseTop.length}.` }));
  }

  // ---------- tabs and start ----------
  function setupTabs() {
    const tabs = [document.getElementById('tab-overview'), document.getElementById('tab-examples')];
    const panels = [document.getElementById('panel-overview'), document.getElementById('panel-examples')];
    let examplesDrawn = false;
    const show = k => {
      tabs.forEach((t, i) => { t.setAttribute('aria-selected', String(i === k)); t.tabIndex = i === k ? 0 : -1; panels[i].hidden = i !== k; });
      if (k === 1 && !examplesDrawn) { examplesDrawn = true; renderExamples(panels[1]); }
    };
    tabs.forEach((t, k) => {
      t.addEventListener('click', () => show(k));
      t.addEventListener('keydown', e => {
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { const next = (k + 1) % 2; show(next); tabs[next].focus(); }
      });
    });
  }

  const names = MODELS.map(m => m.name).join(', ');
  document.title = `${DATA.run.directory} · TDS report: ${names} vs ${BASE_NAME}`;
  document.getElementById('subtitle').textContent = `${names} against ${BASE_NAME} · ${int(MODELS.reduce((a, m) => a + m.examples.id.length, 0))} answers · ${int(MODELS.reduce((a, m) => a + m.examples.positions.reduce((b, s) => b + positionCount(s), 0), 0))} positions`;
  setupTabs();
  renderOverview(document.getElementById('panel-overview'));
})();
