-- An EX-AI-MCP-Server database as it stood at the end of October 2025 (the "Personal AI" project), rebuilt from
-- the shapes the project's migrations, Python storage code and status documents describe: the October 15 base
-- schema (enums message_role / file_type, conversations, messages, files, conversation_files), the October 17-29
-- additions (provider_file_uploads with supabase_file_id, purpose, checksums and download tracking; the
-- file_deletion_jobs queue; sessions with a text user_id; messages.idempotency_key; files.sha256 / provider
-- columns), the redundant file_metadata with its provider_file_ids JSON map, and the four issue tables of
-- October 16-18, some of them made by hand (mixed-case vocabularies, no check constraints).
-- The rows are invented for tests; each awkward case the adoption must survive is marked "awkward:".

CREATE TYPE message_role AS ENUM ('user', 'assistant', 'system');
CREATE TYPE file_type AS ENUM ('user_upload', 'generated', 'cache');
CREATE TYPE test_status AS ENUM ('passed', 'failed', 'partial', 'untested');

CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END
$$;

CREATE TABLE schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz DEFAULT now(),
    description text
);
INSERT INTO schema_version (version, applied_at, description) VALUES
    (1, '2025-10-15 02:00:00+00', 'Initial schema: conversations, messages, files, conversation_files'),
    (2, '2025-10-18 03:10:00+00', 'Add supabase_file_id column to provider_file_uploads'),
    (3, '2025-10-22 01:45:00+00', 'Enhanced file schema: purpose, checksums');

CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id text NOT NULL,
    title text,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'completed', 'expired')),
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    expires_at timestamptz,
    turn_count integer DEFAULT 0,
    total_tokens integer DEFAULT 0,
    metadata jsonb DEFAULT '{}'::jsonb
);
CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_status ON sessions (status);
CREATE TRIGGER trigger_sessions_updated_at BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    continuation_id text UNIQUE NOT NULL,
    title text,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    session_id uuid REFERENCES sessions (id) ON DELETE SET NULL
);
CREATE INDEX idx_conversations_continuation_id ON conversations (continuation_id);
CREATE INDEX idx_conversations_session_id ON conversations (session_id);

CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
    role message_role NOT NULL,
    content text NOT NULL,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now(),
    idempotency_key text
);
CREATE INDEX idx_messages_conversation_id ON messages (conversation_id);
CREATE UNIQUE INDEX idx_messages_idempotency_key ON messages (idempotency_key);

