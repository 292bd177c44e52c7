using System.Collections.Frozen;
using System.Text.Json;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Persistence.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// The SQL that copies each legacy table into its consolidated table, built from the columns the legacy tables
/// really have (read from the catalog). Groups run in dependency order, each in its own transaction.
/// </summary>
internal static class Consolidation
{
    /// <summary>Messages of the same thread, role and content recorded this close together are one message sent twice.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(2);

    /// <summary>Consolidated tables in the order they are filled, with the legacy tables that feed each.</summary>
    public static readonly IReadOnlyList<(string Target, string[] Sources)> Order =
    [
        (TableNames.Sessions, [TableNames.Sessions]),
        (TableNames.Conversations, [TableNames.Conversations]),
        (TableNames.Messages, [TableNames.Messages]),
        (TableNames.Files, [TableNames.Files]),
        (TableNames.ConversationFiles, [TableNames.ConversationFiles]),
        (TableNames.ProviderFileUploads, [TableNames.ProviderFileUploads, LegacyNames.FileMetadata]),
        (TableNames.FileDeletionJobs, [TableNames.FileDeletionJobs]),
        (TableNames.Issues, [LegacyNames.ExaiIssues, LegacyNames.ExaiIssuesTracker, TableNames.Issues, LegacyNames.Phase1Issues]),
        (TableNames.IssueUpdates, [LegacyNames.ExaiIssueUpdates]),
        (TableNames.IssueChecklistItems, [LegacyNames.ExaiIssueChecklist]),
    ];

    private const string SeverityMap = "severity_map";
    private const string PriorityMap = "priority_map";
    private const string SeverityPriorityMap = "severity_priority_map";
    private const string StatusMap = "status_map";
    private const string KindMap = "kind_map";
    private const string ChecklistMap = "checklist_map";
    private const string RoleMap = "role_map";
    private const string UploadMap = "upload_map";
    private const string JobMap = "job_map";
    private const string FileTypeMap = "file_type_map";

    private static readonly (string Name, FrozenDictionary<string, string> Map)[] Maps =
    [
        (SeverityMap, LegacyVocabulary.Severity), (PriorityMap, LegacyVocabulary.Priority),
        (SeverityPriorityMap, LegacyVocabulary.PriorityFromSeverity), (StatusMap, LegacyVocabulary.Status),
        (KindMap, LegacyVocabulary.UpdateKind), (ChecklistMap, LegacyVocabulary.ChecklistState),
        (RoleMap, LegacyValueMaps.Role), (UploadMap, LegacyValueMaps.UploadStatus),
        (JobMap, LegacyValueMaps.JobStatus), (FileTypeMap, LegacyValueMaps.FileType),
    ];

    /// <summary>The vocabularies a statement refers to, as jsonb parameters.</summary>
    public static IEnumerable<NpgsqlParameter> ParametersFor(string sql) =>
        Maps.Where(m => sql.Contains("@" + m.Name, StringComparison.Ordinal))
            .Select(m => new NpgsqlParameter(m.Name, NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(m.Map) });

    /// <summary>The copy of one consolidated table, or <see langword="null"/> when none of its legacy sources is present.</summary>
    public static CopyGroup? Build(string target, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var (_, sources) = Order.Single(o => o.Target == target);
        var present = sources.Where(legacy.ContainsKey).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        var group = new CopyGroup(target, present);
        switch (target)
        {
            case TableNames.Sessions: Sessions(group, legacy); break;
            case TableNames.Conversations: Conversations(group, legacy); break;
            case TableNames.Messages: Messages(group, legacy); break;
            case TableNames.Files: Files(group, legacy); break;
            case TableNames.ConversationFiles: ConversationFiles(group, legacy); break;
            case TableNames.ProviderFileUploads: ProviderFileUploads(group, legacy); break;
            case TableNames.FileDeletionJobs: FileDeletionJobs(group, legacy); break;
            case TableNames.Issues: Issues(group, legacy); break;
            case TableNames.IssueUpdates: IssueUpdates(group, legacy); break;
            case TableNames.IssueChecklistItems: IssueChecklistItems(group, legacy); break;
            default: throw new InvalidOperationException($"No consolidation is defined for {target}.");
        }

        if (present.Count > 1)
        {
            group.Statements.Add(SharedIds(target, present));
        }

        return group;
    }

