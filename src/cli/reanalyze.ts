import cliProgress from 'cli-progress';
import { loadConfig } from '../config/env.js';
import { createContainer } from '../container.js';
import { createLogger } from '../logging/logger.js';

/**
 * `voc reanalyze`: re-applies the current taxonomy/dictionary/model to stored conversations in this
 * process, with progress. Interrupted runs resume: conversations already at the current versions are
 * skipped (Elasticsearch restarts its rebuild index). `--dry-run` reports per label what would change.
 */
export async function runReanalyze(options: { dryRun?: boolean; force?: boolean }): Promise<void> {
  const config = loadConfig();
  const container = await createContainer(config, createLogger(config.logLevel));
  const bar = new cliProgress.SingleBar(
    { format: 're-analyse [{bar}] {percentage}% | {value}/{total} conversations | {rewritten} rewritten' },
    cliProgress.Presets.shades_classic,
  );
  try {
    bar.start(await container.stores.conversations.count(), 0, { rewritten: 0 });
    const onProgress = (p: { scanned: number; rewritten: number }) =>
      bar.update(p.scanned, { rewritten: p.rewritten });
    if (options.dryRun) {
      const report = await container.reanalysis.dryRun(onProgress);
      bar.stop();
      process.stderr.write(`${report.changed} of ${report.scanned} conversation(s) would change\n`);
      for (const l of report.labels) {
        process.stdout.write(
          `${l.label}\t+${l.gained}\t-${l.lost}\t${[...l.examples.gained.map((id) => `+${id}`), ...l.examples.lost.map((id) => `-${id}`)].join(' ')}\n`,
        );
      }
    } else {
      const result = await container.reanalysis.run({ force: options.force ?? false }, onProgress);
      bar.stop();
      process.stderr.write(`${result.rewritten} of ${result.scanned} conversation(s) re-analysed\n`);
    }
  } finally {
    bar.stop();
    await container.close({ drain: false });
  }
}
