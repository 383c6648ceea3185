/**
 * Schema of the embedded store, one entry per version. `PRAGMA user_version` records how many have
 * run; append new entries, never edit old ones (databases in the field already ran them).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: conversations, their search terms, API keys.
  `
  CREATE TABLE conversations (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    started_at TEXT NOT NULL,
    started_at_ms INTEGER NOT NULL,
    channel TEXT NOT NULL,
    customer_id TEXT,
    agent_id TEXT,
    doc TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );
  CREATE INDEX conversations_by_time ON conversations (started_at_ms DESC, id);
  CREATE INDEX conversations_by_channel_time ON conversations (channel, started_at_ms DESC, id);
  CREATE INDEX conversations_by_customer ON conversations (customer_id, started_at_ms DESC);

  -- rowid = conversations.seq. Contentless: the terms live in conversations.doc already.
  -- Terms are encoded by fts-terms.ts so that unicode61 sees each one as exactly one token.
  CREATE VIRTUAL TABLE conversation_terms USING fts5(
    terms,
    tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_''',
    content = '',
    contentless_delete = 1
  );

  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    revoked_at TEXT
  );
  `,
  // 2: per-utterance full-text units by speaker, label index, columns for filters, saved searches,
  // audit log. Rows written before this version are queued in search_reindex and rebuilt on open.
  `
  ALTER TABLE conversations ADD COLUMN utterance_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN sentiment REAL NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN complaint INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX conversations_by_agent ON conversations (agent_id, started_at_ms DESC);

  CREATE TABLE conversation_labels (
    label TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (label, seq)
  ) WITHOUT ROWID;
  CREATE INDEX conversation_labels_by_seq ON conversation_labels (seq, label);

  -- rowid = conversations.seq * 65536 + utterance index; the text goes into its speaker's column.
  CREATE VIRTUAL TABLE utterance_units USING fts5(
    customer, agent, other,
    tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_''',
    content = '',
    contentless_delete = 1
  );

  CREATE TABLE search_reindex (seq INTEGER PRIMARY KEY);
  INSERT INTO search_reindex SELECT seq FROM conversations;

  CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX saved_searches_by_owner ON saved_searches (owner, created_at_ms DESC, id DESC);

  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at_ms INTEGER NOT NULL,
    entry TEXT NOT NULL
  );
  `,
  // 3: analyst corrections of labels (the record as JSON, plus the columns it is listed by).
  `
  CREATE TABLE corrections (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    label TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX corrections_by_time ON corrections (at_ms DESC, id DESC);
  CREATE INDEX corrections_by_conversation ON corrections (conversation_id, at_ms, id);
  CREATE INDEX corrections_by_label ON corrections (label, at_ms DESC, id DESC);
  `,
  // 4: generated reports (the weekly competitor report) with their PDF.
  `
  CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    from_ms INTEGER NOT NULL,
    record TEXT NOT NULL,
    pdf BLOB NOT NULL
  );
  CREATE INDEX reports_by_period ON reports (from_ms DESC, id);
  `,
  // 5: saved searches shared with the team (issue 12): the owner's key name and the shared flag.
  // Searches saved before stay private to their owner.
  `
  ALTER TABLE saved_searches ADD COLUMN owner_name TEXT NOT NULL DEFAULT '';
  ALTER TABLE saved_searches ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX saved_searches_shared ON saved_searches (created_at_ms DESC, id DESC) WHERE shared = 1;
  `,
];
