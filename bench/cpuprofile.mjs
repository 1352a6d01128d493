// CPU profiling of a running app through its inspector port (node --inspect=127.0.0.1:<port>), so the profile covers
// exactly the measured step (not start-up), and a summary of the .cpuprofile: self time per function and time per
// layer (package or Switchyard library) on the stack.

import { WebSocket } from 'undici';

/** Connects to the inspector of the process listening on `port`; `send(method, params)` resolves with the result. */
export async function connectInspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot connect to the inspector on port ${port}`));
  });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${message.error.message} (${message.error.code})`));
    else waiter.resolve(message.result);
  };
  return {
    send(method, params = {}) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => ws.close(),
  };
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
// Native socket writes. On loopback, the write wakes the Postgres/Redis process that reads it, which usually takes the
// CPU at once: the main thread then waits in the run queue, and the sampling profiler (wall-clock based) charges that
// wait to writev. Measured here: far more writev time in the profile than kernel time of the whole process. So they
// are reported apart, and the layer shares are given of the rest (the JavaScript work).
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);

/** Where a frame's code lives: a package, a Switchyard library or app, Node itself, or V8's special entries. */
export function layerOf(frame) {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const url = frame.url ?? '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /dist\/((?:libs|apps)\/[^/]+|config)/.exec(url);
  if (own) return `switchyard ${own[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  return url ? 'other' : '(native)';
}

function shortUrl(url) {
  return (url ?? '')
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, 'dist/');
}

/**
 * `{ totalMs, busyMs, special, topSelf[], layersSelf[], layersOnStack[] }`: self time per function (top `limit`), self
 * time per layer, and per layer the time during which at least one of its frames was on the stack (inclusive).
 */
export function summariseProfile(profile, limit = 25) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map();
  // timeDeltas[i] is the time since the previous sample: charge it to the sample it ends (V8's own convention).
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const special = {};
  const byFunction = new Map();
  const layersSelf = new Map();
  const layersOnStack = new Map();
  let socketWritesUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    if (SOCKET_WRITES.has(frame.functionName) && !frame.url) {
      socketWritesUs += us;
      continue;
    }
    const layer = layerOf(frame);
    if (SPECIAL.has(frame.functionName)) special[frame.functionName] = (special[frame.functionName] ?? 0) + us;
    const key = `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(key, { us: (byFunction.get(key)?.us ?? 0) + us, layer });
    layersSelf.set(layer, (layersSelf.get(layer) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(layerOf(nodes.get(at).callFrame));
    for (const onStack of seen) layersOnStack.set(onStack, (layersOnStack.get(onStack) ?? 0) + us);
  }
  const idle = special['(idle)'] ?? 0;
  const busyUs = totalUs - idle;
  const workUs = busyUs - socketWritesUs;
  const pct = (us) => Math.round((us / workUs) * 1000) / 10;
  const rank = (map, value = (v) => v) =>
    [...map.entries()].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => value(b[1]) - value(a[1]));
  return {
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    idlePct: Math.round((idle / totalUs) * 1000) / 10,
    socketWritesPctOfBusy: Math.round((socketWritesUs / busyUs) * 1000) / 10,
    note: 'percentages are of the main thread time that was neither idle nor in native socket writes',
    special: Object.fromEntries(Object.entries(special).map(([k, us]) => [k, pct(us)])),
    topSelf: rank(byFunction, (v) => v.us)
      .slice(0, limit)
      .map(([fn, v]) => ({ function: fn, layer: v.layer, self_pct: pct(v.us) })),
    layersSelf: rank(layersSelf)
      .slice(0, limit)
      .map(([layer, us]) => ({ layer, self_pct: pct(us) })),
    layersOnStack: rank(layersOnStack)
      .filter(([layer]) => !SPECIAL.has(layer))
      .slice(0, limit)
      .map(([layer, us]) => ({ layer, on_stack_pct: pct(us) })),
  };
}
