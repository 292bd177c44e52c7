using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Exai.Supabase.Migrations.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "public");

            migrationBuilder.CreateTable(
                name: "file_deletion_jobs",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    file_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "pending"),
                    attempts = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: true),
                    targets = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    locked_by = table.Column<string>(type: "text", nullable: true),
                    locked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_file_deletion_jobs", x => x.id);
                    table.CheckConstraint("ck_file_deletion_jobs_attempts", "attempts >= 0");
                    table.CheckConstraint("ck_file_deletion_jobs_status", "status IN ('pending', 'running', 'completed', 'failed')");
                });

            migrationBuilder.CreateTable(
                name: "files",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    bucket = table.Column<string>(type: "text", nullable: false, defaultValue: "user-files"),
                    storage_path = table.Column<string>(type: "text", nullable: false),
                    original_name = table.Column<string>(type: "text", nullable: true),
                    mime_type = table.Column<string>(type: "text", nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    sha256 = table.Column<string>(type: "text", nullable: true),
                    file_type = table.Column<string>(type: "text", nullable: false, defaultValue: "user_upload"),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_files", x => x.id);
                    table.CheckConstraint("ck_files_file_type", "file_type IN ('user_upload', 'generated', 'cache')");
                    table.CheckConstraint("ck_files_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_files_size_bytes", "size_bytes IS NULL OR size_bytes >= 0");
                });

            migrationBuilder.CreateTable(
                name: "issues",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    issue_code = table.Column<string>(type: "text", nullable: true),
                    title = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    severity = table.Column<string>(type: "text", nullable: false, defaultValue: "medium"),
                    priority = table.Column<string>(type: "text", nullable: false, defaultValue: "p2"),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "open"),
                    category = table.Column<string>(type: "text", nullable: true),
                    components = table.Column<string[]>(type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]"),
                    affected_files = table.Column<string[]>(type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]"),
                    root_cause = table.Column<string>(type: "text", nullable: true),
                    fix = table.Column<string>(type: "text", nullable: true),
                    reported_by = table.Column<string>(type: "text", nullable: true),
                    assignee = table.Column<string>(type: "text", nullable: true),
                    rank = table.Column<int>(type: "integer", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                        .Annotation("Npgsql:TsVectorConfig", "simple")
                        .Annotation("Npgsql:TsVectorProperties", new[] { "title", "description", "root_cause", "fix", "issue_code" })
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_issues", x => x.id);
                    table.CheckConstraint("ck_issues_priority", "priority IN ('p0', 'p1', 'p2', 'p3')");
                    table.CheckConstraint("ck_issues_severity", "severity IN ('critical', 'high', 'medium', 'low')");
                    table.CheckConstraint("ck_issues_status", "status IN ('open', 'in_progress', 'fixed', 'verified', 'closed', 'wont_fix')");
                    table.CheckConstraint("ck_issues_title", "char_length(btrim(title)) > 0");
                });

            migrationBuilder.CreateTable(
                name: "outbox_dead_letters",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sql_state = table.Column<string>(type: "text", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dead_lettered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    instance = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_dead_letters", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    client_name = table.Column<string>(type: "text", nullable: true),
                    client_fingerprint = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "system_prompts",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    tool_name = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    tier = table.Column<int>(type: "integer", nullable: false),
                    prompt_content = table.Column<string>(type: "text", nullable: false),
                    content_hash = table.Column<string>(type: "text", nullable: false, computedColumnSql: "md5(prompt_content)", stored: true),
                    version = table.Column<string>(type: "text", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    created_by = table.Column<string>(type: "text", nullable: true),
                    change_description = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_system_prompts", x => x.id);
                    table.CheckConstraint("ck_system_prompts_tier", "tier BETWEEN 0 AND 3");
                });

            migrationBuilder.CreateTable(
                name: "provider_file_uploads",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    file_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: false),
                    provider_file_id = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "pending"),
                    purpose = table.Column<string>(type: "text", nullable: true),
                    sha256 = table.Column<string>(type: "text", nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    filename = table.Column<string>(type: "text", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provider_file_uploads", x => x.id);
                    table.CheckConstraint("ck_provider_file_uploads_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_provider_file_uploads_status", "status IN ('pending', 'completed', 'failed', 'deleted')");
                    table.ForeignKey(
                        name: "fk_provider_file_uploads_file_id",
                        column: x => x.file_id,
                        principalSchema: "public",
                        principalTable: "files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "issue_checklist_items",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    issue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false, defaultValue: "pending"),
                    state_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    changed_by = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_issue_checklist_items", x => x.id);
                    table.CheckConstraint("ck_issue_checklist_items_position", "position >= 1");
                    table.CheckConstraint("ck_issue_checklist_items_state", "state IN ('pending', 'completed', 'skipped')");
                    table.ForeignKey(
                        name: "fk_issue_checklist_items_issue_id",
                        column: x => x.issue_id,
                        principalSchema: "public",
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "issue_updates",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    issue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false, defaultValue: "comment"),
                    body = table.Column<string>(type: "text", nullable: true),
                    from_status = table.Column<string>(type: "text", nullable: true),
                    to_status = table.Column<string>(type: "text", nullable: true),
                    continuation_id = table.Column<string>(type: "text", nullable: true),
                    author = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_issue_updates", x => x.id);
                    table.CheckConstraint("ck_issue_updates_kind", "kind IN ('created', 'comment', 'status_change', 'fix_applied', 'verification', 'conversation_link', 'field_change', 'checklist')");
                    table.ForeignKey(
                        name: "fk_issue_updates_issue_id",
                        column: x => x.issue_id,
                        principalSchema: "public",
                        principalTable: "issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conversations",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    continuation_id = table.Column<string>(type: "text", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    parent_continuation_id = table.Column<string>(type: "text", nullable: true),
                    title = table.Column<string>(type: "text", nullable: true),
                    tool_name = table.Column<string>(type: "text", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: true),
                    model = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    last_activity_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => x.id);
                    table.CheckConstraint("ck_conversations_continuation_id_length", "char_length(continuation_id) BETWEEN 1 AND 256");
                    table.ForeignKey(
                        name: "fk_conversations_session_id",
                        column: x => x.session_id,
                        principalSchema: "public",
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "prompt_performance",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    prompt_id = table.Column<Guid>(type: "uuid", nullable: true),
                    prompt_version = table.Column<string>(type: "text", nullable: true),
                    tool_name = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    execution_time_ms = table.Column<double>(type: "double precision", nullable: true),
                    token_count = table.Column<int>(type: "integer", nullable: true),
                    success = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    executed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prompt_performance", x => x.id);
                    table.CheckConstraint("ck_prompt_performance_execution_time_ms", "execution_time_ms IS NULL OR execution_time_ms >= 0");
                    table.CheckConstraint("ck_prompt_performance_token_count", "token_count IS NULL OR token_count >= 0");
                    table.ForeignKey(
                        name: "fk_prompt_performance_prompt_id",
                        column: x => x.prompt_id,
                        principalSchema: "public",
                        principalTable: "system_prompts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "prompt_versions",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    prompt_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tool_name = table.Column<string>(type: "text", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false, defaultValue: "created"),
                    version = table.Column<string>(type: "text", nullable: false),
                    from_prompt_id = table.Column<Guid>(type: "uuid", nullable: true),
                    from_version = table.Column<string>(type: "text", nullable: true),
                    change_description = table.Column<string>(type: "text", nullable: true),
                    changed_by = table.Column<string>(type: "text", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    rollback_available = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    performance_metrics = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prompt_versions", x => x.id);
                    table.CheckConstraint("ck_prompt_versions_action", "action IN ('created', 'activated', 'rolled_back', 'deactivated')");
                    table.ForeignKey(
                        name: "fk_prompt_versions_prompt_id",
                        column: x => x.prompt_id,
                        principalSchema: "public",
                        principalTable: "system_prompts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conversation_files",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_conversation_files_conversation_id",
                        column: x => x.conversation_id,
                        principalSchema: "public",
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_files_file_id",
                        column: x => x.file_id,
                        principalSchema: "public",
                        principalTable: "files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                schema: "public",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    role = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    contents = table.Column<string>(type: "jsonb", nullable: true),
                    tool_name = table.Column<string>(type: "text", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: true),
                    model = table.Column<string>(type: "text", nullable: true),
                    input_tokens = table.Column<int>(type: "integer", nullable: true),
                    output_tokens = table.Column<int>(type: "integer", nullable: true),
                    token_count = table.Column<int>(type: "integer", nullable: true),
                    tool_call_id = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    source_table = table.Column<string>(type: "text", nullable: true),
                    source_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                    table.CheckConstraint("ck_messages_role", "role IN ('system', 'user', 'assistant', 'tool')");
                    table.ForeignKey(
                        name: "fk_messages_conversation_id",
                        column: x => x.conversation_id,
                        principalSchema: "public",
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_files_file_id",
                schema: "public",
                table: "conversation_files",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ux_conversation_files_conversation_id_file_id",
                schema: "public",
                table: "conversation_files",
                columns: new[] { "conversation_id", "file_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_conversation_files_source",
                schema: "public",
                table: "conversation_files",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_expires_at",
                schema: "public",
                table: "conversations",
                column: "expires_at",
                filter: "expires_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_session_id_last_activity",
                schema: "public",
                table: "conversations",
                columns: new[] { "session_id", "last_activity_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_user_id_last_activity",
                schema: "public",
                table: "conversations",
                columns: new[] { "user_id", "last_activity_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ux_conversations_continuation_id",
                schema: "public",
                table: "conversations",
                column: "continuation_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_conversations_source",
                schema: "public",
                table: "conversations",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_file_deletion_jobs_due",
                schema: "public",
                table: "file_deletion_jobs",
                columns: new[] { "status", "next_attempt_at" },
                filter: "status IN ('pending', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_file_deletion_jobs_file_id",
                schema: "public",
                table: "file_deletion_jobs",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_file_deletion_jobs_user_id",
                schema: "public",
                table: "file_deletion_jobs",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ux_file_deletion_jobs_source",
                schema: "public",
                table: "file_deletion_jobs",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_files_expires_at",
                schema: "public",
                table: "files",
                column: "expires_at",
                filter: "expires_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_files_sha256",
                schema: "public",
                table: "files",
                column: "sha256",
                filter: "sha256 IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_files_user_id",
                schema: "public",
                table: "files",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ux_files_source",
                schema: "public",
                table: "files",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_files_storage_path_bucket",
                schema: "public",
                table: "files",
                columns: new[] { "storage_path", "bucket" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_issue_checklist_items_issue_id_position",
                schema: "public",
                table: "issue_checklist_items",
                columns: new[] { "issue_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ux_issue_checklist_items_source",
                schema: "public",
                table: "issue_checklist_items",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_issue_updates_continuation_id",
                schema: "public",
                table: "issue_updates",
                column: "continuation_id",
                filter: "continuation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_issue_updates_issue_id_created_at",
                schema: "public",
                table: "issue_updates",
                columns: new[] { "issue_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_issue_updates_source",
                schema: "public",
                table: "issue_updates",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_issues_category_created_at",
                schema: "public",
                table: "issues",
                columns: new[] { "category", "created_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_issues_components",
                schema: "public",
                table: "issues",
                column: "components")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_issues_created_at",
                schema: "public",
                table: "issues",
                columns: new[] { "created_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_issues_issue_code",
                schema: "public",
                table: "issues",
                column: "issue_code",
                filter: "issue_code IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_issues_priority_created_at",
                schema: "public",
                table: "issues",
                columns: new[] { "priority", "created_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_issues_search",
                schema: "public",
                table: "issues",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_issues_severity_created_at",
                schema: "public",
                table: "issues",
                columns: new[] { "severity", "created_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_issues_status_created_at",
                schema: "public",
                table: "issues",
                columns: new[] { "status", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ux_issues_source",
                schema: "public",
                table: "issues",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_messages_conversation_id_created_at",
                schema: "public",
                table: "messages",
                columns: new[] { "conversation_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_created_at",
                schema: "public",
                table: "messages",
                column: "created_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_messages_user_id",
                schema: "public",
                table: "messages",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ux_messages_source",
                schema: "public",
                table: "messages",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_dead_letters_kind",
                schema: "public",
                table: "outbox_dead_letters",
                columns: new[] { "kind", "dead_lettered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_dead_letters_user_id",
                schema: "public",
                table: "outbox_dead_letters",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_prompt_performance_prompt_id_executed_at",
                schema: "public",
                table: "prompt_performance",
                columns: new[] { "prompt_id", "executed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_prompt_performance_tool_provider_executed_at",
                schema: "public",
                table: "prompt_performance",
                columns: new[] { "tool_name", "provider", "executed_at" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_prompt_versions_prompt_id",
                schema: "public",
                table: "prompt_versions",
                column: "prompt_id");

            migrationBuilder.CreateIndex(
                name: "ix_prompt_versions_tool_provider_changed_at",
                schema: "public",
                table: "prompt_versions",
                columns: new[] { "tool_name", "provider", "changed_at" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_provider_file_uploads_file_id",
                schema: "public",
                table: "provider_file_uploads",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_provider_file_uploads_provider_file_id",
                schema: "public",
                table: "provider_file_uploads",
                column: "provider_file_id");

            migrationBuilder.CreateIndex(
                name: "ix_provider_file_uploads_provider_sha256",
                schema: "public",
                table: "provider_file_uploads",
                columns: new[] { "provider", "sha256" },
                filter: "sha256 IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_provider_file_uploads_source",
                schema: "public",
                table: "provider_file_uploads",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_user_id",
                schema: "public",
                table: "sessions",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ux_sessions_source",
                schema: "public",
                table: "sessions",
                columns: new[] { "source_table", "source_id" },
                unique: true,
                filter: "source_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_system_prompts_content",
                schema: "public",
                table: "system_prompts",
                columns: new[] { "tool_name", "provider", "content_hash" });

            migrationBuilder.CreateIndex(
                name: "ix_system_prompts_tool_provider_active",
                schema: "public",
                table: "system_prompts",
                columns: new[] { "tool_name", "provider", "is_active" });

            migrationBuilder.CreateIndex(
                name: "ux_system_prompts_one_active",
                schema: "public",
                table: "system_prompts",
                columns: new[] { "tool_name", "provider" },
                unique: true,
                filter: "is_active");

            migrationBuilder.CreateIndex(
                name: "ux_system_prompts_tool_provider_version",
                schema: "public",
                table: "system_prompts",
                columns: new[] { "tool_name", "provider", "version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversation_files",
                schema: "public");

            migrationBuilder.DropTable(
                name: "file_deletion_jobs",
                schema: "public");

            migrationBuilder.DropTable(
                name: "issue_checklist_items",
                schema: "public");

            migrationBuilder.DropTable(
                name: "issue_updates",
                schema: "public");

            migrationBuilder.DropTable(
                name: "messages",
                schema: "public");

            migrationBuilder.DropTable(
                name: "outbox_dead_letters",
                schema: "public");

            migrationBuilder.DropTable(
                name: "prompt_performance",
                schema: "public");

            migrationBuilder.DropTable(
                name: "prompt_versions",
                schema: "public");

            migrationBuilder.DropTable(
                name: "provider_file_uploads",
                schema: "public");

            migrationBuilder.DropTable(
                name: "issues",
                schema: "public");

            migrationBuilder.DropTable(
                name: "conversations",
                schema: "public");

            migrationBuilder.DropTable(
                name: "system_prompts",
                schema: "public");

            migrationBuilder.DropTable(
                name: "files",
                schema: "public");

            migrationBuilder.DropTable(
                name: "sessions",
                schema: "public");
        }
    }
}
