-- An EX-AI-MCP-Server database as the project rebuilt it in November 2025, from the shapes its November
-- migrations (20251108_unified_schema, 20251109_add_missing_tables, 20251109_create_core_tables, the performance
-- indexes), its Python code and its status documents describe. Against the October shape it differs in:
--   sessions              text key session_id, session_data / session_state, user_id varchar, ip_address inet
--   provider_file_uploads file_id varchar NOT NULL, provider_name, nullable provider_file_id, upload_timestamp,
--                         file_hash, storage_path
--   file_metadata         a per-file record (bucket_id, path, sha256_hash, tags, access figures), no provider map
-- and several tables were made by hand: text conversation ids on messages and conversation_files, text file ids,
-- issue tables with issue_title / priority columns, a publication and Supabase's storage schema.
-- The rows are invented for tests; each awkward case the adoption must survive is marked "awkward:".

CREATE SCHEMA IF NOT EXISTS storage;
CREATE TABLE IF NOT EXISTS storage.objects (id uuid PRIMARY KEY, bucket_id text, name text);
INSERT INTO storage.objects (id, bucket_id, name) VALUES
    ('0d0f0000-0000-4000-8000-000000000001', 'user-files', 'u/7e57/plan.pdf');

CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END
$$;

CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz DEFAULT now(), description text);
INSERT INTO schema_version (version, applied_at, description) VALUES
    (1, '2025-11-08 00:00:00+00', 'Unified schema'),
    (2, '2025-11-09 00:00:00+00', 'Added missing tables: provider_file_uploads, file_id_mappings, audit_logs'),
    (3, '2025-11-09 00:10:00+00', 'Added performance indexes'),
    (4, '2025-11-09 00:20:00+00', 'Created core tables: file_operations, file_metadata');

CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id varchar(255) UNIQUE NOT NULL,
    session_data jsonb NOT NULL DEFAULT '{}',
    session_state varchar(50) NOT NULL DEFAULT 'active',
    user_id varchar(100),
    user_type varchar(50),
    ip_address inet,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_activity_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    request_count integer NOT NULL DEFAULT 0,
    total_duration_ms integer,
    metadata jsonb NOT NULL DEFAULT '{"version": "1.0", "schema": "standard"}'::jsonb
);
CREATE INDEX idx_sessions_session_id ON sessions (session_id);

-- awkward: session_id is the sessions' text key, not their UUID.
CREATE TABLE conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    continuation_id text UNIQUE NOT NULL,
    title text,
    session_id text,
    metadata jsonb DEFAULT '{"version": "1.0", "schema": "standard"}'::jsonb,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_conversations_continuation_created ON conversations (continuation_id, created_at DESC);
CREATE INDEX idx_conversations_metadata_gin ON conversations USING gin (metadata);

-- awkward: made by hand with a text conversation id and a text role.
CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id text NOT NULL,
    role text NOT NULL,
    content text,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now()
);
CREATE INDEX idx_messages_conversation_id ON messages (conversation_id, created_at ASC);
CREATE INDEX idx_messages_content_fts ON messages USING gin (to_tsvector('english', coalesce(content, '')));

CREATE TABLE files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid,
    bucket text NOT NULL DEFAULT 'user-files',
    storage_path text NOT NULL,
    original_name text,
    mime_type text,
    size_bytes bigint,
    file_type text NOT NULL DEFAULT 'user_upload',
    sha256 text,
    metadata jsonb DEFAULT '{"version": "1.0", "schema": "standard"}'::jsonb,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    UNIQUE (bucket, storage_path)
);
CREATE INDEX idx_files_type_created ON files (file_type, created_at DESC);

-- awkward: made by hand with its own id and text references on both sides.
CREATE TABLE conversation_files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id text NOT NULL,
    file_id text NOT NULL,
    added_at timestamptz DEFAULT now()
);

CREATE TABLE provider_file_uploads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file_id varchar(255) NOT NULL,
    user_id varchar(255),
    provider_name varchar(100) NOT NULL,
    provider_file_id varchar(255),
    upload_timestamp timestamptz NOT NULL DEFAULT now(),
    file_size bigint,
    file_type varchar(50),
    file_hash varchar(64),
    storage_path text,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_provider_file_uploads_file_id ON provider_file_uploads (file_id);
