-- A legacy EX-AI database whose tables were all made by hand, as several status documents describe doing through
-- the Supabase SQL editor: text and bigint ids, tables without primary keys (and with identical rows), json
-- instead of jsonb, enum vocabularies, a tracker keyed by codes such as "P0-1", a file_metadata whose provider ids
-- are a bare JSON array, a materialized view over messages and a view in another schema.
-- The rows are invented for tests; each awkward case is marked "awkward:".

CREATE TYPE issue_severity AS ENUM ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW');

-- awkward: text ids.
CREATE TABLE sessions (id text PRIMARY KEY, user_id uuid, started timestamptz);
INSERT INTO sessions VALUES ('sess-1', '9a9a9a9a-0000-4000-8000-000000000001', '2025-10-05 10:00:00+00');

-- awkward: bigint ids, a text session reference, json metadata.
CREATE TABLE conversations (id bigint PRIMARY KEY, continuation_id text, session_id text, metadata json, created_at timestamptz);
INSERT INTO conversations VALUES
    (1, 'hand-thread-1', 'sess-1', '{"tool_name": "chat", "note": null}', '2025-10-05 10:01:00+00'),
    (2, 'hand-thread-2', 'sess-unknown', '[1, 2, 3]', '2025-10-05 11:00:00+00');

-- awkward: no primary key, a bigint conversation reference, two identical rows.
CREATE TABLE messages (conversation_id bigint, role text, content text, created_at timestamptz);
INSERT INTO messages VALUES
    (1, 'user', 'hello', '2025-10-05 10:01:05+00'),
    (1, 'assistant', 'hi there', '2025-10-05 10:01:06+00'),
    (1, 'assistant', 'hi there', '2025-10-05 10:01:06+00'),
    (2, 'USER', 'second thread', '2025-10-05 11:00:01+00'),
    (99, 'user', 'thread 99 is gone', '2025-10-05 12:00:00+00');

-- awkward: the path is in "path", the id is text.
CREATE TABLE files (id text PRIMARY KEY, path text, name text, bytes numeric, created_at timestamp);
INSERT INTO files VALUES ('file-a', 'uploads/a.txt', 'a.txt', 12.0, '2025-10-05 10:02:00'), ('file-b', NULL, 'b.txt', -1, '2025-10-05 10:03:00');

-- awkward: no key at all, the same link twice, links by text ids.
CREATE TABLE conversation_files (conversation_id text, file_id text);
INSERT INTO conversation_files VALUES ('1', 'file-a'), ('1', 'file-a'), ('hand-thread-2', 'uploads/a.txt'), ('1', 'file-zzz');

-- awkward: no provider column, ids that name files by text.
CREATE TABLE provider_file_uploads (id serial PRIMARY KEY, provider_file_id text, file_id text, state text);
INSERT INTO provider_file_uploads (provider_file_id, file_id, state) VALUES ('kimi-1', 'file-a', 'uploaded'), ('kimi-2', 'nope', NULL);

CREATE TABLE file_deletion_jobs (id serial PRIMARY KEY, provider_file_id text, provider text, status text, attempts bigint);
INSERT INTO file_deletion_jobs (provider_file_id, provider, status, attempts) VALUES ('kimi-1', 'unknown', 'weird', 99999999999);

-- awkward: the provider ids as a bare array.
CREATE TABLE file_metadata (id uuid PRIMARY KEY, provider_file_ids jsonb, sha256 text);
INSERT INTO file_metadata VALUES ('9a9a9a9a-0000-4000-8000-0000000000f1', '["x-1", "x-2"]', 'abc');

CREATE TABLE exai_issues (id uuid PRIMARY KEY, title text NOT NULL, severity issue_severity, status text);
INSERT INTO exai_issues VALUES ('9a9a9a9a-0000-4000-8000-0000000000a1', '  Spaces around  ', 'HIGH', 'in progress');

-- awkward: keyed by a code, not a UUID.
CREATE TABLE exai_issues_tracker (issue_id text PRIMARY KEY, issue_title text, severity text, priority text, status text);
INSERT INTO exai_issues_tracker VALUES ('P0-1', 'Path handling malformed', 'Critical', 'P0', 'Fix In Progress');

CREATE TABLE exai_issue_updates (id serial PRIMARY KEY, issue_id text, update_type text, content text);
INSERT INTO exai_issue_updates (issue_id, update_type, content) VALUES ('P0-1', 'comment', 'on the tracker row'), ('P1-9', 'status', 'on nothing');

CREATE TABLE exai_issue_checklist (issue_id text, step_number int, description text, done boolean);
INSERT INTO exai_issue_checklist VALUES ('P0-1', 2, 'second', false), ('P0-1', 1, 'first', true);

CREATE TABLE issues (id bigint PRIMARY KEY, issue_code text, title text, resolved boolean);
INSERT INTO issues VALUES (1, 'X-1', NULL, true);

CREATE TABLE phase1_issues (issue_title text, priority int);
INSERT INTO phase1_issues VALUES ('No key here', 1), ('No key here', 1);

-- awkward: a materialized view over a replaced table, and a view in another schema.
CREATE MATERIALIZED VIEW message_counts AS SELECT conversation_id, count(*) AS n FROM messages GROUP BY conversation_id;
CREATE SCHEMA reporting;
CREATE VIEW reporting.threads AS SELECT id, continuation_id FROM conversations;

CREATE TABLE notes_by_hand (id serial PRIMARY KEY, body text);
INSERT INTO notes_by_hand (body) VALUES ('unknown table, stays');
