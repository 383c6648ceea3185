import { loadConfig } from '../config/env.js';
import { createKeyAdmin } from '../container.js';
import type { Role } from '../storage/types.js';

type KeysCommand =
  { action: 'create'; role: Role; name: string } | { action: 'list' } | { action: 'revoke'; id: string };

export async function runKeys(command: KeysCommand): Promise<void> {
  const admin = await createKeyAdmin(loadConfig());
  try {
    if (command.action === 'create') {
      const { key, record } = await admin.keys.create(command.role, command.name);
      process.stderr.write(
        `created key ${record.id} (role ${record.role}); store it now, it is not shown again\n`,
      );
      process.stdout.write(`${key}\n`);
    } else if (command.action === 'list') {
      for (const k of await admin.keys.list()) {
        process.stdout.write(
          `${k.id}\t${k.role}\t${k.name || '-'}\tcreated ${k.createdAt}${k.revokedAt ? `\trevoked ${k.revokedAt}` : ''}\n`,
        );
      }
    } else {
      if (!(await admin.keys.revoke(command.id)))
        throw new Error(`no key with id ${command.id} (see \`voc keys list\`)`);
      process.stderr.write(`revoked ${command.id}\n`);
    }
  } finally {
    await admin.close();
  }
}
