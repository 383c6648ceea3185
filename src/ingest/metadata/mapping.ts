import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SPEAKERS } from '../../domain/conversation.js';
import { decodeUpload } from '../formats/decode.js';
import { ParseFormatError, type ChatMapping } from '../formats/types.js';

/*
 * A mapping file says where the parts of a message are in any other JSON or CSV chat export:
 *   records: data.list        # JSON only: dotted path to the array of messages (default: the root array)
 *   text: body.content        # required: the message text
 *   speaker: from_type        # required: who wrote it
 *   time: created_at          # optional: epoch seconds/milliseconds or a date-time
 *   session: conv_id          # optional: the conversation a message belongs to (default: one per file)
 *   customerId: visitor.id    # optional
 *   agentId: staff_no         # optional
 *   roles: { "1": customer, "2": agent, "9": system }   # optional: speaker values -> roles
 * Paths are dotted keys of a JSON message, or CSV column names.
 */

const path = z.string().trim().min(1, 'expected a field name or dotted path');
const mappingSchema = z.strictObject({
  records: path.optional(),
  text: path,
  speaker: path,
  time: path.optional(),
  session: path.optional(),
  customerId: path.optional(),
  agentId: path.optional(),
  roles: z
    .record(z.string(), z.enum(SPEAKERS, { error: `expected one of ${SPEAKERS.join(', ')}` }))
    .optional(),
});

/** Reads and checks a mapping file (YAML or JSON); throws ParseFormatError naming each problem. */
export function parseMapping(content: Buffer | string, name: string): ChatMapping {
  const text = decodeUpload(content, name);
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    const message = `not valid YAML (${(err as Error).message.split('\n')[0]})`;
    throw new ParseFormatError(`${name}: ${message}`, [{ where: name, message }]);
  }
  const result = mappingSchema.safeParse(value);
  if (result.success) {
    const { roles, ...fields } = result.data;
    return { ...fields, ...(roles ? { roles: Object.fromEntries(Object.entries(roles)) } : {}) };
  }
  const issues = result.error.issues.map((issue) => ({
    where: `${name} ${issue.path.join('.') || '$'}`,
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.join(', ')}: expected records, text, speaker, time, session, customerId, agentId, roles`
        : issue.message,
  }));
  throw new ParseFormatError(`${name} is not a usable mapping`, issues);
}
