import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from './config/env.js';
import { ROLES } from './storage/types.js';
import { runAnalyze } from './cli/analyze.js';
import { runConvert } from './cli/convert.js';
import { runCorrectionsExport } from './cli/corrections.js';
import { runIngest } from './cli/ingest.js';
import { runKeys } from './cli/keys.js';
import { runReanalyze } from './cli/reanalyze.js';
import { runReportCompetitors } from './cli/report.js';
import { runServe } from './cli/serve.js';
import { FORMATS } from './ingest/formats/index.js';

/** `voc`: thin wrappers over the services. Logs go to stderr; stdout carries only the command's output. */
const program = new Command('voc')
  .description('Conversation analytics for Chinese bank contact centers')
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the HTTP API (and, in the embedded mode, the worker in the same process)')
  .action(() => runServe(['api']));

program
  .command('worker')
  .description('Start a worker that analyses and indexes uploaded conversations')
  .action(() => runServe(['worker']));

program
  .command('convert')
  .description(
    'Print the native conversations of a transcript or chat file as JSONL (personal numbers masked)',
  )
  .requiredOption('-i, --input <file>', 'file to convert ("-" for stdin)')
  .addOption(new Option('-f, --format <format>', 'input format (detected when absent)').choices(FORMATS))
  .option('--speakers <map>', 'speaker/channel id to role, e.g. "0:agent,1:customer"')
  .option('--started-at <iso>', 'start time for files that carry none')
  .option('--no-redact', 'keep personal numbers (output stays on this machine)')
  .action(runConvert);

program
  .command('ingest')
  .description('Upload a file or every file of a directory to a running service, with progress')
  .requiredOption('-i, --input <path>', 'file or directory')
  .option(
    '-u, --url <url>',
    'service URL',
    process.env.VOC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`,
  )
  .option('-k, --key <key>', 'API key with role ingest (or set VOC_API_KEY)', process.env.VOC_API_KEY)
  .addOption(new Option('-f, --format <format>', 'input format (detected when absent)').choices(FORMATS))
  .option('--speakers <map>', 'speaker/channel id to role, e.g. "0:agent,1:customer"')
  .option('--started-at <iso>', 'start time for files that carry none')
  .option(
    '--manifest <file>',
    'CSV or JSON listing per file: file,id,startedAt,channel,agentId,customerId,speakers',
  )
  .option(
    '--name-pattern <pattern>',
    'read facts from file names, e.g. "{date:yyyyMMdd}_{time:HHmmss}_{agentId}_{customerId}"',
  )
  .option(
    '--mapping <file>',
    'YAML for any other JSON/CSV chat export: which field is the text, speaker, time, session',
  )
  .option('--no-wait', 'return once uploaded, without waiting for indexing')
  .action(runIngest);

program
  .command('analyze')
  .description(
    'Analyse native conversations (JSONL or a JSON array) and print one analysis per line; no server needed',
  )
  .requiredOption('-i, --input <file>', 'file ("-" for stdin)')
  .action(runAnalyze);

program
  .command('reanalyze')
  .description(
    'Re-apply the current taxonomy, dictionary and model to stored conversations (resumable); --dry-run reports per label what would change',
  )
  .option('--dry-run', 'only report, per label, how many conversations would gain or lose it, with examples')
  .option('--force', 're-analyse conversations already at the current versions too')
  .action(runReanalyze);

program
  .command('corrections')
  .description('Analyst corrections of labels on the configured store (no server needed)')
  .command('export')
  .description(
    'Print one line per corrected conversation, {conversation, expected}: the evaluation format of `npm run evaluate -- --corrections <file>`',
  )
  .action(runCorrectionsExport);

program
  .command('report')
  .description('Reports on the configured store (no server needed)')
  .command('competitors')
  .description(
    'Generate and store the competitor report of an ISO week (as the Monday 08:00 job does) and write it as PDF, CSV or JSON',
  )
  .option('-w, --week <week>', 'ISO week, e.g. 2026-W45 (default: last week)')
  .requiredOption('-o, --out <file>', 'output file ("-" for stdout)')
  .addOption(
    new Option('-f, --format <format>', 'output format (default: from the file extension, else pdf)').choices(
      ['pdf', 'csv', 'json'],
    ),
  )
  .action(runReportCompetitors);

const keys = program
  .command('keys')
  .description('Manage API keys on the configured store (no server needed)');
keys
  .command('create')
  .description('Create a key and print it (only) on stdout; it is shown this once')
  .addOption(new Option('-r, --role <role>', 'role of the key').choices(ROLES).makeOptionMandatory())
  .option('-n, --name <name>', 'who or what uses the key', '')
  .action((opts: { role: (typeof ROLES)[number]; name: string }) => runKeys({ action: 'create', ...opts }));
keys
  .command('list')
  .description('List keys (id, name, role, created, revoked); keys themselves are never stored')
  .action(() => runKeys({ action: 'list' }));
keys
  .command('revoke <id>')
  .description('Revoke a key by id')
  .action((id: string) => runKeys({ action: 'revoke', id }));

try {
  // Validate the environment before any command, so every problem is listed up front.
  loadConfig();
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`voc: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
