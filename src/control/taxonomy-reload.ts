import type { Logger } from '../logging/logger.js';
import type { Pipeline, PipelineReloadReport } from '../pipeline/run-pipeline.js';
import type { ControlBus, ProcessInfo } from './control-bus.js';

/**
 * A taxonomy or dictionary reload reaches every process: the process that receives the admin's
 * request validates and reloads first (an invalid file is refused there and nothing is broadcast),
 * then every other process reloads on the bus message and reports the version it now runs.
 */
export class TaxonomyReloader {
  constructor(
    private readonly deps: {
      bus: ControlBus;
      /** Undefined while this process has not loaded its pipeline: it will read the new files then. */
      loadedPipeline: () => Pipeline | undefined;
      pipeline: () => Pipeline;
      roles: () => string[];
      logger: Logger;
    },
  ) {}

  /** Subscribes this process and reports its versions; call once at start. */
  async start(): Promise<void> {
    this.deps.bus.subscribe((message) => {
      if (message.kind !== 'taxonomy-reload' || message.from === this.deps.bus.processId) return;
      this.applyHere().catch((err: unknown) => this.deps.logger.warn({ err }, 'reload report failed'));
    });
    await this.reportHere();
  }

  /** Reloads here (throws on invalid files), then tells every other process. */
  async reloadEverywhere(): Promise<PipelineReloadReport> {
    const report = this.deps.pipeline().reload();
    await this.reportHere({ at: new Date().toISOString(), ok: true });
    await this.deps.bus.publish({
      kind: 'taxonomy-reload',
      from: this.deps.bus.processId,
      at: new Date().toISOString(),
    });
    return report;
  }

  processes(): Promise<ProcessInfo[]> {
    return this.deps.bus.processes();
  }

  private async applyHere(): Promise<void> {
    const pipeline = this.deps.loadedPipeline();
    if (!pipeline) return this.reportHere();
    try {
      pipeline.reload();
      this.deps.logger.info({ versions: pipeline.versions }, 'taxonomy reloaded on broadcast');
      await this.reportHere({ at: new Date().toISOString(), ok: true });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.deps.logger.error({ err }, 'taxonomy reload on broadcast refused; this process keeps its version');
      await this.reportHere({ at: new Date().toISOString(), ok: false, error });
    }
  }

  private async reportHere(lastReload?: ProcessInfo['lastReload']): Promise<void> {
    const pipeline = this.deps.loadedPipeline();
    const { taxonomy, dictionary, pipeline: engine } = pipeline?.versions ?? {};
    await this.deps.bus.report({
      roles: this.deps.roles(),
      ...(pipeline ? { versions: { taxonomy: taxonomy!, dictionary: dictionary!, pipeline: engine! } } : {}),
      ...(lastReload ? { lastReload } : {}),
    });
  }
}