    private static void Sessions(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[TableNames.Sessions]);
        var b = new InsertBuilder(TableNames.Sessions, s, s.Table)
            .Set("id", KeepId(s, TableNames.Sessions))
            .Set("user_id", s.Uuid("user_id", "owner_id"))
            .Set("client_name", s.Text("client_name", "user_agent"))
            .Set("client_fingerprint", s.Text("client_fingerprint"))
            .Set("created_at", s.Timestamp("created_at").OrSql("now()"))
            .Set("last_seen_at", s.Timestamp("last_seen_at", "last_activity_at", "updated_at", "created_at").OrSql("now()"))
            .Set("expires_at", s.Timestamp("expires_at"));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.Sessions));
    }

    private static void Conversations(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[TableNames.Conversations]);
        var b = new InsertBuilder(TableNames.Conversations, s, s.Table).Set("id", KeepId(s, TableNames.Conversations));

        var continuation = s.Text("continuation_id", "thread_id");
        var valid = $"(char_length({continuation.Sql}) BETWEEN 1 AND {ConversationsModel.MaxContinuationIdLength})";

        // A table made by hand may hold one continuation id twice: the first row (by id) keeps it, the others get
        // it with a suffix and keep the original under adoption.renamed_continuation_id.
        var taken =
            $"(row_number() OVER (PARTITION BY {continuation.Sql} ORDER BY {SourceRow.Key}) > 1 " +
            $"OR EXISTS (SELECT 1 FROM public.{TableNames.Conversations} c WHERE c.continuation_id = {continuation.Sql}))";
        b.Set("continuation_id", continuation.IsNull
            ? Expr.Of($"'exai-legacy:' || {SourceRow.Key}")
            : continuation with
            {
                Sql = $"(CASE WHEN NOT coalesce({valid}, false) THEN 'exai-legacy:' || {SourceRow.Key} " +
                    $"WHEN {taken} THEN left({continuation.Sql}, 180) || '#exai-legacy:' || left({SourceRow.Key}, 60) ELSE {continuation.Sql} END)",
            });
        b.Note("invalid_continuation_id", continuation.IsNull ? "NULL" : $"(CASE WHEN NOT coalesce({valid}, false) THEN {continuation.Sql} END)");
        b.Note("renamed_continuation_id", continuation.IsNull ? "NULL" : $"(CASE WHEN coalesce({valid}, false) AND {taken} THEN {continuation.Sql} END)");

        var unresolved = new List<(string, string)>();
        var session = s.Text("session_id");
        if (!session.IsNull)
        {
            var r = Reference.Build("ses", session.Sql, TableNames.Sessions,
                Matches(legacy, (TableNames.Sessions, "id"), (TableNames.Sessions, "session_id")), null, null);
            b.Join(r.Joins).Set("session_id", r.Id);
            unresolved.Add(("session_id", $"(CASE WHEN {session.Sql} IS NOT NULL AND NOT {r.Resolved} THEN {session.Sql} END)"));
        }

        b.Set("user_id", s.Uuid("user_id").OrSql(Sql.TryUuid(s.MetadataText("user_id").Sql)))
            .Set("parent_continuation_id", s.Text("parent_continuation_id"))
            .Set("title", s.Text("title"))
            .Set("tool_name", s.Text("tool_name").Or(s.MetadataText("tool_name", "tool")))
            .Set("provider", s.Text("provider", "provider_used").Or(s.MetadataText("provider_used", "provider")))
            .Set("model", s.Text("model", "model_used").Or(s.MetadataText("model_used", "model")))
            .Set("created_at", s.Timestamp("created_at").OrSql("now()"))
            .Set("last_activity_at", s.Timestamp("last_activity_at", "updated_at", "created_at").OrSql("now()"))
            .Set("expires_at", s.Timestamp("expires_at"))
            .Note("unresolved", Obj([.. unresolved]));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.Conversations));
    }

    private static void Messages(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[TableNames.Messages]);
        var reference = s.Text("conversation_id", "continuation_id", "thread_id");
        var conversation = ConversationReference(reference, legacy);
        var createdAt = s.Timestamp("created_at").OrSql("now()");
        group.Statements.Add(ConversationStandIns(s, reference, conversation, createdAt.Sql, TableNames.Messages));

        var role = s.Text("role", "sender");
        var content = s.Text("content", "message", "text", "body");
        var mappedRole = role.IsNull ? Sql.Literal(LegacyValueMaps.DefaultRole) : $"coalesce({Lookup(RoleMap, role.Sql)}, {Sql.Literal(LegacyValueMaps.DefaultRole)})";
        var window = $"(PARTITION BY {conversation.Id}, {mappedRole}, md5(coalesce({content.Sql}, '')) ORDER BY {createdAt.Sql}, {SourceRow.Key})";
        var duplicateOf =
            $"(CASE WHEN {createdAt.Sql} - lag({createdAt.Sql}) OVER {window} <= interval '{(int)DuplicateWindow.TotalMilliseconds} milliseconds' " +
            $"THEN lag({SourceRow.Key}) OVER {window} END)";

        var b = new InsertBuilder(TableNames.Messages, s, s.Table)
            .Join(conversation.Joins)
            .Set("id", KeepId(s, TableNames.Messages))
            .Set("conversation_id", conversation.Id)
            .Set("user_id", s.Uuid("user_id"))
            .Set("role", Expr.Of(mappedRole))
            .Set("content", content with { Sql = $"coalesce({content.Sql}, '')" })
            .Set("tool_name", s.Text("tool_name").Or(s.MetadataText("tool_name", "tool")))
            .Set("provider", s.Text("provider", "provider_used").Or(s.MetadataText("provider_used", "provider")))
            .Set("model", s.Text("model", "model_used").Or(s.MetadataText("model_used", "model")))
            .Set("input_tokens", s.Int("input_tokens", "prompt_tokens").Or(s.MetadataCount(
                ["token_usage", "input_tokens"], ["token_usage", "input"], ["token_usage", "prompt_tokens"], ["usage", "prompt_tokens"], ["input_tokens"])))
            .Set("output_tokens", s.Int("output_tokens", "completion_tokens").Or(s.MetadataCount(
                ["token_usage", "output_tokens"], ["token_usage", "output"], ["token_usage", "completion_tokens"], ["usage", "completion_tokens"], ["output_tokens"])))
            .Set("token_count", s.Int("token_count", "tokens", "total_tokens").Or(s.MetadataCount(
                ["token_usage", "total_tokens"], ["token_usage", "total"], ["usage", "total_tokens"], ["token_count"], ["tokens"])))
            .Set("tool_call_id", s.Text("tool_call_id").Or(s.MetadataText("tool_call_id")))
            .Set("created_at", createdAt)
            .Note("duplicate_of", duplicateOf)
            .Note("unmapped", Obj(("role", Unmapped(RoleMap, role))))
            .Note("unresolved", Obj(("conversation_id", $"(CASE WHEN NOT {conversation.Resolved} THEN coalesce({reference.Sql}, '(null)') END)")));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.Messages));
    }

    private static void Files(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[TableNames.Files]);
        var fileType = s.Text("file_type", "type", "kind");
        var bucket = s.Text("bucket", "bucket_id").OrSql(fileType.IsNull
            ? "'user-files'"
            : $"(CASE WHEN {fileType.Sql} IS NULL OR {Lookup(FileTypeMap, fileType.Sql)} = 'user_upload' THEN 'user-files' ELSE 'generated-files' END)");
        var path = s.Text("storage_path", "path", "name");
        var pathSql = path.IsNull ? $"('exai-legacy/' || {SourceRow.Key})" : $"coalesce({path.Sql}, 'exai-legacy/' || {SourceRow.Key})";
        var clash =
            $"(row_number() OVER (PARTITION BY {bucket.Sql}, {pathSql} ORDER BY {SourceRow.Key}) > 1 " +
            $"OR EXISTS (SELECT 1 FROM public.{TableNames.Files} f WHERE f.bucket = {bucket.Sql} AND f.storage_path = {pathSql}))";
        var hash = s.Text("sha256", "file_hash", "checksum_sha256", "sha256_hash", "content_hash");
        var size = s.BigInt("size_bytes", "file_size", "size", "file_size_bytes", "bytes");

        var b = new InsertBuilder(TableNames.Files, s, s.Table)
            .Set("id", KeepId(s, TableNames.Files))
            .Set("user_id", s.Uuid("user_id", "owner_id"))
            .Set("bucket", bucket)
            .Set("storage_path", path with { Sql = $"(CASE WHEN {clash} THEN {pathSql} || '#exai-legacy:' || {SourceRow.Key} ELSE {pathSql} END)" })
            .Set("original_name", s.Text("original_name", "filename", "original_filename", "name"))
            .Set("mime_type", s.Text("mime_type", "content_type"))
            .Set("size_bytes", size with { Sql = $"(CASE WHEN {size.Sql} >= 0 THEN {size.Sql} END)", Kept = null })
            .Set("sha256", hash.Map(Sql.TrySha256))
            .Set("file_type", Expr.Of(fileType.IsNull ? "'user_upload'" : $"coalesce({Lookup(FileTypeMap, fileType.Sql)}, 'user_upload')"))
            .Set("created_at", s.Timestamp("created_at").OrSql("now()"))
            .Set("updated_at", s.Timestamp("updated_at", "created_at").OrSql("now()"))
            .Set("expires_at", s.Timestamp("expires_at"))
            .Set("deleted_at", s.Timestamp("deleted_at"))
            .Note("renamed_storage_path", $"(CASE WHEN {clash} THEN {pathSql} END)")
            .Note("invalid", Obj(("sha256", hash.IsNull ? "NULL" : $"(CASE WHEN {hash.Sql} IS NOT NULL AND {Sql.TrySha256(hash.Sql)} IS NULL THEN {hash.Sql} END)")))
            .Note("unmapped", Obj(("file_type", Unmapped(FileTypeMap, fileType))));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.Files));
    }

    private static void ConversationFiles(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[TableNames.ConversationFiles]);
        var conversationRef = s.Text("conversation_id", "continuation_id");
        var fileRef = s.Text("file_id", "storage_path", "file_path");
        var conversation = ConversationReference(conversationRef, legacy);
        var file = FileReference("fil", fileRef, legacy, LegacyNames.UnresolvedFiles);
        var createdAt = s.Timestamp("created_at", "added_at", "linked_at").OrSql("now()");
        group.Statements.Add(ConversationStandIns(s, conversationRef, conversation, createdAt.Sql, TableNames.ConversationFiles));
        group.Statements.Add(FileStandIns(s, fileRef, file, createdAt.Sql, TableNames.ConversationFiles));

        var b = new InsertBuilder(TableNames.ConversationFiles, s, s.Table)
            .Join(conversation.Joins)
            .Join(file.Joins)
            .Set("id", KeepId(s, TableNames.ConversationFiles))
            .Set("conversation_id", conversation.Id)
            .Set("file_id", file.Id)
            .Set("created_at", createdAt)
            .Note("unresolved", Obj(
                ("conversation_id", $"(CASE WHEN NOT {conversation.Resolved} THEN coalesce({conversationRef.Sql}, '(null)') END)"),
                ("file_id", $"(CASE WHEN NOT {file.Resolved} THEN coalesce({fileRef.Sql}, '(null)') END)")));

        // Two legacy links may name the same thread and file once resolved (by id and by path, say): the first
        // becomes the link, the others are kept on it under adoption.merged_links.
        var columns = string.Join(", ", b.Columns.Select(Sql.Ident));
        var ranked = $"SELECT q.*, row_number() OVER (PARTITION BY q.conversation_id, q.file_id ORDER BY q.source_id) AS exai_rank FROM ({b.Select()}) q";
        group.Statements.Add(
            $"INSERT INTO public.{TableNames.ConversationFiles} ({columns})\nSELECT {columns} FROM ({ranked}) z WHERE z.exai_rank = 1\n" +
            "ON CONFLICT (source_table, source_id) WHERE source_id IS NOT NULL DO NOTHING");
        group.Statements.Add($"""
            UPDATE public.{TableNames.ConversationFiles} cf
            SET metadata = cf.metadata || jsonb_build_object('adoption', coalesce(cf.metadata -> 'adoption', '{"{}"}'::jsonb) || jsonb_build_object('merged_links', d.links))
            FROM (SELECT z.conversation_id, z.file_id,
                         jsonb_agg(jsonb_build_object('source_table', z.source_table, 'source_id', z.source_id, 'metadata', z.metadata) ORDER BY z.source_id) AS links
                  FROM ({ranked}) z WHERE z.exai_rank > 1 GROUP BY z.conversation_id, z.file_id) d
            WHERE cf.conversation_id = d.conversation_id AND cf.file_id = d.file_id AND cf.source_table = {Sql.Literal(s.Table)}
            """);
        group.Checks.Add(new CopyCheck(s.Table, $"SELECT count(*) FROM {s.Shape.QualifiedName}",
            $"SELECT count(*) + coalesce(sum(jsonb_array_length(coalesce(metadata #> '{{adoption,merged_links}}', '[]'::jsonb))), 0) " +
            $"FROM public.{TableNames.ConversationFiles} WHERE source_table = {Sql.Literal(s.Table)}"));
    }

    private static void ProviderFileUploads(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        if (legacy.TryGetValue(TableNames.ProviderFileUploads, out var uploads))
        {
            var s = new SourceRow(uploads);
            var (fileId, unresolvedFile, joins) = ResolveFile(legacy, s.Text("supabase_file_id", "file_id"), s.Text("storage_path", "file_path"));
            var status = s.Text("upload_status", "status");
            var deletedAt = s.Timestamp("deleted_at");
            var fallbackStatus = deletedAt.IsNull ? "'completed'" : $"(CASE WHEN {deletedAt.Sql} IS NOT NULL THEN 'deleted' ELSE 'completed' END)";
            var hash = s.Text("sha256", "checksum_sha256", "file_hash", "sha256_hash");
            var b = new InsertBuilder(TableNames.ProviderFileUploads, s, s.Table)
                .Join(joins)
                .Set("id", KeepId(s, TableNames.ProviderFileUploads))
                .Set("file_id", fileId)
                .Set("provider", s.Text("provider", "provider_name").OrSql("'unknown'"))
                .Set("provider_file_id", s.Text("provider_file_id").OrSql("''"))
                .Set("status", Expr.Of(status.IsNull ? fallbackStatus : $"coalesce({Lookup(UploadMap, status.Sql)}, {fallbackStatus})"))
                .Set("purpose", s.Text("purpose"))
                .Set("sha256", hash.Map(Sql.TrySha256))
                .Set("size_bytes", NonNegative(s.BigInt("file_size_bytes", "file_size", "size_bytes")))
                .Set("filename", s.Text("filename", "original_filename", "original_name"))
                .Set("error_message", s.Text("error_message", "last_error"))
                .Set("uploaded_at", s.Timestamp("uploaded_at", "upload_timestamp", "created_at"))
                .Set("last_used_at", s.Timestamp("last_used_at", "last_used", "last_downloaded_at", "last_accessed"))
                .Set("created_at", s.Timestamp("created_at", "upload_timestamp").OrSql("now()"))
                .Set("updated_at", s.Timestamp("updated_at", "created_at").OrSql("now()"))
                .Note("unresolved", Obj(("file_id", unresolvedFile)))
                .Note("invalid", Obj(("sha256", InvalidHash(hash))))
                .Note("unmapped", Obj(("status", Unmapped(UploadMap, status))));
            group.Statements.Add(b.Build());
            group.Checks.Add(OneToOne(s, TableNames.ProviderFileUploads));
        }

        if (legacy.TryGetValue(LegacyNames.FileMetadata, out var metadata))
        {
            var s = new SourceRow(metadata);
            var (fileId, unresolvedFile, joins) = ResolveFile(legacy, s.Text("file_id", "supabase_file_id"), s.Text("supabase_storage_path", "storage_path", "path"));
            var hash = s.Text("file_hash", "sha256", "sha256_hash", "checksum_sha256");
            var path = s.Text("supabase_storage_path", "storage_path", "path");
            var withoutEntry = $"coalesce({(path.IsNull ? "NULL" : path.Sql)}, {s.Text("file_id").OrSql("NULL").Sql}, {SourceRow.Key})";
            var b = new InsertBuilder(TableNames.ProviderFileUploads, s, s.Table,
                    sourceId: $"(CASE WHEN fe.pid IS NULL THEN {SourceRow.Key} ELSE {SourceRow.Key} || ':' || fe.provider || ':' || fe.pid END)")
                .Join($"LEFT JOIN LATERAL ({ProviderEntries(s)}) fe ON true")
                .Join(joins)
                .Set("id", "gen_random_uuid()")
                .Set("file_id", fileId)
                .Set("provider", "coalesce(fe.provider, 'supabase')")
                .Set("provider_file_id", $"coalesce(fe.pid, {withoutEntry})")
                .Set("status", "'completed'")
                .Set("purpose", s.Text("purpose"))
                .Set("sha256", hash.Map(Sql.TrySha256))
                .Set("size_bytes", NonNegative(s.BigInt("file_size_bytes", "file_size", "size_bytes")))
                .Set("filename", s.Text("original_filename", "filename", "original_name"))
                .Set("uploaded_at", s.Timestamp("uploaded_at", "created_at"))
                .Set("last_used_at", s.Timestamp("last_accessed", "last_accessed_at", "last_used"))
                .Set("created_at", s.Timestamp("created_at").OrSql("now()"))
                .Set("updated_at", s.Timestamp("updated_at", "created_at").OrSql("now()"))
                .Note("unresolved", Obj(("file_id", unresolvedFile)))
                .Note("invalid", Obj(("sha256", InvalidHash(hash))));
            group.Statements.Add(b.Build());
            group.Checks.Add(new CopyCheck(s.Table,
                $"SELECT count(*) FROM ({b.Select()}) x",
                $"SELECT count(*) FROM public.{TableNames.ProviderFileUploads} WHERE source_table = {Sql.Literal(s.Table)}"));
            group.Checks.Add(new CopyCheck(s.Table + " (every row)",
                "SELECT 0",
                $"SELECT count(*) FROM (SELECT {SourceRow.KeyOf(s.Shape, "l")} AS k FROM {s.Shape.QualifiedName} l) l " +
                $"WHERE NOT EXISTS (SELECT 1 FROM public.{TableNames.ProviderFileUploads} p WHERE p.source_table = {Sql.Literal(s.Table)} " +
                "AND (p.source_id = l.k OR left(p.source_id, length(l.k) + 1) = l.k || ':'))"));
        }

        // The same provider file recorded twice: the same upload when the hashes agree (or one is unknown), a
        // conflict when they differ. Both rows are kept; each says which other row it meets.
        group.Statements.Add($"""
            UPDATE public.{TableNames.ProviderFileUploads} t
            SET metadata = t.metadata || jsonb_build_object('adoption', coalesce(t.metadata -> 'adoption', '{"{}"}'::jsonb) || x.notes)
            FROM (SELECT a.id,
                         jsonb_strip_nulls(jsonb_build_object(
                             'conflicts_with', jsonb_agg(jsonb_build_object('source_table', b.source_table, 'source_id', b.source_id, 'sha256', b.sha256) ORDER BY b.source_table, b.source_id)
                                 FILTER (WHERE a.sha256 IS NOT NULL AND b.sha256 IS NOT NULL AND a.sha256 <> b.sha256),
                             'same_upload_as', jsonb_agg(jsonb_build_object('source_table', b.source_table, 'source_id', b.source_id) ORDER BY b.source_table, b.source_id)
                                 FILTER (WHERE a.sha256 IS NULL OR b.sha256 IS NULL OR a.sha256 = b.sha256))) AS notes
                  FROM public.{TableNames.ProviderFileUploads} a
                  JOIN public.{TableNames.ProviderFileUploads} b
                    ON lower(b.provider) = lower(a.provider) AND b.provider_file_id = a.provider_file_id AND b.id <> a.id
                  WHERE a.source_table = ANY({Sql.LiteralArray(group.Sources)}) AND b.source_table = ANY({Sql.LiteralArray(group.Sources)})
                    AND a.provider_file_id <> ''
                  GROUP BY a.id) x
            WHERE t.id = x.id AND x.notes <> '{"{}"}'::jsonb
            """);
    }

    private static void FileDeletionJobs(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[TableNames.FileDeletionJobs]);
        var (fileId, unresolvedFile, joins) = ResolveFile(legacy, s.Text("file_id", "supabase_file_id"), s.Text("storage_path", "path"));
        var provider = s.Text("provider", "provider_name");
        var providerFileId = s.Text("provider_file_id");
        if (!provider.IsNull && !providerFileId.IsNull)
        {
            // A job that names only the provider's file finds the file through the (already consolidated) uploads.
            joins += $"\nLEFT JOIN LATERAL (SELECT p.file_id FROM public.{TableNames.ProviderFileUploads} p " +
                $"WHERE p.file_id IS NOT NULL AND lower(p.provider) = lower({provider.Sql}) AND p.provider_file_id = {providerFileId.Sql} " +
                "ORDER BY p.source_table, p.id LIMIT 1) jpf ON true";
            fileId = fileId.Or(Expr.Of("jpf.file_id"));
            unresolvedFile = $"(CASE WHEN jpf.file_id IS NULL THEN {unresolvedFile} END)";
        }

        var status = s.Text("status", "state");
        var mapped = status.IsNull ? "'pending'" : $"coalesce({Lookup(JobMap, status.Sql)}, 'pending')";
        var attempts = s.Int("attempts", "retry_count", "attempt_count");
        var targets = Obj(
            ("provider", provider.OrSql("NULL").Sql),
            ("provider_file_id", providerFileId.OrSql("NULL").Sql),
            ("bucket", s.Text("bucket", "bucket_id").OrSql("NULL").Sql),
            ("storage_path", s.Text("storage_path", "path").OrSql("NULL").Sql));
        var b = new InsertBuilder(TableNames.FileDeletionJobs, s, s.Table)
            .Join(joins)
            .Set("id", KeepId(s, TableNames.FileDeletionJobs))
            .Set("file_id", fileId)
            .Set("user_id", s.Uuid("user_id"))
            .Set("status", Expr.Of(mapped))
            .Set("attempts", attempts with { Sql = $"(CASE WHEN {attempts.Sql} >= 0 THEN {attempts.Sql} ELSE 0 END)", Kept = null })
            .Set("last_error", s.Text("last_error", "error_message", "error"))
            .Set("reason", s.Text("reason", "deletion_reason"))
            .Set("targets", $"coalesce({targets}, '{{}}'::jsonb)")
            .Set("next_attempt_at", s.Timestamp("next_attempt_at", "scheduled_for", "scheduled_at", "created_at").OrSql("now()"))
            .Set("created_at", s.Timestamp("created_at").OrSql("now()"))
            .Set("updated_at", s.Timestamp("updated_at", "created_at").OrSql("now()"))
            .Set("completed_at", s.Timestamp("completed_at").OrSql($"(CASE WHEN {mapped} = 'completed' THEN {s.Timestamp("updated_at", "created_at").OrSql("now()").Sql} END)"))
            .Note("unresolved", Obj(("file_id", unresolvedFile)))
            .Note("unmapped", Obj(("status", Unmapped(JobMap, status))));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.FileDeletionJobs));
    }

    private static void Issues(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        foreach (var source in group.Sources)
        {
            var s = new SourceRow(legacy[source]);
            var title = s.Text("title", "issue_title", "name", "summary", "subject");
            var description = s.Text("description", "issue_description", "details", "body");
            var severityText = s.Text("severity", "level");
            var priorityText = s.Text("priority");
            var statusText = s.Text("status", "state");
            var severity = severityText.IsNull ? Sql.Literal(LegacyVocabulary.DefaultSeverity)
                : $"coalesce({Lookup(SeverityMap, severityText.Sql)}, {Sql.Literal(LegacyVocabulary.DefaultSeverity)})";
            var priority = $"coalesce({(priorityText.IsNull ? "NULL" : Lookup(PriorityMap, priorityText.Sql))}, (@{SeverityPriorityMap} ->> {severity}), {Sql.Literal(LegacyVocabulary.DefaultPriority)})";
            var status = statusText.IsNull ? Sql.Literal(LegacyVocabulary.DefaultStatus)
                : $"coalesce({Lookup(StatusMap, statusText.Sql)}, {Sql.Literal(LegacyVocabulary.DefaultStatus)})";
            var untitled = $"'Untitled legacy issue (' || {Sql.Literal(source)} || ' ' || {SourceRow.Key} || ')'";
            var b = new InsertBuilder(TableNames.Issues, s, source)
                .Set("id", KeepId(s, TableNames.Issues))
                .Set("issue_code", s.Text("issue_code", "code", "issue_key"))
                .Set("title", title with
                {
                    Sql = $"(CASE WHEN nullif(btrim({(title.IsNull ? "NULL::text" : title.Sql)}), '') IS NOT NULL THEN {(title.IsNull ? "NULL::text" : title.Sql)} " +
                        $"ELSE coalesce(nullif(left(btrim({(description.IsNull ? "NULL::text" : description.Sql)}), 200), ''), {untitled}) END)",
                })
                .Set("description", description)
                .Set("severity", Expr.Of(severity))
                .Set("priority", Expr.Of(priority))
                .Set("status", Expr.Of(status))
                .Set("category", s.Text("category", "component"))
                .Set("components", s.TextArray("affected_components", "components", "component").OrSql("'{}'::text[]"))
                .Set("affected_files", s.TextArray("affected_files", "files", "file_path").OrSql("'{}'::text[]"))
                .Set("root_cause", s.Text("root_cause", "root_cause_confirmed", "root_cause_hypothesis", "root_cause_analysis"))
                .Set("fix", s.Text("actual_fix", "fix", "fix_implementation_details", "fix_applied", "resolution"))
                .Set("reported_by", s.Text("reported_by", "reporter", "created_by"))
                .Set("assignee", s.Text("assignee", "assigned_to"))
                .Set("created_at", s.Timestamp("created_at", "discovered_date", "reported_at").OrSql("now()"))
                .Set("updated_at", s.Timestamp("updated_at", "created_at", "discovered_date").OrSql("now()"))
                .Set("resolved_at", s.Timestamp("resolved_at", "fix_date", "fixed_at", "resolution_date"))
                .Set("closed_at", s.Timestamp("closed_at"))
                .Note("blank_title", title.IsNull ? "NULL" : $"(CASE WHEN {title.Sql} IS NOT NULL AND btrim({title.Sql}) = '' THEN to_jsonb({title.Sql}) END)")
                .Note("unmapped", Obj(
                    ("severity", Unmapped(SeverityMap, severityText)),
                    ("priority", Unmapped(PriorityMap, priorityText)),
                    ("status", Unmapped(StatusMap, statusText))));
            group.Statements.Add(b.Build());
            group.Checks.Add(OneToOne(s, TableNames.Issues));
        }
    }

    private static void IssueUpdates(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[LegacyNames.ExaiIssueUpdates]);
        var reference = s.Text("issue_id", "issue_code");
        var issue = IssueReference(reference, legacy);
        var createdAt = s.Timestamp("created_at", "updated_at").OrSql("now()");
        group.Statements.Add(IssueStandIns(s, reference, issue, createdAt.Sql));

        var kind = s.Text("update_type", "kind", "type");
        var from = s.Text("old_status", "from_status", "previous_status");
        var to = s.Text("new_status", "to_status", "status");
        var b = new InsertBuilder(TableNames.IssueUpdates, s, s.Table)
            .Join(issue.Joins)
            .Set("id", KeepId(s, TableNames.IssueUpdates))
            .Set("issue_id", issue.Id)
            .Set("kind", Expr.Of(kind.IsNull ? Sql.Literal(LegacyVocabulary.DefaultUpdateKind)
                : $"coalesce({Lookup(KindMap, kind.Sql)}, {Sql.Literal(LegacyVocabulary.DefaultUpdateKind)})"))
            .Set("body", s.Text("content", "body", "comment", "message", "note", "notes"))
            .Set("from_status", Expr.Of(from.IsNull ? "NULL::text" : Lookup(StatusMap, from.Sql)))
            .Set("to_status", Expr.Of(to.IsNull ? "NULL::text" : Lookup(StatusMap, to.Sql)))
            .Set("continuation_id", s.Text("conversation_id", "continuation_id"))
            .Set("author", s.Text("author", "created_by", "updated_by"))
            .Set("created_at", createdAt)
            .Note("unresolved", Obj(("issue_id", $"(CASE WHEN NOT {issue.Resolved} THEN coalesce({reference.Sql}, '(null)') END)")))
            .Note("unmapped", Obj(
                ("kind", Unmapped(KindMap, kind)),
                ("from_status", Unmapped(StatusMap, from)),
                ("to_status", Unmapped(StatusMap, to))));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.IssueUpdates));
    }

    private static void IssueChecklistItems(CopyGroup group, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        var s = new SourceRow(legacy[LegacyNames.ExaiIssueChecklist]);
        var reference = s.Text("issue_id", "issue_code");
        var issue = IssueReference(reference, legacy);
        var createdAt = s.Timestamp("created_at").OrSql("now()");
        group.Statements.Add(IssueStandIns(s, reference, issue, createdAt.Sql));

        var step = s.BigInt("step_number", "position", "step", "sort_order");
        var state = s.Text("status", "state", "completed", "is_completed", "done");
        var position =
            $"(row_number() OVER (PARTITION BY {issue.Id} ORDER BY {(step.IsNull ? "NULL::bigint" : step.Sql)} NULLS LAST, {createdAt.Sql}, {SourceRow.Key}) " +
            $"+ coalesce((SELECT max(x.position) FROM public.{TableNames.IssueChecklistItems} x WHERE x.issue_id = {issue.Id}), 0))::integer";
        var b = new InsertBuilder(TableNames.IssueChecklistItems, s, s.Table)
            .Join(issue.Joins)
            .Set("id", KeepId(s, TableNames.IssueChecklistItems))
            .Set("issue_id", issue.Id)
            .Set("position", position)
            .Set("text", s.Text("description", "text", "item", "title", "step_description").OrSql("''"))
            .Set("state", Expr.Of(state.IsNull ? Sql.Literal(LegacyVocabulary.DefaultChecklistState)
                : $"coalesce({Lookup(ChecklistMap, state.Sql)}, {Sql.Literal(LegacyVocabulary.DefaultChecklistState)})"))
            .Set("state_changed_at", s.Timestamp("state_changed_at", "completed_at", "updated_at"))
            .Set("changed_by", s.Text("changed_by", "completed_by"))
            .Set("created_at", createdAt)
            .Note("unresolved", Obj(("issue_id", $"(CASE WHEN NOT {issue.Resolved} THEN coalesce({reference.Sql}, '(null)') END)")))
            .Note("unmapped", Obj(("state", Unmapped(ChecklistMap, state))));
        group.Statements.Add(b.Build());
        group.Checks.Add(OneToOne(s, TableNames.IssueChecklistItems));
    }

    // ------------------------------------------------------------------------------------------------------------

    private static Reference ConversationReference(Expr reference, IReadOnlyDictionary<string, LegacyTableShape> legacy) =>
        Reference.Build("cnv", reference.IsNull ? "NULL::text" : reference.Sql, TableNames.Conversations,
            Matches(legacy, (TableNames.Conversations, "id"), (TableNames.Conversations, "continuation_id")),
            ColumnNames.ContinuationId, LegacyNames.UnresolvedConversations);

    private static Reference FileReference(string alias, Expr reference, IReadOnlyDictionary<string, LegacyTableShape> legacy, string? standIns) =>
        Reference.Build(alias, reference.IsNull ? "NULL::text" : reference.Sql, TableNames.Files,
            Matches(legacy, (TableNames.Files, "id"), (TableNames.Files, "storage_path"), (TableNames.Files, "path")),
            "storage_path", standIns);

    private static Reference IssueReference(Expr reference, IReadOnlyDictionary<string, LegacyTableShape> legacy) =>
        Reference.Build("iss", reference.IsNull ? "NULL::text" : reference.Sql, TableNames.Issues,
            Matches(legacy,
                (LegacyNames.ExaiIssues, "id"), (LegacyNames.ExaiIssuesTracker, "issue_id"), (LegacyNames.ExaiIssuesTracker, "id"),
                (TableNames.Issues, "id"), (TableNames.Issues, "issue_code"), (LegacyNames.Phase1Issues, "id")),
            null, LegacyNames.UnresolvedIssues);

    /// <summary>A file named by id (or id-like text) and, failing that, by path; no stand-ins (the target column is nullable).</summary>
    private static (Expr Id, string Unresolved, string Joins) ResolveFile(IReadOnlyDictionary<string, LegacyTableShape> legacy, Expr byId, Expr byPath)
    {
        var joins = new List<string>();
        var ids = new List<string>();
        var resolved = new List<string>();
        if (!byId.IsNull)
        {
            var r = FileReference("fid", byId, legacy, null);
            joins.Add(r.Joins);
            ids.Add(r.Id);
            resolved.Add(r.Resolved);
        }

        if (!byPath.IsNull)
        {
            var r = FileReference("fpt", byPath, legacy, null);
            joins.Add(r.Joins);
            ids.Add(r.Id);
            resolved.Add(r.Resolved);
        }

        if (ids.Count == 0)
        {
            return (Expr.Null("uuid"), "NULL", string.Empty);
        }

        var named = byId.IsNull ? byPath : byId;
        var unresolved = $"(CASE WHEN {named.Sql} IS NOT NULL AND NOT ({string.Join(" OR ", resolved)}) THEN {named.Sql} END)";
        return (Expr.Of(ids.Count == 1 ? ids[0] : $"coalesce({string.Join(", ", ids)})"), unresolved, string.Join("\n", joins));
    }

    /// <summary>
    /// The provider ids of a file_metadata row: one (provider, id) per entry of its JSON map (a string, an object
    /// with a file id, or an array of ids per provider; a bare array under provider "unknown"), plus single-id
    /// columns such as moonshot_file_id.
    /// </summary>
    private static string ProviderEntries(SourceRow s)
    {
        var parts = new List<string>();
        var map = s.Jsonb("provider_file_ids", "provider_ids", "file_ids", "provider_files");
        if (!map.IsNull)
        {
            parts.Add($"""
                SELECT m.key AS provider, v.pid
                FROM jsonb_each(CASE WHEN jsonb_typeof({map.Sql}) = 'object' THEN {map.Sql} ELSE '{"{}"}'::jsonb END) m
                CROSS JOIN LATERAL (
                    SELECT CASE jsonb_typeof(m.value)
                               WHEN 'string' THEN m.value #>> '{"{}"}'
                               WHEN 'number' THEN m.value::text
                               WHEN 'object' THEN coalesce(m.value ->> 'file_id', m.value ->> 'provider_file_id', m.value ->> 'id')
                           END AS pid
                    WHERE jsonb_typeof(m.value) <> 'array'
                    UNION ALL
                    SELECT CASE WHEN jsonb_typeof(a) = 'object' THEN coalesce(a ->> 'file_id', a ->> 'provider_file_id', a ->> 'id') ELSE a #>> '{"{}"}' END
                    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.value) = 'array' THEN m.value ELSE '[]'::jsonb END) a
                ) v
                UNION ALL
                SELECT 'unknown', CASE WHEN jsonb_typeof(a) = 'object' THEN coalesce(a ->> 'file_id', a ->> 'provider_file_id', a ->> 'id') ELSE a #>> '{"{}"}' END
                FROM jsonb_array_elements(CASE WHEN jsonb_typeof({map.Sql}) = 'array' THEN {map.Sql} ELSE '[]'::jsonb END) a
                """);
        }

        foreach (var (column, provider) in new[] { ("moonshot_file_id", "'kimi'"), ("kimi_file_id", "'kimi'"), ("glm_file_id", "'glm'") })
        {
            if (s.Has(column))
            {
                parts.Add($"SELECT {provider}, {s.Col(column)}::text");
            }
        }

        if (s.Has("provider_file_id"))
        {
            parts.Add($"SELECT {s.Text("provider", "provider_name").OrSql("'unknown'").Sql}, {s.Col("provider_file_id")}::text");
        }

        if (parts.Count == 0)
        {
            parts.Add("SELECT NULL::text, NULL::text WHERE false");
        }

        return $"SELECT e.provider, btrim(e.pid) AS pid FROM ({string.Join("\nUNION ALL\n", parts)}) e(provider, pid) " +
            "WHERE nullif(btrim(e.pid), '') IS NOT NULL GROUP BY e.provider, btrim(e.pid)";
    }

    private static string ConversationStandIns(SourceRow s, Expr reference, Reference conversation, string createdAt, string referencedBy)
    {
        var refSql = reference.IsNull ? "NULL::text" : reference.Sql;
        return $"""
            INSERT INTO public.{TableNames.Conversations} (continuation_id, metadata, created_at, last_activity_at, source_table, source_id)
            SELECT CASE WHEN x.ref IS NULL THEN 'exai-legacy:no-conversation'
                        WHEN char_length(x.ref) BETWEEN 1 AND {ConversationsModel.MaxContinuationIdLength}
                             AND NOT EXISTS (SELECT 1 FROM public.{TableNames.Conversations} c WHERE c.continuation_id = x.ref) THEN x.ref
                        ELSE 'exai-legacy:unresolved:' || md5(x.ref) END,
                   jsonb_build_object('adoption', jsonb_build_object('stand_in', true, 'reference', x.ref, 'referenced_by', {Sql.Literal(referencedBy)})),
                   x.first_at, x.last_at, {Sql.Literal(LegacyNames.UnresolvedConversations)}, coalesce(x.ref, '(null)')
            FROM (SELECT {refSql} AS ref, min({createdAt}) AS first_at, max({createdAt}) AS last_at
                  FROM {s.From()}
                  {conversation.Joins}
                  WHERE {conversation.Id} IS NULL
                  GROUP BY 1) x
            ON CONFLICT (source_table, source_id) WHERE source_id IS NOT NULL DO NOTHING
            """;
    }

    private static string FileStandIns(SourceRow s, Expr reference, Reference file, string createdAt, string referencedBy)
    {
        var refSql = reference.IsNull ? "NULL::text" : reference.Sql;
        return $"""
            INSERT INTO public.{TableNames.Files} (bucket, storage_path, metadata, created_at, updated_at, source_table, source_id)
            SELECT 'exai-legacy', 'unresolved/' || coalesce(x.ref, '(null)'),
                   jsonb_build_object('adoption', jsonb_build_object('stand_in', true, 'reference', x.ref, 'referenced_by', {Sql.Literal(referencedBy)})),
                   x.first_at, x.first_at, {Sql.Literal(LegacyNames.UnresolvedFiles)}, coalesce(x.ref, '(null)')
            FROM (SELECT {refSql} AS ref, min({createdAt}) AS first_at
                  FROM {s.From()}
                  {file.Joins}
                  WHERE {file.Id} IS NULL
                  GROUP BY 1) x
            ON CONFLICT (source_table, source_id) WHERE source_id IS NOT NULL DO NOTHING
            """;
    }

    private static string IssueStandIns(SourceRow s, Expr reference, Reference issue, string createdAt)
    {
        var refSql = reference.IsNull ? "NULL::text" : reference.Sql;
        return $"""
            INSERT INTO public.{TableNames.Issues} (title, metadata, created_at, updated_at, source_table, source_id)
            SELECT 'Unresolved legacy issue ' || coalesce(x.ref, '(none)'),
                   jsonb_build_object('adoption', jsonb_build_object('stand_in', true, 'reference', x.ref, 'referenced_by', {Sql.Literal(s.Table)})),
                   x.first_at, x.last_at, {Sql.Literal(LegacyNames.UnresolvedIssues)}, coalesce(x.ref, '(null)')
            FROM (SELECT {refSql} AS ref, min({createdAt}) AS first_at, max({createdAt}) AS last_at
                  FROM {s.From()}
                  {issue.Joins}
                  WHERE {issue.Id} IS NULL
                  GROUP BY 1) x
            ON CONFLICT (source_table, source_id) WHERE source_id IS NOT NULL DO NOTHING
            """;
    }

    /// <summary>
    /// Rows of different legacy tables that carried the same UUID: both are kept (one keeps the UUID as its id, the
    /// other gets a new one), and each lists the others under adoption.shares_legacy_id_with. (Serial ids 1, 2, …
    /// of different tables meet by chance and are not noted.)
    /// </summary>
    private static string SharedIds(string target, IReadOnlyList<string> sources) => $"""
        UPDATE public.{Sql.Ident(target)} t
        SET metadata = t.metadata || jsonb_build_object('adoption', coalesce(t.metadata -> 'adoption', '{"{}"}'::jsonb) || jsonb_build_object('shares_legacy_id_with', x.others))
        FROM (SELECT a.id, jsonb_agg(jsonb_build_object('source_table', b.source_table, 'source_id', b.source_id, 'id', b.id) ORDER BY b.source_table) AS others
              FROM public.{Sql.Ident(target)} a
              JOIN public.{Sql.Ident(target)} b ON b.source_id = a.source_id AND b.source_table <> a.source_table
              WHERE a.source_table = ANY({Sql.LiteralArray(sources)}) AND b.source_table = ANY({Sql.LiteralArray(sources)})
                AND a.source_id ~ {Sql.Literal(Sql.UuidPattern)}
              GROUP BY a.id) x
        WHERE t.id = x.id
        """;

    private static CopyCheck OneToOne(SourceRow s, string target) => new(
        s.Table,
        $"SELECT count(*) FROM {s.Shape.QualifiedName}",
        $"SELECT count(*) FROM public.{Sql.Ident(target)} WHERE source_table = {Sql.Literal(s.Table)}");

    /// <summary>The legacy row's UUID as the new id when it has one that is still free, else a new one.</summary>
    private static Expr KeepId(SourceRow s, string target)
    {
        var candidates = s.Shape.Key.Count == 1 ? new[] { s.Shape.Key[0] } : ["id"];
        var uuid = s.Uuid(candidates);
        if (uuid.IsNull)
        {
            return Expr.Of("gen_random_uuid()");
        }

        return Expr.Of(
            $"(CASE WHEN {uuid.Sql} IS NOT NULL AND row_number() OVER (PARTITION BY {uuid.Sql} ORDER BY {SourceRow.Key}) = 1 " +
            $"AND NOT EXISTS (SELECT 1 FROM public.{Sql.Ident(target)} x WHERE x.id = {uuid.Sql}) THEN {uuid.Sql} ELSE gen_random_uuid() END)");
    }

    private static List<(LegacyTableShape, string)> Matches(IReadOnlyDictionary<string, LegacyTableShape> legacy, params (string Table, string Column)[] candidates) =>
        [.. candidates.Where(c => legacy.ContainsKey(c.Table)).Select(c => (legacy[c.Table], c.Column))];

    private static Expr NonNegative(Expr value) =>
        value.IsNull ? value : value with { Sql = $"(CASE WHEN {value.Sql} >= 0 THEN {value.Sql} END)", Kept = null };

    private static string InvalidHash(Expr hash) =>
        hash.IsNull ? "NULL" : $"(CASE WHEN {hash.Sql} IS NOT NULL AND {Sql.TrySha256(hash.Sql)} IS NULL THEN {hash.Sql} END)";

    private static string Lookup(string map, string text) => $"(@{map} ->> {LegacyVocabulary.NormalizeSql(text)})";

    private static string Unmapped(string map, Expr text) =>
        text.IsNull ? "NULL" : $"(CASE WHEN nullif(btrim({text.Sql}), '') IS NOT NULL AND {Lookup(map, text.Sql)} IS NULL THEN {text.Sql} END)";

    /// <summary>A jsonb object of the non-NULL entries, NULL when there are none.</summary>
    private static string Obj(params (string Key, string Sql)[] entries) =>
        entries.Length == 0
            ? "NULL::jsonb"
            : $"nullif(jsonb_strip_nulls(jsonb_build_object({string.Join(", ", entries.Select(e => $"{Sql.Literal(e.Key)}, {e.Sql}"))})), '{{}}'::jsonb)";
}
