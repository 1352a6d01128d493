// latency.svg: p50 and p99 latency against offered rate, engine and floor, on a log scale (overloaded steps reach
// seconds while healthy ones stay at a few ms). Hand-written SVG: no dependency, readable in any browser.

const W = 760;
const H = 440;
const M = { left: 64, right: 170, top: 44, bottom: 52 };
const COLOURS = { engine: '#1f6feb', floor: '#d97706' };
const P99_BAR_MS = 100;

/**
 * `series`: { engine: steps[], floor: steps[] } (steps with offered, p50_ms, p99_ms). Steps for which `disturbed(step)`
 * is true (other processes were busy) are drawn as hollow points. Returns the SVG text.
 */
export function latencyChart({ series, title, disturbed = () => false }) {
  const points = Object.values(series).flat();
  const maxRate = Math.max(...points.map((s) => s.offered), 100);
  const maxMs = Math.max(...points.map((s) => s.p99_ms ?? 0), P99_BAR_MS * 2);
  const yTop = 10 ** Math.ceil(Math.log10(maxMs));
  const yBottom = 1;
  const x = (rate) => M.left + (rate / maxRate) * (W - M.left - M.right);
  const y = (ms) => {
    const clamped = Math.min(Math.max(ms, yBottom), yTop);
    const share = Math.log10(clamped / yBottom) / Math.log10(yTop / yBottom);
    return H - M.bottom - share * (H - M.top - M.bottom);
  };

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  // Grid: decades on y, the offered rates on x.
  for (let ms = yBottom; ms <= yTop; ms *= 10) {
    parts.push(line(M.left, y(ms), W - M.right, y(ms), '#e5e7eb'));
    parts.push(text(M.left - 8, y(ms) + 4, ms < 1000 ? `${ms} ms` : `${ms / 1000} s`, 'end'));
  }
  const rates = [...new Set(points.map((s) => s.offered))].sort((a, b) => a - b);
  for (const rate of rates) {
    parts.push(line(x(rate), H - M.bottom, x(rate), H - M.bottom + 5, '#6b7280'));
    parts.push(text(x(rate), H - M.bottom + 18, String(rate), 'middle'));
  }
  parts.push(line(M.left, H - M.bottom, W - M.right, H - M.bottom, '#6b7280'));
  parts.push(line(M.left, M.top, M.left, H - M.bottom, '#6b7280'));
  parts.push(text((M.left + W - M.right) / 2, H - 12, 'offered rate (payments/s)', 'middle'));
  // The bar: p99 under 100 ms.
  parts.push(line(M.left, y(P99_BAR_MS), W - M.right, y(P99_BAR_MS), '#dc2626', '4 4'));
  parts.push(text(M.left + 6, y(P99_BAR_MS) - 6, 'p99 bar (100 ms)', 'start', '#dc2626'));

  const legend = [];
  for (const [name, steps] of Object.entries(series)) {
    for (const [field, dash] of [
      ['p99_ms', ''],
      ['p50_ms', '6 4'],
    ]) {
      const valid = steps.filter((s) => s[field] !== null);
      if (valid.length === 0) continue;
      const path = valid
        .map((s, i) => `${i ? 'L' : 'M'}${x(s.offered).toFixed(1)},${y(s[field]).toFixed(1)}`)
        .join(' ');
      parts.push(
        `<path d="${path}" fill="none" stroke="${COLOURS[name]}" stroke-width="2" stroke-dasharray="${dash}"/>`,
      );
      for (const s of valid) {
        const fill = disturbed(s) ? '#fff' : COLOURS[name];
        const at = `cx="${x(s.offered).toFixed(1)}" cy="${y(s[field]).toFixed(1)}"`;
        parts.push(`<circle ${at} r="3.5" fill="${fill}" stroke="${COLOURS[name]}" stroke-width="1.5">`);
        parts.push(`<title>${name} ${field.replace('_ms', '')} at ${s.offered}/s: ${s[field]} ms</title></circle>`);
      }
      legend.push({ label: `${name} ${field.replace('_ms', '')}`, colour: COLOURS[name], dash });
    }
  }
  legend.forEach((entry, i) => {
    const ly = M.top + 10 + i * 22;
    parts.push(line(W - M.right + 16, ly, W - M.right + 52, ly, entry.colour, entry.dash, 2));
    parts.push(text(W - M.right + 58, ly + 4, entry.label, 'start'));
  });
  const noteY = M.top + 10 + legend.length * 22 + 8;
  parts.push(
    `<circle cx="${W - M.right + 34}" cy="${noteY}" r="3.5" fill="#fff" stroke="#6b7280" stroke-width="1.5"/>`,
  );
  parts.push(text(W - M.right + 58, noteY + 4, 'busy machine', 'start'));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function line(x1, y1, x2, y2, stroke, dash = '', width = 1) {
  const d = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-width="${width}"${d}/>`;
}

function text(x, y, content, anchor, fill = '#374151') {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" fill="${fill}">${escape(content)}</text>`;
}

const escape = (s) =>
  String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
