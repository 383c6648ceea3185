import { once } from 'node:events';
import { loadConfig } from '../config/env.js';
import { createCorrectionAdmin } from '../container.js';

/**
 * `voc corrections export`: one line per corrected conversation, in the evaluation format
 * `{conversation, expected}` that `npm run evaluate -- --corrections <file>` scores. The conversation is
 * the stored (redacted) one; expected is its analysis after the analysts' corrections.
 */
export async function runCorrectionsExport(): Promise<void> {
  const admin = await createCorrectionAdmin(loadConfig());
  let lines = 0;
  try {
    const items = admin.corrections.evaluationItems((id) =>
      process.stderr.write(`skipped ${id}: corrected, but no longer stored\n`),
    );
    for await (const item of items) {
      if (!process.stdout.write(`${JSON.stringify(item)}\n`)) await once(process.stdout, 'drain');
      lines++;
    }
    process.stderr.write(`${lines} corrected conversation(s) exported\n`);
  } finally {
    await admin.close();
  }
}
