/**
 * The one write path of the conversation table and its search indexes (FTS5 terms, utterance units,
 * labels), shared by the store's own handle (schema upgrades on open, stores without a write thread)
 * and the write thread (write-thread.ts), so both write the same rows.
 */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { documentTerms, parseInstant } from '../search-query.js';
import { labelKeys, speakerField, utteranceUnits } from '../text-query.js';
import type { SqliteDatabase } from './database.js';
import { ftsTerm } from './fts-terms.js';
import { UTTERANCE_SLOTS, type Params } from './sqlite-search.js';

type Statements = ReturnType<typeof prepare>;

// Prepared once per handle: preparing seven statements per write cost about 1 ms each time.
const prepared = new WeakMap<SqliteDatabase, Statements>();

function prepare(db: SqliteDatabase) {
  return {
    // Replacing keeps the row's seq, so the FTS row (rowid = seq) is deleted and rewritten with it.
    before: db.prepare<[string], { seq: number; n: number; uploadSeq: number | null }>(
      "SELECT seq, utterance_count AS n, json_extract(doc, '$.uploadSeq') AS uploadSeq FROM conversations WHERE id = ?",
    ),
    upsert: db.prepare<Params, { seq: number }>(`
      INSERT INTO conversations (id, started_at, started_at_ms, channel, customer_id, agent_id, doc, updated_at_ms,
        utterance_count, sentiment, complaint)
      VALUES (@id, @startedAt, @startedAtMs, @channel, @customerId, @agentId, @doc, @now, @utterances, @sentiment, @complaint)
      ON CONFLICT (id) DO UPDATE SET
        started_at = excluded.started_at, started_at_ms = excluded.started_at_ms,
        channel = excluded.channel, customer_id = excluded.customer_id, agent_id = excluded.agent_id,
        doc = excluded.doc, updated_at_ms = excluded.updated_at_ms, utterance_count = excluded.utterance_count,
        sentiment = excluded.sentiment, complaint = excluded.complaint
      RETURNING seq`),
    deleteTerms: db.prepare('DELETE FROM conversation_terms WHERE rowid = ?'),
    insertTerms: db.prepare('INSERT INTO conversation_terms (rowid, terms) VALUES (?, ?)'),
    deleteUnits: db.prepare('DELETE FROM utterance_units WHERE rowid = ?'),
    insertUnits: db.prepare(
      'INSERT INTO utterance_units (rowid, customer, agent, other) VALUES (?, ?, ?, ?)',
    ),
    deleteLabels: db.prepare('DELETE FROM conversation_labels WHERE seq = ?'),
    insertLabel: db.prepare('INSERT OR IGNORE INTO conversation_labels (label, seq) VALUES (?, ?)'),
  };
}

/** Upserts validated documents in one immediate transaction; an older upload never replaces a newer. */
export function writeConversations(db: SqliteDatabase, docs: readonly ProcessedConversation[]): void {
  let s = prepared.get(db);
  if (s === undefined) prepared.set(db, (s = prepare(db)));
  const st = s;
  const now = Date.now();
  db.transaction(() => {
    for (const doc of docs) {
      const c = doc.conversation;
      const old = st.before.get(c.id);
      // A lower upload sequence than the stored one is an older upload whose job ran late.
      if (old?.uploadSeq != null && doc.uploadSeq !== undefined && doc.uploadSeq < old.uploadSeq) continue;
      // utterance_count says which slots hold units (0 for rows from before schema 2: none yet).
      for (let i = 0; old !== undefined && i < Math.min(old.n, UTTERANCE_SLOTS); i++) {
        st.deleteUnits.run(old.seq * UTTERANCE_SLOTS + i);
      }
      const row = st.upsert.get({
        id: c.id,
        startedAt: c.startedAt,
        startedAtMs: parseInstant(c.startedAt) ?? 0,
        channel: c.channel,
        customerId: c.customerId ?? null,
        agentId: c.agentId ?? null,
        doc: JSON.stringify(doc),
        now,
        utterances: c.utterances.length,
        sentiment: doc.analysis.sentiment.customer,
        complaint: doc.analysis.complaint.is ? 1 : 0,
      });
      if (row === undefined) throw new Error(`upsert of ${c.id} returned no row`);
      st.deleteTerms.run(row.seq);
      st.insertTerms.run(row.seq, documentTerms(doc).map(ftsTerm).join(' '));
      st.deleteLabels.run(row.seq);
      for (const label of labelKeys(doc)) st.insertLabel.run(label, row.seq);
      utteranceUnits(doc).forEach((units, i) => {
        if (i >= UTTERANCE_SLOTS || units.length === 0) return;
        const text = units.map(ftsTerm).join(' ');
        const field = speakerField(c.utterances[i]?.speaker ?? 'other');
        st.insertUnits.run(
          row.seq * UTTERANCE_SLOTS + i,
          field === 'customer' ? text : null,
          field === 'agent' ? text : null,
          field === 'other' ? text : null,
        );
      });
    }
  }).immediate();
}
