import { escapeHtml, htmlPage } from './sandbox.http';
import type { ProcessorModule } from './sandbox.types';

const SHARED_CONTROL_ROUTES = [
  'GET /__sandbox/stats — request counters per processor since start',
  'GET /__sandbox/processors — the processors served and their base paths',
];

const list = (items: readonly string[]): string =>
  `<ul>${items.map((item) => `<li><code>${escapeHtml(item)}</code></li>`).join('')}</ul>`;

function processorSection(module: ProcessorModule): string {
  const magic = module.magicValues
    .map((m) => `<tr><td><code>${escapeHtml(m.value)}</code></td><td>${escapeHtml(m.effect)}</td></tr>`)
    .join('\n');
  const controlRoutes = module.controlRoutes.map((r) => `/__sandbox/${module.name} ${r}`);
  return `<section id="${escapeHtml(module.name)}">
<h2>${escapeHtml(module.title)} <small>(<code>${escapeHtml(module.name)}</code>)</small></h2>
<p>API base paths:</p>${list(module.basePaths)}
${module.hostedPage ? `<p>Hosted payment page: <code>${escapeHtml(module.hostedPage)}</code></p>` : ''}
<table><thead><tr><th>Magic value</th><th>Effect</th></tr></thead><tbody>
${magic}
</tbody></table>
<p>Control routes:</p>${list(controlRoutes)}
</section>`;
}

/** `GET /`: what this sandbox serves, for a developer opening it in a browser. */
export function indexPage(modules: readonly ProcessorModule[]): string {
  return htmlPage(
    'Switchyard connector sandbox',
    `<h1>Switchyard connector sandbox</h1>
<p>Local imitations of the payment processors' APIs, with scripted outcomes. State is in memory and lost on restart.</p>
<p>Processors served: ${modules.map((m) => `<a href="#${escapeHtml(m.name)}">${escapeHtml(m.name)}</a>`).join(', ')}</p>
${modules.map(processorSection).join('\n')}
<h2>Sandbox control routes</h2>${list(SHARED_CONTROL_ROUTES)}`,
  );
}
