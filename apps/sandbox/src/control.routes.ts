import { express, type Request, type Response, type Router, type NextFunction } from './express-typed';
import { isBodyParserError } from './sandbox.http';
import type { ProcessorModule } from './sandbox.types';

/** The processors whose counters and control routes are served under `/__sandbox`. */
export class ControlRegistry {
  private readonly modules = new Map<string, ProcessorModule>();

  add(module: ProcessorModule): void {
    if (this.modules.has(module.name)) throw new Error(`sandbox processor registered twice: ${module.name}`);
    this.modules.set(module.name, module);
  }

  list(): ProcessorModule[] {
    return [...this.modules.values()];
  }

  stats(): Record<string, object> {
    const out: Record<string, object> = {};
    for (const module of this.modules.values()) out[module.name] = module.stats();
    return out;
  }
}

/**
 * `/__sandbox`: counters, stored objects and knobs for tests and developers. Plain JSON (`{"error": "…"}` on failure), not the
 * processors' envelopes: this surface belongs to the sandbox, not to any imitated API.
 */
export function createControlRouter(registry: ControlRegistry): Router {
  const router = express.Router();
  router.use(express.json({ limit: '100kb' }));

  router.get('/stats', (_req: Request, res: Response) => {
    res.json(registry.stats());
  });
  router.get('/processors', (_req: Request, res: Response) => {
    res.json(registry.list().map((m) => ({ name: m.name, title: m.title, basePaths: m.basePaths })));
  });
  for (const module of registry.list()) router.use(`/${module.name}`, module.controlRouter);

  router.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'Not found' });
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
      res
        .status(err.status)
        .json({ error: err.type === 'entity.parse.failed' ? 'Malformed JSON' : 'Bad request body' });
      return;
    }
    console.error('sandbox control: unexpected error', err instanceof Error ? err.stack : err);
    res.status(500).json({ error: 'Internal error' });
  });
  return router;
}