CREATE INDEX idx_provider_file_uploads_provider ON provider_file_uploads (provider_name);
CREATE TRIGGER trigger_update_provider_file_uploads_timestamp BEFORE UPDATE ON provider_file_uploads
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- awkward: created_at without a time zone, a text file id.
CREATE TABLE file_deletion_jobs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file_id text,
    provider text,
    provider_file_id text,
    status text DEFAULT 'pending',
    attempts integer DEFAULT 0,
    last_error text,
    reason text,
    scheduled_for timestamptz,
    created_at timestamp DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

CREATE TABLE file_metadata (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    file_id uuid REFERENCES storage.objects (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    filename text NOT NULL,
    file_size bigint NOT NULL,
    content_type text,
    bucket_id text NOT NULL,
    path text NOT NULL,
    sha256_hash text,
    tags text[] DEFAULT '{}',
    access_count integer DEFAULT 0,
    last_accessed timestamptz,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX idx_file_metadata_tags ON file_metadata USING gin (tags);

CREATE TABLE exai_issues (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_number serial,
    title text NOT NULL,
    description text,
    severity text,
    priority text,
    category text,
    status text DEFAULT 'open',
    affected_components text[],
    conversation_id text,
    root_cause text,
    actual_fix text,
    source_system text,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

CREATE TABLE exai_issue_updates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_id uuid,
    update_type text NOT NULL,
    content text,
    old_status text,
    new_status text,
    conversation_id text,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE exai_issue_checklist (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_id uuid REFERENCES exai_issues (id) ON DELETE CASCADE,
    step_number integer NOT NULL,
    description text NOT NULL,
    status text DEFAULT 'pending',
    completed_at timestamptz,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE exai_issues_tracker (
    issue_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_title text NOT NULL,
    issue_description text,
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

CREATE TABLE issues (
    id bigserial PRIMARY KEY,
    issue_code text NOT NULL,
    title text NOT NULL,
    description text,
    severity text,
    status text,
    assigned_to text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);

CREATE TABLE phase1_issues (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_title text NOT NULL,
    details text,
    priority text,
    status text,
    fix_applied text,
    created_at timestamptz DEFAULT now()
);

-- awkward: a view over the four issue tables, and one stacked on top of it.
CREATE VIEW issue_summary AS
SELECT 'exai_issues' AS origin, id::text AS key, title, severity, status FROM exai_issues
UNION ALL SELECT 'exai_issues_tracker', issue_id::text, issue_title, severity, status FROM exai_issues_tracker
UNION ALL SELECT 'issues', id::text, title, severity, status FROM issues
UNION ALL SELECT 'phase1_issues', id::text, issue_title, NULL, status FROM phase1_issues;
CREATE VIEW open_issue_count AS SELECT count(*) AS open_issues FROM issue_summary WHERE lower(status) IN ('open', 'new');

-- Tables outside the consolidation.
CREATE TABLE exai_future_enhancements (id serial PRIMARY KEY, title text NOT NULL, detail text);
CREATE TABLE exai_tool_validation (id serial PRIMARY KEY, tool_name text NOT NULL, passed boolean, checked_at timestamptz DEFAULT now());
CREATE TABLE audit_logs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    action varchar(100) NOT NULL,
    resource_type varchar(50) NOT NULL,
    resource_id varchar(255),
    details jsonb DEFAULT '{}',
    "timestamp" timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE file_id_mappings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    original_file_id varchar(255) NOT NULL,
    provider_file_id varchar(255) NOT NULL,
    provider_name varchar(100) NOT NULL,
    file_sha256 text
);
-- awkward: a hand-made index on a table that stays, whose name is one the new schema uses.
CREATE INDEX ix_files_sha256 ON file_id_mappings (file_sha256);

-- awkward: the realtime publication already holds legacy tables.
CREATE PUBLICATION supabase_realtime FOR TABLE conversations, messages;

-- ---------------------------------------------------------------------------------------------------------------
-- Rows
-- ---------------------------------------------------------------------------------------------------------------

INSERT INTO sessions (id, session_id, session_data, session_state, user_id, user_type, ip_address, user_agent, created_at, updated_at,
                      last_activity_at, expires_at, request_count, total_duration_ms, metadata) VALUES
    ('0d000000-0000-4000-8000-000000000001', 'sess-7e57-a', '{"tools": ["chat"]}', 'active', '7e57e57e-1111-4222-8333-444455556666',
     'human', '10.0.0.7', 'claude-code/2.0', '2025-11-10 01:00:00+00', '2025-11-10 02:00:00+00', '2025-11-10 02:00:00.987654+00',
     '2025-11-11 01:00:00+00', 42, 91000, '{"version": "1.0", "schema": "standard"}'),
    ('0d000000-0000-4000-8000-000000000002', 'sess-agent-b', '{}', 'expired', 'agent:planner', 'agent', NULL, NULL,
     '2025-11-10 03:00:00+00', '2025-11-10 03:00:00+00', '2025-11-10 03:05:00+00', NULL, 1, NULL, '{"version": "1.0", "schema": "standard"}');

INSERT INTO conversations (id, continuation_id, title, session_id, metadata, created_at, updated_at) VALUES
    ('0d100000-0000-4000-8000-000000000001', 'c7a1f00d-0000-4000-8000-00000000c0de', 'Plan review', 'sess-7e57-a',
     '{"version": "1.0", "schema": "standard", "tool_name": "planner", "model_used": "kimi-k2-turbo-preview", "provider_used": "kimi"}',
     '2025-11-10 01:01:00+00', '2025-11-10 01:30:00+00'),
    ('0d100000-0000-4000-8000-000000000002', 'kimi-thread-42', NULL, 'sess-agent-b', '{}', '2025-11-10 03:01:00+00', '2025-11-10 03:02:00+00'),
    -- awkward: a session key that no session has.
    ('0d100000-0000-4000-8000-000000000003', 'glm-thread-7', 'Gone session', 'sess-gone', NULL, '2025-11-11 00:00:00+00', '2025-11-11 00:00:00+00');

INSERT INTO messages (id, conversation_id, role, content, metadata, created_at) VALUES
    -- awkward: the conversation's UUID in upper case.
    ('0d200000-0000-4000-8000-000000000001', '0D100000-0000-4000-8000-000000000001', 'user', 'Review this plan', '{}', '2025-11-10 01:01:10+00'),
    ('0d200000-0000-4000-8000-000000000002', '0d100000-0000-4000-8000-000000000001', 'Assistant', 'The plan misses a rollback step.',
     '{"model_used": "kimi-k2-turbo-preview", "provider_used": "kimi", "tool_name": "planner"}', '2025-11-10 01:01:30+00'),
    -- awkward: the same message twice, identical to the microsecond.
    ('0d200000-0000-4000-8000-000000000003', '0d100000-0000-4000-8000-000000000001', 'user', 'Add it please', '{}', '2025-11-10 01:02:00.000001+00'),
    ('0d200000-0000-4000-8000-000000000004', '0d100000-0000-4000-8000-000000000001', 'user', 'Add it please', '{}', '2025-11-10 01:02:00.000001+00'),
    -- awkward: the conversation named by its continuation id.
    ('0d200000-0000-4000-8000-000000000005', 'kimi-thread-42', 'user', 'hello kimi', '{}', '2025-11-10 03:01:10+00'),
    ('0d200000-0000-4000-8000-000000000006', 'kimi-thread-42', 'tool', '{"result": 42}', '{"tool_call_id": "call_1"}', '2025-11-10 03:01:11+00'),
    -- awkward: a conversation id nothing resolves, a role the new schema does not know, and a NULL content.
    ('0d200000-0000-4000-8000-000000000007', 'ghost-thread-9', 'function', NULL, '{}', '2025-11-12 00:00:00+00'),
    ('0d200000-0000-4000-8000-000000000008', 'ghost-thread-9', 'user', 'still there?', '{}', '2025-11-12 00:00:05+00');

INSERT INTO files (id, user_id, bucket, storage_path, original_name, mime_type, size_bytes, file_type, sha256, metadata, created_at, updated_at) VALUES
    ('0d300000-0000-4000-8000-000000000001', '7e57e57e-1111-4222-8333-444455556666', 'user-files', 'u/7e57/plan.pdf', 'plan.pdf',
     'application/pdf', 3000000000, 'user_upload', upper(encode(sha256('plan'::bytea), 'hex')), '{"version": "1.0", "schema": "standard"}',
     '2025-11-10 01:00:30+00', '2025-11-10 01:00:30+00'),
    -- awkward: the same path in another bucket, and a file type the new schema does not know.
    ('0d300000-0000-4000-8000-000000000002', NULL, 'generated-files', 'u/7e57/plan.pdf', NULL, NULL, NULL, 'temp', 'not-a-hash',
     NULL, '2025-11-10 01:40:00+00', '2025-11-10 01:40:00+00');

INSERT INTO conversation_files (id, conversation_id, file_id, added_at) VALUES
    ('0d400000-0000-4000-8000-000000000001', '0d100000-0000-4000-8000-000000000001', '0d300000-0000-4000-8000-000000000001', '2025-11-10 01:01:05+00'),
    -- awkward: linked by continuation id and by storage path.
    ('0d400000-0000-4000-8000-000000000002', 'kimi-thread-42', 'u/7e57/plan.pdf', '2025-11-10 03:01:05+00'),
    -- awkward: a file id nothing resolves (kept as its original value on a stand-in file).
    ('0d400000-0000-4000-8000-000000000003', 'kimi-thread-42', 'file-legacy-xyz', '2025-11-10 03:01:06+00');

INSERT INTO provider_file_uploads (id, file_id, user_id, provider_name, provider_file_id, upload_timestamp, file_size, file_type, file_hash,
                                   storage_path, metadata, created_at, updated_at) VALUES
    ('0d500000-0000-4000-8000-000000000001', '0d300000-0000-4000-8000-000000000001', '7e57e57e-1111-4222-8333-444455556666', 'kimi',
     'd4kimi-plan', '2025-11-10 01:00:40+00', 3000000000, 'pdf', encode(sha256('plan'::bytea), 'hex'), 'u/7e57/plan.pdf',
     '{"purpose": "file-extract"}', '2025-11-10 01:00:40+00', '2025-11-10 01:00:40+00'),
    -- awkward: no provider id yet, and a file id that does not resolve.
    ('0d500000-0000-4000-8000-000000000002', 'tmp_upload_123', NULL, 'glm', NULL, '2025-11-10 05:00:00+00', NULL, NULL, NULL, NULL,
     '{}', '2025-11-10 05:00:00+00', '2025-11-10 05:00:00+00'),
    ('0d500000-0000-4000-8000-000000000003', '0d300000-0000-4000-8000-000000000002', NULL, 'supabase', 'generated-files/u/7e57/plan.pdf',
     '2025-11-10 01:40:05+00', NULL, NULL, 'ZZ', NULL, NULL, '2025-11-10 01:40:05+00', '2025-11-10 01:40:05+00');

INSERT INTO file_deletion_jobs (id, file_id, provider, provider_file_id, status, attempts, last_error, reason, scheduled_for, created_at, updated_at) VALUES
    ('0d600000-0000-4000-8000-000000000001', '0d300000-0000-4000-8000-000000000002', 'supabase', 'generated-files/u/7e57/plan.pdf', 'pending', 0,
     NULL, 'expired', '2025-11-20 00:00:00+00', '2025-11-13 00:00:00', '2025-11-13 00:00:00+00'),
    ('0d600000-0000-4000-8000-000000000002', 'gone-file', 'kimi', 'd4kimi-old', 'Failed', 5, 'file not found', 'orphaned', NULL,
     '2025-11-12 00:00:00', '2025-11-12 01:00:00+00');

INSERT INTO file_metadata (id, file_id, user_id, filename, file_size, content_type, bucket_id, path, sha256_hash, tags, access_count,
                           last_accessed, created_at, updated_at) VALUES
    ('0d700000-0000-4000-8000-000000000001', '0d0f0000-0000-4000-8000-000000000001', '7e57e57e-1111-4222-8333-444455556666', 'plan.pdf',
     3000000000, 'application/pdf', 'user-files', 'u/7e57/plan.pdf', encode(sha256('plan'::bytea), 'hex'), ARRAY['plans', 'q4'], 5,
     '2025-11-11 09:00:00+00', '2025-11-10 01:00:31+00', '2025-11-11 09:00:00+00'),
    ('0d700000-0000-4000-8000-000000000002', NULL, '7e57e57e-1111-4222-8333-444455556666', 'draft.md', 10, 'text/markdown', 'user-files',
     'u/7e57/draft.md', NULL, '{}', 0, NULL, '2025-11-10 02:00:00+00', '2025-11-10 02:00:00+00');

INSERT INTO exai_issues (id, title, description, severity, priority, category, status, affected_components, conversation_id, root_cause,
                         actual_fix, source_system, metadata, created_at, updated_at) VALUES
    ('0d800000-0000-4000-8000-000000000001', 'Slow continuation lookup', 'get_conversation_by_continuation_id takes 1 s', 'high', 'P1',
     'performance', 'RESOLVED', ARRAY['supabase'], 'c7a1f00d-0000-4000-8000-00000000c0de', 'Missing index', 'Composite index added',
     'exai_issues', '{"sprint": 4}', '2025-11-09 00:00:00+00', '2025-11-09 01:00:00+00'),
    -- awkward: the same UUID in three issue tables.
    ('0d800000-0000-4000-8000-000000000002', 'Cache hit rate unknown', NULL, 'Low', NULL, 'monitoring', 'Needs triage', NULL, NULL, NULL, NULL,
     NULL, NULL, '2025-11-09 02:00:00+00', '2025-11-09 02:00:00+00');

INSERT INTO exai_issue_updates (id, issue_id, update_type, content, old_status, new_status, conversation_id, created_at) VALUES
    ('0d810000-0000-4000-8000-000000000001', '0d800000-0000-4000-8000-000000000001', 'status_change', 'Index added', 'Open', 'RESOLVED',
     'c7a1f00d-0000-4000-8000-00000000c0de', '2025-11-09 01:00:00+00'),
    -- awkward: an update of an issue that no longer exists (no foreign key in this shape).
    ('0d810000-0000-4000-8000-000000000002', '0d8fffff-0000-4000-8000-00000000dead', 'note', 'Left over from a deleted issue', NULL, NULL,
     NULL, '2025-11-09 03:00:00+00');

INSERT INTO exai_issue_checklist (id, issue_id, step_number, description, status, completed_at, created_at) VALUES
    ('0d820000-0000-4000-8000-000000000001', '0d800000-0000-4000-8000-000000000001', 10, 'Add index', 'done', '2025-11-09 00:30:00+00', '2025-11-09 00:00:00+00'),
    ('0d820000-0000-4000-8000-000000000002', '0d800000-0000-4000-8000-000000000001', 20, 'Measure again', 'DONE', '2025-11-09 01:00:00+00', '2025-11-09 00:00:00+00');

INSERT INTO exai_issues_tracker (issue_id, issue_title, issue_description, severity, category, affected_components, root_cause_hypothesis,
                                 diagnostic_approach, fix_strategy, affected_files, priority, status, discovered_date, source, related_issues,
                                 notes, created_at, updated_at) VALUES
    ('0d800000-0000-4000-8000-000000000002', 'Cache hit rate is not measured', 'No metric for cache hits', 'Medium', 'Monitoring', NULL,
     NULL, 'Check cache_metadata', 'Add a counter', NULL, 'P2', 'Investigating', '2025-11-09 02:00:00+00', 'Logs', NULL, NULL,
     '2025-11-09 02:00:00+00', '2025-11-09 02:00:00+00'),
    ('0d900000-0000-4000-8000-000000000002', 'WebSocket ping interval undocumented', NULL, 'LOW', NULL, NULL, NULL, NULL, NULL, NULL, 'P3',
     'Verified', '2025-11-09 04:00:00+00', 'Documentation', NULL, NULL, '2025-11-09 04:00:00+00', '2025-11-09 04:00:00+00');

INSERT INTO issues (id, issue_code, title, description, severity, status, assigned_to, created_at, updated_at) VALUES
    (7, 'P0-8', 'No rate limiting per session', 'Rapid reconnections are not limited', 'Critical', 'Resolved', 'claude',
     '2025-11-01 00:00:00+00', '2025-11-02 00:00:00+00'),
    (8, 'P1-2', 'Docs drift', NULL, 'moderate', 'closed', NULL, '2025-11-01 00:00:00+00', '2025-11-01 00:00:00+00');
SELECT setval(pg_get_serial_sequence('issues', 'id'), 8);

INSERT INTO phase1_issues (id, issue_title, details, priority, status, fix_applied, created_at) VALUES
    ('0d800000-0000-4000-8000-000000000002', 'Cache metrics missing', 'dup of the tracker row', 'high', 'open', NULL, '2025-11-09 02:00:00+00'),
    ('0da00000-0000-4000-8000-000000000002', 'Timeouts not centralised', NULL, 'P0', 'Fixed', 'TimeoutConfig class', '2025-11-05 00:00:00+00');

INSERT INTO exai_future_enhancements (title, detail) VALUES ('Realtime dashboard', 'Chart.js over WebSocket');
INSERT INTO exai_tool_validation (tool_name, passed) VALUES ('planner', true), ('docgen', false);
INSERT INTO audit_logs (id, action, resource_type, resource_id, details, "timestamp") VALUES
    ('0db00000-0000-4000-8000-000000000001', 'file_upload', 'file', '0d300000-0000-4000-8000-000000000001', '{}', '2025-11-10 01:00:30+00');
INSERT INTO file_id_mappings (id, original_file_id, provider_file_id, provider_name, file_sha256) VALUES
    ('0dc00000-0000-4000-8000-000000000001', '0d300000-0000-4000-8000-000000000001', 'd4kimi-plan', 'kimi', encode(sha256('plan'::bytea), 'hex'));
