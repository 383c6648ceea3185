/**
 * Fills an embedded store with many copies of one analysed conversation straight through SQL, so a
 * test can search tens of thousands of conversations after a second of setup instead of running the
 * pipeline on each. Rows are written exactly as SqliteConversationStore writes them (utterance
 * units per speaker, rowid = seq * 65536 + utterance index), on a second connection (WAL).
 */
import type { ProcessedConversation } from '../../src/domain/processed-conversation.js';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import { ftsTerm } from '../../src/storage/sqlite/fts-terms.js';
import { UTTERANCE_SLOTS } from '../../src/storage/sqlite/sqlite-search.js';
import { parseInstant } from '../../src/storage/search-query.js';
import { speakerField, utteranceUnits } from '../../src/storage/text-query.js';

/**
 * Writes `count` conversations `${prefix}-${i}`, one minute apart going back from the template's
 * start, the i-th repeating the template's utterances 1 + i % 3 times (so relevance differs).
 */
export function fillSqliteStore(
  dataDir: string,
  template: ProcessedConversation,
  count: number,
  prefix = 'bulk',
): void {
  const db = openDatabase(dataDir);
  try {
    const insert = db.prepare(
      `INSERT INTO conversations (id, started_at, started_at_ms, channel, customer_id, agent_id, doc,
         updated_at_ms, utterance_count, sentiment, complaint)
       VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)`,
    );
    const unit = db.prepare(
      'INSERT INTO utterance_units (rowid, customer, agent, other) VALUES (?, ?, ?, ?)',
    );
    const units = utteranceUnits(template).map((u) => u.map(ftsTerm).join(' '));
    const speakers = template.conversation.utterances.map((u) => speakerField(u.speaker));
    const start = parseInstant(template.conversation.startedAt) ?? 0;
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const repeat = 1 + (i % 3);
        const ms = start - i * 60_000;
        const conversation = {
          ...template.conversation,
          id: `${prefix}-${i}`,
          startedAt: new Date(ms).toISOString(),
          utterances: Array.from({ length: repeat }, () => template.conversation.utterances).flat(),
        };
        const doc = {
          ...template,
          conversation,
          tokens: Array.from({ length: repeat }, () => template.tokens).flat(),
        };
        const { lastInsertRowid } = insert.run(
          conversation.id,
          conversation.startedAt,
          ms,
          conversation.channel,
          JSON.stringify(doc),
          ms,
          conversation.utterances.length,
          template.analysis.sentiment.customer,
          template.analysis.complaint.is ? 1 : 0,
        );
        const seq = Number(lastInsertRowid);
        conversation.utterances.forEach((_, k) => {
          const text = units[k % units.length] ?? '';
          const field = speakers[k % speakers.length];
          if (text === '') return;
          unit.run(
            seq * UTTERANCE_SLOTS + k,
            field === 'customer' ? text : null,
            field === 'agent' ? text : null,
            field === 'other' ? text : null,
          );
        });
      }
    })();
  } finally {
    db.close();
  }
}