CREATE TABLE files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    storage_path text UNIQUE NOT NULL,
    original_name text NOT NULL,
    mime_type text,
    size_bytes integer,
    file_type file_type NOT NULL DEFAULT 'user_upload',
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now(),
    sha256 text,
    provider_file_id text,
    provider text,
    accessed_at timestamptz
);
CREATE INDEX idx_files_storage_path ON files (storage_path);
CREATE UNIQUE INDEX idx_files_sha256 ON files (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE conversation_files (
    conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
    file_id uuid REFERENCES files (id) ON DELETE CASCADE,
    added_at timestamptz DEFAULT now(),
    PRIMARY KEY (conversation_id, file_id)
);

CREATE TABLE provider_file_uploads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider text NOT NULL CONSTRAINT chk_provider CHECK (provider IN ('kimi', 'glm', 'openai', 'anthropic')),
    provider_file_id text NOT NULL,
    sha256 text,
    filename text NOT NULL,
    file_size_bytes integer,
    last_used timestamptz DEFAULT now(),
    upload_status text NOT NULL DEFAULT 'completed' CHECK (upload_status IN ('pending', 'completed', 'failed', 'deleted')),
    error_message text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    supabase_file_id text DEFAULT NULL,
    purpose varchar(20) NOT NULL DEFAULT 'file-extract',
    checksum_sha256 varchar(64),
    custom_metadata jsonb DEFAULT '{}',
    mime_type varchar(100),
    file_updated_at timestamptz DEFAULT now(),
    download_count integer DEFAULT 0,
    last_downloaded_at timestamptz,
    cache_path varchar(500),
    cache_expiry timestamptz,
    cache_size_bytes bigint,
    cache_hit_count integer DEFAULT 0,
    CONSTRAINT uq_provider_file_id UNIQUE (provider, provider_file_id)
);
CREATE INDEX idx_provider_uploads_sha256 ON provider_file_uploads (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX idx_provider_file_uploads_supabase_file_id ON provider_file_uploads (supabase_file_id);
CREATE TRIGGER trigger_provider_file_uploads_updated_at BEFORE UPDATE ON provider_file_uploads
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE file_deletion_jobs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider text NOT NULL,
    provider_file_id text NOT NULL,
    status text DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    attempts integer DEFAULT 0,
    last_error text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

-- awkward: the redundant table, with the provider ids in a JSON map keyed by provider.
CREATE TABLE file_metadata (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file_id uuid,
    original_filename text NOT NULL,
    supabase_storage_path text,
    local_cache_path text,
    provider_file_ids jsonb DEFAULT '{}',
    file_hash text,
    file_size_bytes bigint,
    mime_type text,
    uploaded_by text,
    access_count integer DEFAULT 0,
    last_accessed timestamptz,
    is_orphaned boolean DEFAULT false,
    metadata jsonb,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE exai_issues (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_number serial,
    title text NOT NULL,
    description text,
    severity text,
    category text,
    status text DEFAULT 'open',
    file_path text,
    line_start integer,
    line_end integer,
    affected_components text[],
    conversation_id text,
    fix_conversation_id text,
    root_cause text,
    impact_description text,
    recommended_fix text,
    actual_fix text,
    related_issues uuid[],
    blocks_issues uuid[],
    blocked_by_issues uuid[],
    fix_date timestamptz,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

CREATE TABLE exai_issue_updates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_id uuid REFERENCES exai_issues (id) ON DELETE CASCADE,
    update_type text NOT NULL,
    content text,
    conversation_id text,
    created_by text,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE exai_issue_checklist (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_id uuid REFERENCES exai_issues (id) ON DELETE CASCADE,
    step_number integer,
    description text NOT NULL,
    status text DEFAULT 'pending',
    conversation_id text,
    completed_at timestamptz,
    created_at timestamptz DEFAULT now()
);

-- awkward: a view over the issue tables.
CREATE VIEW exai_active_issues AS
SELECT i.id, i.issue_number, i.title, i.severity, i.status,
       count(c.id) FILTER (WHERE c.status = 'complete') AS completed_steps,
       count(c.id) AS total_steps
FROM exai_issues i
LEFT JOIN exai_issue_checklist c ON c.issue_id = i.id
WHERE i.status NOT IN ('fixed', 'verified', 'closed', 'wont_fix')
GROUP BY i.id;

-- awkward: made by hand; key issue_id, "Critical"/"P0"/"Root Cause Identified" vocabulary.
CREATE TABLE exai_issues_tracker (
    issue_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    description text,
    severity text,
    category text,
    affected_components text[],
    root_cause_hypothesis text,
    diagnostic_approach text,
    fix_strategy text,
    affected_files text[],
    priority text,
    status text,
    discovered_date timestamptz,
    source text,
    related_issues uuid[],
    notes text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_exai_issues_priority ON exai_issues_tracker (priority);

-- awkward: bigint id plus a code.
CREATE TABLE issues (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    issue_code text UNIQUE,
    title text,
    description text,
    status text,
    priority text,
    created_at timestamptz DEFAULT now()
);

-- awkward: issue_title, a serial id and a timestamp without time zone.
CREATE TABLE phase1_issues (
    id serial PRIMARY KEY,
    issue_title text,
    issue_description text,
    severity text,
    status text,
    component text,
    resolution text,
    created_at timestamp DEFAULT now()
);

-- awkward: a second view, over all four issue tables.
CREATE VIEW all_issue_titles AS
SELECT 'exai_issues' AS origin, id::text AS key, title FROM exai_issues
UNION ALL SELECT 'exai_issues_tracker', issue_id::text, title FROM exai_issues_tracker
UNION ALL SELECT 'issues', id::text, title FROM issues
UNION ALL SELECT 'phase1_issues', id::text, issue_title FROM phase1_issues;

-- Tables outside the consolidation: they stay where they are.
CREATE TABLE exai_future_enhancements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    description text,
    priority text,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE exai_tool_validation (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tool_name text NOT NULL,
    status test_status NOT NULL DEFAULT 'untested',
    notes text,
    validated_at timestamptz DEFAULT now()
);
CREATE VIEW tool_validation_summary AS
SELECT status, count(*) AS tools FROM exai_tool_validation GROUP BY status;

-- awkward: tables that stay but hold foreign keys into tables that are replaced.
CREATE TABLE exai_session_notes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
    note text
);
CREATE TABLE file_embeddings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_file_id uuid NOT NULL REFERENCES provider_file_uploads (id) ON DELETE CASCADE,
    embedding_model varchar(50) NOT NULL,
    embedding_data jsonb NOT NULL
);

-- ---------------------------------------------------------------------------------------------------------------
-- Rows
-- ---------------------------------------------------------------------------------------------------------------

INSERT INTO sessions (id, user_id, title, status, created_at, updated_at, expires_at, turn_count, total_tokens, metadata) VALUES
    ('0c000000-0000-4000-8000-000000000001', '6f1c2a4e-93b1-4c9e-9a52-1d2f3e4a5b6c', 'VS Code window 1', 'active',
     '2025-10-19 08:00:00.123456+00', '2025-10-19 09:30:00+00', '2025-10-20 08:00:00+00', 14, 52011, '{"client": "vscode"}'),
    -- awkward: a user id that is not a UUID.
    ('0c000000-0000-4000-8000-000000000002', 'claude-desktop', NULL, 'expired',
     '2025-10-19 22:15:00+11', '2025-10-19 23:00:00+11', NULL, 0, 0, '{}');

INSERT INTO conversations (id, continuation_id, title, metadata, created_at, updated_at, session_id) VALUES
    ('0c100000-0000-4000-8000-000000000001', '014e83a9-e53c-4d4b-ae8e-bb73eaf88231', 'Conversation 014e83a9',
     '{"tool_name": "chat", "model_used": "glm-4.6", "provider_used": "glm", "user_id": "6f1c2a4e-93b1-4c9e-9a52-1d2f3e4a5b6c"}',
     '2025-10-19 08:01:00.5+00', '2025-10-19 09:29:00+00', '0c000000-0000-4000-8000-000000000001'),
    -- awkward: a continuation id that is not a UUID.
    ('0c100000-0000-4000-8000-000000000002', 'thinkdeep-2025-10-17-a', NULL, '{}',
     '2025-10-17 01:00:00+00', '2025-10-17 01:00:00+00', NULL),
    ('0c100000-0000-4000-8000-000000000003', 'debb44af-15b9-456d-9b88-6a2519f81427', 'Async provider timeouts',
     '{"tool_name": "debug", "model_used": "kimi-k2-0905-preview", "provider_used": "kimi", "legacy": "metadata with a reserved key"}',
     '2025-10-16 05:00:00+00', '2025-10-16 07:00:00+00', '0c000000-0000-4000-8000-000000000002');

INSERT INTO messages (id, conversation_id, role, content, metadata, created_at, idempotency_key) VALUES
    ('0c200000-0000-4000-8000-000000000001', '0c100000-0000-4000-8000-000000000001', 'system', 'You are EXAI.', '{}',
     '2025-10-19 08:01:00.600001+00', 'k1'),
    ('0c200000-0000-4000-8000-000000000002', '0c100000-0000-4000-8000-000000000001', 'user', 'Why does the "async" GLM call hang? 🤔', '{"files": 0}',
     '2025-10-19 08:01:01+00', 'k2'),
    ('0c200000-0000-4000-8000-000000000003', '0c100000-0000-4000-8000-000000000001', 'assistant', 'Because no timeout is set on the client.',
     '{"model_used": "glm-4.6", "provider_used": "glm", "token_usage": {"input": 812, "output": 64}}',
     '2025-10-19 08:01:09.250+00', 'k3'),
    -- awkward: the same reply recorded twice 400 ms apart (a retried insert), with its own id and key.
    ('0c200000-0000-4000-8000-000000000004', '0c100000-0000-4000-8000-000000000001', 'assistant', 'Because no timeout is set on the client.',
     '{"model_used": "glm-4.6", "provider_used": "glm", "token_usage": {"input": 812, "output": 64}}',
     '2025-10-19 08:01:09.650+00', 'k3-retry'),
    -- not a duplicate: the same words, much later.
    ('0c200000-0000-4000-8000-000000000005', '0c100000-0000-4000-8000-000000000001', 'user', 'continue', '{}', '2025-10-19 09:00:00+00', 'k5'),
    ('0c200000-0000-4000-8000-000000000006', '0c100000-0000-4000-8000-000000000001', 'user', 'continue', '{}', '2025-10-19 09:20:00+00', 'k6'),
    ('0c200000-0000-4000-8000-000000000007', '0c100000-0000-4000-8000-000000000002', 'user', 'Think deeply about timeouts.', '{}', '2025-10-17 01:00:05+00', NULL),
    -- awkward: a message whose conversation is NULL.
    ('0c200000-0000-4000-8000-000000000008', NULL, 'assistant', 'Orphaned reply with no thread.', '{}', '2025-10-18 12:00:00+00', NULL);

INSERT INTO files (id, storage_path, original_name, mime_type, size_bytes, file_type, metadata, created_at, sha256, provider_file_id, provider, accessed_at) VALUES
    ('0c300000-0000-4000-8000-000000000001', 'user-files/2025/10/report.md', 'report.md', 'text/markdown', 4096, 'user_upload',
     '{"encoding": "utf-8"}', '2025-10-19 08:05:00+00', encode(sha256('report v1'::bytea), 'hex'), NULL, NULL, '2025-10-20 10:00:00+00'),
    ('0c300000-0000-4000-8000-000000000002', 'generated-files/2025/10/summary.txt', 'summary.txt', 'text/plain', 512, 'generated',
     '{}', '2025-10-19 08:06:00+00', NULL, 'd3kimi-gen-01', 'kimi', NULL),
    -- awkward: an upper-case hash (the new schema checks lower-case hex).
    ('0c300000-0000-4000-8000-000000000003', 'user-files/cache/tmp-42.json', 'tmp-42.json', 'application/json', 17, 'cache',
     '{}', '2025-10-21 00:00:00+00', upper(encode(sha256('tmp 42'::bytea), 'hex')), NULL, NULL, NULL);

INSERT INTO conversation_files (conversation_id, file_id, added_at) VALUES
    ('0c100000-0000-4000-8000-000000000001', '0c300000-0000-4000-8000-000000000001', '2025-10-19 08:05:01+00'),
    ('0c100000-0000-4000-8000-000000000001', '0c300000-0000-4000-8000-000000000002', '2025-10-19 08:06:01+00'),
    ('0c100000-0000-4000-8000-000000000003', '0c300000-0000-4000-8000-000000000003', '2025-10-21 00:00:01+00');

INSERT INTO provider_file_uploads (id, provider, provider_file_id, sha256, filename, file_size_bytes, last_used, upload_status, error_message,
                                   created_at, updated_at, supabase_file_id, purpose, checksum_sha256, custom_metadata, mime_type,
                                   download_count, last_downloaded_at, cache_path, cache_hit_count) VALUES
    ('0c400000-0000-4000-8000-000000000001', 'kimi', 'd3kimi-aaa', encode(sha256('report v1'::bytea), 'hex'), 'report.md', 4096,
     '2025-10-20 10:00:00+00', 'completed', NULL, '2025-10-19 08:05:10+00', '2025-10-20 10:00:00+00',
     '0c300000-0000-4000-8000-000000000001', 'file-extract', NULL, '{"source": "smart_file_query"}', 'text/markdown',
     3, '2025-10-20 10:00:00+00', '/app/.cache/d3kimi-aaa', 2),
    ('0c400000-0000-4000-8000-000000000002', 'glm', 'glm-file-77', encode(sha256('report v0'::bytea), 'hex'), 'report.md', 4000,
     '2025-10-19 08:07:00+00', 'completed', NULL, '2025-10-19 08:07:00+00', '2025-10-19 08:07:00+00',
     -- awkward: a text file id naming a file that no longer exists.
     '0c3fffff-0000-4000-8000-00000000dead', 'file-extract', NULL, '{}', NULL, 0, NULL, NULL, 0),
    ('0c400000-0000-4000-8000-000000000003', 'kimi', 'd3kimi-bbb', NULL, 'huge.pdf', 2000000000,
     '2025-10-21 00:00:00+00', 'failed', 'Request Entity Too Large', '2025-10-21 00:00:00+00', '2025-10-21 00:00:00+00',
     -- awkward: a text file id that is not a UUID at all.
     'upload-skipped', 'assistants', NULL, '{}', 'application/pdf', 0, NULL, NULL, 0),
    -- awkward: a text file id that is the file's storage path rather than its id.
    ('0c400000-0000-4000-8000-000000000004', 'kimi', 'd3kimi-gen-01', NULL, 'summary.txt', 512,
     '2025-10-19 08:06:30+00', 'deleted', NULL, '2025-10-19 08:06:30+00', '2025-10-22 00:00:00+00',
     'generated-files/2025/10/summary.txt', 'file-extract', upper(encode(sha256('summary'::bytea), 'hex')), NULL, 'text/plain', 0, NULL, NULL, 0);

INSERT INTO file_deletion_jobs (id, provider, provider_file_id, status, attempts, last_error, created_at, updated_at) VALUES
    ('0c600000-0000-4000-8000-000000000001', 'kimi', 'd3kimi-gen-01', 'completed', 1, NULL, '2025-10-22 00:00:00+00', '2025-10-22 00:00:05+00'),
    ('0c600000-0000-4000-8000-000000000002', 'glm', 'glm-file-77', 'processing', 2, 'HTTP 502 from open.bigmodel.cn', '2025-10-23 00:00:00+00', '2025-10-23 00:10:00+00');

INSERT INTO file_metadata (id, file_id, original_filename, supabase_storage_path, local_cache_path, provider_file_ids, file_hash,
                           file_size_bytes, mime_type, uploaded_by, access_count, last_accessed, is_orphaned, metadata, created_at) VALUES
    -- awkward: kimi's id is already in provider_file_uploads with the same hash (the same upload, recognised);
    -- glm's id is there with a different hash (a conflict, kept and reported).
    ('0c500000-0000-4000-8000-000000000001', '0c300000-0000-4000-8000-000000000001', 'report.md', 'user-files/2025/10/report.md',
     '/app/.cache/report.md', '{"kimi": "d3kimi-aaa", "glm": "glm-file-77"}', encode(sha256('report v1'::bytea), 'hex'),
     4096, 'text/markdown', 'exai-ws', 12, '2025-10-20 11:00:00+00', false, '{"tags": ["docs"]}', '2025-10-19 08:05:20+00'),
    -- awkward: the map's value is an object, and one provider holds two ids.
    ('0c500000-0000-4000-8000-000000000002', NULL, 'notes.txt', NULL, '/app/.cache/notes.txt',
     '{"kimi": {"file_id": "d3kimi-ccc", "uploaded_at": "2025-10-20T01:02:03Z"}, "glm": ["glm-a1", "glm-a2"]}',
     encode(sha256('notes'::bytea), 'hex'), 77, 'text/plain', NULL, 0, NULL, false, NULL, '2025-10-20 01:02:03+00'),
    -- awkward: no provider id at all.
    ('0c500000-0000-4000-8000-000000000003', NULL, 'orphan.bin', 'user-files/orphan.bin', NULL, '{}', NULL, NULL, NULL, NULL, 1,
     '2025-10-21 09:00:00+00', true, '{}', '2025-10-21 08:00:00+00');

INSERT INTO exai_issues (id, title, description, severity, category, status, file_path, line_start, line_end, affected_components,
                         conversation_id, fix_conversation_id, root_cause, impact_description, recommended_fix, actual_fix,
                         related_issues, fix_date, metadata, created_at, updated_at) VALUES
    ('0c700000-0000-4000-8000-000000000001', 'AsyncGLM provider has no timeout', 'Calls hang forever when the API stalls.',
     'CRITICAL', 'timeout', 'fixed', 'src/providers/async_glm.py', 48, 51, ARRAY['async_glm', 'providers'],
     'debb44af-15b9-456d-9b88-6a2519f81427', '014e83a9-e53c-4d4b-ae8e-bb73eaf88231', 'httpx client created without timeout',
     'Every GLM tool call may hang', 'Pass TimeoutConfig to the client', 'Client now built with a 30 s timeout and 3 retries',
     ARRAY['0c700000-0000-4000-8000-000000000002'::uuid], '2025-10-18 04:00:00+00', '{"found_by": "qa"}',
     '2025-10-16 05:10:00+00', '2025-10-18 04:00:00+00'),
    ('0c700000-0000-4000-8000-000000000002', 'AsyncKimi default timeout is 300 s', NULL, 'High', 'timeout', 'open',
     'src/providers/async_kimi.py', 58, 60, NULL, 'debb44af-15b9-456d-9b88-6a2519f81427', NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, '{}', '2025-10-16 05:11:00+00', '2025-10-16 05:11:00+00'),
    -- awkward: the same UUID as a row of exai_issues_tracker.
    ('0c700000-0000-4000-8000-000000000003', 'Continuation id loses context', 'Multi-turn conversations forget earlier turns.',
     'Medium', 'architecture', 'in_progress', NULL, NULL, NULL, ARRAY['conversation'], NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, '2025-10-17 00:00:00+00', '2025-10-17 02:00:00+00');

INSERT INTO exai_issue_updates (id, issue_id, update_type, content, conversation_id, created_by, created_at) VALUES
    ('0c710000-0000-4000-8000-000000000001', '0c700000-0000-4000-8000-000000000001', 'comment', 'Started implementing the timeout fix',
     'debb44af-15b9-456d-9b88-6a2519f81427', 'claude', '2025-10-16 06:00:00+00'),
    ('0c710000-0000-4000-8000-000000000002', '0c700000-0000-4000-8000-000000000001', 'fix_applied', 'Timeout set to 30 s',
     '014e83a9-e53c-4d4b-ae8e-bb73eaf88231', 'claude', '2025-10-18 04:00:00+00'),
    -- awkward: free-text update type.
    ('0c710000-0000-4000-8000-000000000003', '0c700000-0000-4000-8000-000000000001', 'Verified ✅', 'Hung call now fails after 30 s',
     NULL, NULL, '2025-10-18 05:00:00+00'),
    ('0c710000-0000-4000-8000-000000000004', '0c700000-0000-4000-8000-000000000003', 'STATUS_CHANGE', 'open -> in_progress',
     NULL, 'exai', '2025-10-17 02:00:00+00');

INSERT INTO exai_issue_checklist (id, issue_id, step_number, description, status, conversation_id, completed_at, created_at) VALUES
    ('0c720000-0000-4000-8000-000000000001', '0c700000-0000-4000-8000-000000000001', 1, 'Import TimeoutConfig and httpx', 'complete',
     'debb44af-15b9-456d-9b88-6a2519f81427', '2025-10-17 01:00:00+00', '2025-10-16 05:20:00+00'),
    ('0c720000-0000-4000-8000-000000000002', '0c700000-0000-4000-8000-000000000001', 2, 'Create the client with a timeout', 'in_progress',
     NULL, NULL, '2025-10-16 05:20:00+00'),
    ('0c720000-0000-4000-8000-000000000003', '0c700000-0000-4000-8000-000000000001', 3, 'Test the timeout', 'pending', NULL, NULL, '2025-10-16 05:20:00+00'),
    -- awkward: zero-based, repeated and missing step numbers; mixed-case states.
    ('0c720000-0000-4000-8000-000000000004', '0c700000-0000-4000-8000-000000000002', 0, 'Find where the 300 s default comes from', 'Complete',
     NULL, '2025-10-16 08:00:00+00', '2025-10-16 07:00:00+00'),
    ('0c720000-0000-4000-8000-000000000005', '0c700000-0000-4000-8000-000000000002', 0, 'Decide on the new default', 'SKIPPED', NULL, NULL, '2025-10-16 07:00:01+00'),
    ('0c720000-0000-4000-8000-000000000006', '0c700000-0000-4000-8000-000000000002', NULL, 'Document it', 'todo', NULL, NULL, '2025-10-16 07:00:02+00');

INSERT INTO exai_issues_tracker (issue_id, title, description, severity, category, affected_components, root_cause_hypothesis,
                                 diagnostic_approach, fix_strategy, affected_files, priority, status, discovered_date, source,
                                 related_issues, notes, created_at, updated_at) VALUES
    ('0c700000-0000-4000-8000-000000000003', 'Continuation ID Context Loss', 'Multi-turn conversations lose context',
     'Critical', 'Conversation Context', ARRAY['chat', 'thinkdeep'], 'History not loaded from Supabase on resume',
     '1. Reproduce with two turns 2. Inspect Redis', 'Load history before building the prompt', ARRAY['src/conversation/memory.py'],
     'P0', 'Root Cause Identified', '2025-10-17 03:00:00+00', 'Testing', NULL, 'Seen in 3 tools', '2025-10-17 03:00:00+00', '2025-10-17 04:00:00+00'),
    ('0c800000-0000-4000-8000-000000000002', 'Redis Not Authenticated', 'Redis accepts connections without AUTH', 'High', 'Security',
     ARRAY['redis'], NULL, NULL, 'Configure requirepass', NULL, 'P1', 'New', '2025-10-17 03:05:00+00', 'Documentation', NULL, NULL,
     '2025-10-17 03:05:00+00', '2025-10-17 03:05:00+00'),
    ('0c800000-0000-4000-8000-000000000003', 'Path Handling Malformed', 'Paths show as /app/c:\Project\...', 'CRITICAL', 'Path Handling',
     NULL, NULL, NULL, NULL, NULL, 'p0', 'Fixed', '2025-10-17 03:06:00+00', 'Testing', NULL, NULL, '2025-10-17 03:06:00+00', '2025-10-18 00:00:00+00'),
    -- awkward: an apostrophe in the status, no priority, free-text severity.
    ('0c800000-0000-4000-8000-000000000004', 'Docgen missing model parameter', NULL, 'Annoying', NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, 'Won''t Fix', NULL, 'Testing', NULL, 'Superseded by the schema rework', '2025-10-17 03:07:00+00', '2025-10-17 03:07:00+00');

INSERT INTO issues (id, issue_code, title, description, status, priority, created_at) VALUES
    (1, 'EXAI-001', 'Supabase consolidation', 'Four issue tables overlap', 'RESOLVED', 'Critical', '2025-10-21 00:00:00+00');

INSERT INTO phase1_issues (id, issue_title, issue_description, severity, status, component, resolution, created_at) VALUES
    (1, 'Semaphore leak', 'Leaked permits under load', 'CRITICAL', 'RESOLVED', 'ws_server', 'Release in finally', '2025-10-10 09:00:00'),
    (2, 'Redis commander broken', NULL, 'medium', 'OPEN', 'docker', NULL, '2025-10-10 09:05:00'),
    -- awkward: an empty title and a status the tracker has no word for.
    (3, '', 'Timezone of logs is UTC', 'low', 'Deferred to phase 2', 'logging', NULL, '2025-10-10 09:10:00');
SELECT setval(pg_get_serial_sequence('phase1_issues', 'id'), 3);

INSERT INTO exai_future_enhancements (id, title, description, priority, created_at) VALUES
    ('0c900000-0000-4000-8000-000000000001', 'Dashboard', 'Real-time monitoring dashboard', 'medium', '2025-10-18 00:00:00+00'),
    ('0c900000-0000-4000-8000-000000000002', 'Prompt registry', 'Prompts in the database', 'high', '2025-10-21 00:00:00+00');

INSERT INTO exai_tool_validation (id, tool_name, status, notes, validated_at) VALUES
    ('0c910000-0000-4000-8000-000000000001', 'chat_EXAI-WS', 'partial', 'continuation broken', '2025-10-17 00:00:00+00'),
    ('0c910000-0000-4000-8000-000000000002', 'status_EXAI-WS', 'passed', NULL, '2025-10-17 00:00:00+00');

INSERT INTO exai_session_notes (id, conversation_id, note) VALUES
    ('0c920000-0000-4000-8000-000000000001', '0c100000-0000-4000-8000-000000000001', 'Follow up on retries');

INSERT INTO file_embeddings (id, provider_file_id, embedding_model, embedding_data) VALUES
    ('0c930000-0000-4000-8000-000000000001', '0c400000-0000-4000-8000-000000000001', 'embedding-3', '[0.1, 0.2, 0.3]');
