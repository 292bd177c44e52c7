using System.Globalization;
using System.Text;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Migrations.Internal;

/// <summary>
/// The SQL that makes the schema work the same on a Supabase project and on plain PostgreSQL: stand-ins for
/// Supabase's roles and <c>auth</c> functions (created only when missing), grants, row-level security and the
/// realtime publication. Every block checks the catalog first, because Supabase's <c>postgres</c> role may not
/// create or replace anything in schema <c>auth</c> and only the publication's owner may alter it.
/// </summary>
/// <remarks>
/// Dollar-quote tags differ from EF's <c>$EF$</c> so the blocks nest inside an idempotent script.
/// </remarks>
internal static class SupabaseSql
{
    public const string Anon = "anon";
    public const string Authenticated = "authenticated";
    public const string ServiceRole = "service_role";
    public const string PublicationName = "supabase_realtime";
    public const string PromptChannel = "exai_prompts";

    private const string Uid = "(select auth.uid())";

    /// <summary>
    /// Creates <c>anon</c>, <c>authenticated</c> and <c>service_role</c> when missing. Roles are cluster-wide: another
    /// database of the same server may create one at the same moment, which surfaces as duplicate_object or
    /// unique_violation and is ignored. The migrating role is made a member where it may, so the library can act as a
    /// user with <c>SET LOCAL ROLE authenticated</c>; from PostgreSQL 16 that needs the SET option of a membership,
    /// which the automatic grant to a role's non-superuser creator lacks, so SET is what is checked there.
    /// </summary>
    public static string Roles() => """
        DO $exai$
        DECLARE
            r text;
            may_set text := CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END;
        BEGIN
            FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
                    BEGIN
                        EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN
                        RAISE NOTICE 'role % was created concurrently', r;
                    END;
                END IF;
                IF NOT pg_catalog.pg_has_role(current_user, r, may_set) THEN
                    BEGIN
                        EXECUTE format('GRANT %I TO %I', r, current_user);
                    EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation OR unique_violation OR duplicate_object THEN
                        RAISE NOTICE 'could not make % a member of role %; acting as a user needs that membership', current_user, r;
                    END;
                END IF;
            END LOOP;
        END
        $exai$;
        """;

    /// <summary>
    /// Schema <c>auth</c> with <c>auth.uid()</c>, <c>auth.role()</c> and <c>auth.jwt()</c>, each only when missing,
    /// reading the <c>request.jwt.claims</c> setting as Supabase's own functions do. Nothing in an existing schema
    /// <c>auth</c> is created or replaced unless it is missing and the migrating role may create it there; on Supabase
    /// (whose <c>postgres</c> role may not) everything exists and this block only reads the catalog. The policies
    /// need <c>auth.uid()</c> and the right to look it up, so their absence stops the migration with the fix named.
    /// </summary>
    public static string AuthFunctions() => """
        DO $exai$
        DECLARE
            r text;
            may_create boolean;
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'auth') THEN
                CREATE SCHEMA auth;
            END IF;
            may_create := pg_catalog.has_schema_privilege('auth', 'CREATE');

            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = 'auth' AND p.proname = 'uid') THEN
                IF NOT may_create THEN
                    RAISE EXCEPTION 'Exai.Supabase: function auth.uid() is missing and role % may not create it in schema auth', current_user
                        USING ERRCODE = 'insufficient_privilege',
                              HINT = 'Create auth.uid() (it returns the sub claim of request.jwt.claims as uuid) or GRANT CREATE ON SCHEMA auth to the migrating role.';
                END IF;
                CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $fn$
                    SELECT coalesce(
                        nullif(current_setting('request.jwt.claim.sub', true), ''),
                        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
                    )::uuid
                $fn$;
                GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;
            END IF;

            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = 'auth' AND p.proname = 'role') THEN
                IF may_create THEN
                    CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $fn$
                        SELECT coalesce(
                            nullif(current_setting('request.jwt.claim.role', true), ''),
                            (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
                        )::text
                    $fn$;
                    GRANT EXECUTE ON FUNCTION auth.role() TO anon, authenticated, service_role;
                ELSE
                    RAISE WARNING 'Exai.Supabase: auth.role() is missing and role % may not create it; the library does not need it', current_user;
                END IF;
            END IF;

            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = 'auth' AND p.proname = 'jwt') THEN
                IF may_create THEN
                    CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $fn$
                        SELECT coalesce(
                            nullif(current_setting('request.jwt.claim', true), ''),
                            nullif(current_setting('request.jwt.claims', true), '')
                        )::jsonb
                    $fn$;
                    GRANT EXECUTE ON FUNCTION auth.jwt() TO anon, authenticated, service_role;
                ELSE
                    RAISE WARNING 'Exai.Supabase: auth.jwt() is missing and role % may not create it; the library does not need it', current_user;
                END IF;
            END IF;

            IF NOT pg_catalog.has_schema_privilege('auth', 'USAGE') THEN
                RAISE EXCEPTION 'Exai.Supabase: role % may not use schema auth, so it cannot write policies that call auth.uid()', current_user
                    USING ERRCODE = 'insufficient_privilege',
                          HINT = format('GRANT USAGE ON SCHEMA auth TO %I;', current_user);
            END IF;

            -- Policies call auth.uid() as the querying role. Supabase grants this; a stand-in schema gets it here.
            FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
                IF NOT pg_catalog.has_schema_privilege(r, 'auth', 'USAGE') THEN
                    BEGIN
                        EXECUTE format('GRANT USAGE ON SCHEMA auth TO %I', r);
                    EXCEPTION WHEN insufficient_privilege THEN
                        RAISE WARNING 'Exai.Supabase: role % may not use schema auth, so its queries on policy-protected tables will fail (GRANT USAGE ON SCHEMA auth TO %)', r, r;
                    END;
                END IF;
            END LOOP;
        END
        $exai$;
        """;

    /// <summary>
    /// Row-level security, grants and policies for every table. Grants are explicit and exact: Supabase no longer
    /// grants new <c>public</c> tables to its API roles, and older projects' default privileges grant them everything
    /// (TRUNCATE and TRIGGER included), so each table's privileges are revoked from the API roles before the grants.
    /// </summary>
    public static string Security()
    {
        var sql = new StringBuilder();
        foreach (var table in TableNames.All)
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $"ALTER TABLE public.{table} ENABLE ROW LEVEL SECURITY;");
            sql.AppendLine(CultureInfo.InvariantCulture, $"REVOKE ALL ON public.{table} FROM PUBLIC, {Anon}, {Authenticated}, {ServiceRole};");
            sql.AppendLine(CultureInfo.InvariantCulture, $"GRANT SELECT, INSERT, UPDATE, DELETE ON public.{table} TO {ServiceRole};");
            sql.AppendLine(CultureInfo.InvariantCulture,
                $"CREATE POLICY {table}_service_all ON public.{table} FOR ALL TO {ServiceRole} USING (true) WITH CHECK (true);");
        }

        // Rows a user owns directly.
        Owned(sql, TableNames.Sessions, ownerCheck: null);
        Owned(sql, TableNames.Conversations,
            ownerCheck: $"({ColumnNames.SessionId} IS NULL OR {OwnsSession(ColumnNames.SessionId)})");
        Owned(sql, TableNames.Files, ownerCheck: null);
        Owned(sql, TableNames.Messages, ownerCheck: OwnsConversation(ColumnNames.ConversationId));
        // A user may ask for the deletion of their own files only; the jobs are worked (changed) by the service.
        OwnedSelectInsert(sql, TableNames.FileDeletionJobs, ownerCheck: OwnsFile(ColumnNames.FileId));

        // Links whose ownership is their parents'.
        Attached(sql, TableNames.ConversationFiles, $"{OwnsConversation(ColumnNames.ConversationId)} AND {OwnsFile(ColumnNames.FileId)}");
        Attached(sql, TableNames.ProviderFileUploads, OwnsFile(ColumnNames.FileId));

        // Shared, read-only for users; written by the service side only.
        foreach (var table in TableNames.SharedWithUsers)
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $"GRANT SELECT ON public.{table} TO {Authenticated};");
            sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_authenticated_read ON public.{table} FOR SELECT TO {Authenticated} USING (true);");
        }

        // The migration history is no one's business but the service's.
        sql.AppendLine(CultureInfo.InvariantCulture, $"ALTER TABLE public.{TableNames.MigrationsHistory} ENABLE ROW LEVEL SECURITY;");
        sql.AppendLine(CultureInfo.InvariantCulture, $"REVOKE ALL ON public.{TableNames.MigrationsHistory} FROM PUBLIC, {Anon}, {Authenticated}, {ServiceRole};");
        sql.AppendLine(CultureInfo.InvariantCulture, $"GRANT SELECT ON public.{TableNames.MigrationsHistory} TO {ServiceRole};");
        sql.AppendLine(CultureInfo.InvariantCulture,
            $"CREATE POLICY exai_migrations_history_service_read ON public.{TableNames.MigrationsHistory} FOR SELECT TO {ServiceRole} USING (true);");
        return sql.ToString();
    }

    /// <summary>Undoes <see cref="Security"/> (roles and <c>auth</c> functions are shared and stay).</summary>
    public static string DropSecurity()
    {
        var sql = new StringBuilder();
        foreach (var table in TableNames.All.Append(TableNames.MigrationsHistory))
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $$"""
                DO $exai$
                DECLARE p record;
                BEGIN
                    FOR p IN SELECT policyname FROM pg_catalog.pg_policies WHERE schemaname = 'public' AND tablename = '{{table}}' LOOP
                        EXECUTE format('DROP POLICY %I ON public.{{table}}', p.policyname);
                    END LOOP;
                END
                $exai$;
                """);
            sql.AppendLine(CultureInfo.InvariantCulture, $"ALTER TABLE public.{table} DISABLE ROW LEVEL SECURITY;");
        }

        return sql.ToString();
    }

    /// <summary>
    /// The <c>supabase_realtime</c> publication (created only when missing) with the realtime tables, each added
    /// only when not yet a member (adding one twice is an error). A publication for all tables, or for all of schema
    /// <c>public</c>, already has them. A role that may not create the publication or does not own it gets a warning
    /// naming the fix instead of a failed migration: change events are an addition, the schema works without them.
    /// </summary>
    public static string AddToPublication(IEnumerable<string> tables)
    {
        var list = string.Join(", ", tables.Select(t => $"'{t}'"));
        return $$"""
            DO $exai$
            DECLARE
                t text;
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = '{{PublicationName}}') THEN
                    IF NOT pg_catalog.has_database_privilege(current_database(), 'CREATE') THEN
                        RAISE WARNING 'Exai.Supabase: there is no publication {{PublicationName}} and role % may not create one; change events stay off until it exists (CREATE PUBLICATION {{PublicationName}}) and the migrations run again', current_user;
                        RETURN;
                    END IF;
                    CREATE PUBLICATION {{PublicationName}};
                END IF;
                IF (SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = '{{PublicationName}}') THEN
                    RETURN;
                END IF;
                FOREACH t IN ARRAY ARRAY[{{list}}] LOOP
                    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_tables
                                   WHERE pubname = '{{PublicationName}}' AND schemaname = '{{TableNames.Schema}}' AND tablename = t) THEN
                        BEGIN
                            EXECUTE format('ALTER PUBLICATION {{PublicationName}} ADD TABLE {{TableNames.Schema}}.%I', t);
                        EXCEPTION WHEN insufficient_privilege THEN
                            RAISE WARNING 'Exai.Supabase: % is not in publication {{PublicationName}}: only its owner may add it (ALTER PUBLICATION {{PublicationName}} ADD TABLE {{TableNames.Schema}}.%)', t, t;
                        END;
                    END IF;
                END LOOP;
            END
            $exai$;
            """;
    }

    /// <summary>Removes the given tables from the publication where they are members.</summary>
    public static string DropFromPublication(IEnumerable<string> tables)
    {
        var list = string.Join(", ", tables.Select(t => $"'{t}'"));
        return $$"""
            DO $exai$
            DECLARE
                t text;
            BEGIN
                FOREACH t IN ARRAY ARRAY[{{list}}] LOOP
                    IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication_tables
                               WHERE pubname = '{{PublicationName}}' AND schemaname = 'public' AND tablename = t)
                       AND NOT (SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = '{{PublicationName}}') THEN
                        EXECUTE format('ALTER PUBLICATION {{PublicationName}} DROP TABLE public.%I', t);
                    END IF;
                END LOOP;
            END
            $exai$;
            """;
    }

    /// <summary>
    /// Full old rows in the change feed for tables whose subscribers filter or invalidate on old values. It costs
    /// write-ahead log volume on every update and delete, so the busiest table (<c>messages</c>) keeps the default.
    /// </summary>
    public static string ReplicaIdentityFull(IEnumerable<string> tables) =>
        string.Concat(tables.Select(t => $"ALTER TABLE public.{t} REPLICA IDENTITY FULL;\n"));

    /// <summary>
    /// Positions unique per issue, checked at commit, so a reordering can pass through duplicates inside its
    /// transaction. (EF Core's model cannot express a deferrable constraint.)
    /// </summary>
    public static string ChecklistPositionConstraint() =>
        $"ALTER TABLE public.{TableNames.IssueChecklistItems} ADD CONSTRAINT uq_issue_checklist_items_issue_id_position UNIQUE (issue_id, position) DEFERRABLE INITIALLY DEFERRED;";

    /// <summary>
    /// A notification on channel <c>exai_prompts</c> whenever a prompt row changes, so every instance drops its
    /// cached entry at once instead of waiting out a TTL.
    /// </summary>
    public static string PromptChangeNotification() => $$"""
        CREATE FUNCTION public.exai_notify_prompt_change() RETURNS trigger
        LANGUAGE plpgsql SET search_path = '' AS $fn$
        DECLARE
            r record;
        BEGIN
            IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
            PERFORM pg_catalog.pg_notify('{{PromptChannel}}', json_build_object('tool', r.tool_name, 'provider', r.provider)::text);
            IF TG_OP = 'UPDATE' AND (OLD.tool_name, OLD.provider) IS DISTINCT FROM (NEW.tool_name, NEW.provider) THEN
                PERFORM pg_catalog.pg_notify('{{PromptChannel}}', json_build_object('tool', OLD.tool_name, 'provider', OLD.provider)::text);
            END IF;
            RETURN NULL;
        END
        $fn$;
        REVOKE ALL ON FUNCTION public.exai_notify_prompt_change() FROM PUBLIC, {{Anon}}, {{Authenticated}}, {{ServiceRole}};
        CREATE TRIGGER exai_system_prompts_notify
            AFTER INSERT OR UPDATE OR DELETE ON public.{{TableNames.SystemPrompts}}
            FOR EACH ROW EXECUTE FUNCTION public.exai_notify_prompt_change();
        """;

    public static string DropPromptChangeNotification() => $"""
        DROP TRIGGER IF EXISTS exai_system_prompts_notify ON public.{TableNames.SystemPrompts};
        DROP FUNCTION IF EXISTS public.exai_notify_prompt_change();
        """;

    // Parent lookups go through the parent's primary key; its user_id is indexed for the parent's own policies.
    private static string OwnsSession(string column) =>
        $"EXISTS (SELECT 1 FROM public.{TableNames.Sessions} s WHERE s.{ColumnNames.Id} = {column} AND s.{ColumnNames.UserId} = {Uid})";

    private static string OwnsConversation(string column) =>
        $"EXISTS (SELECT 1 FROM public.{TableNames.Conversations} c WHERE c.{ColumnNames.Id} = {column} AND c.{ColumnNames.UserId} = {Uid})";

    private static string OwnsFile(string column) =>
        $"EXISTS (SELECT 1 FROM public.{TableNames.Files} f WHERE f.{ColumnNames.Id} = {column} AND f.{ColumnNames.UserId} = {Uid})";

    private static void Owned(StringBuilder sql, string table, string? ownerCheck)
    {
        var owner = $"{Uid} = {ColumnNames.UserId}";
        var check = ownerCheck is null ? owner : $"{owner} AND {ownerCheck}";
        sql.AppendLine(CultureInfo.InvariantCulture, $"GRANT SELECT, INSERT, UPDATE, DELETE ON public.{table} TO {Authenticated};");
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_owner_select ON public.{table} FOR SELECT TO {Authenticated} USING ({owner});");
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_owner_insert ON public.{table} FOR INSERT TO {Authenticated} WITH CHECK ({check});");
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_owner_update ON public.{table} FOR UPDATE TO {Authenticated} USING ({owner}) WITH CHECK ({check});");
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_owner_delete ON public.{table} FOR DELETE TO {Authenticated} USING ({owner});");
    }

    private static void OwnedSelectInsert(StringBuilder sql, string table, string ownerCheck)
    {
        var owner = $"{Uid} = {ColumnNames.UserId}";
        sql.AppendLine(CultureInfo.InvariantCulture, $"GRANT SELECT, INSERT ON public.{table} TO {Authenticated};");
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_owner_select ON public.{table} FOR SELECT TO {Authenticated} USING ({owner});");
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE POLICY {table}_owner_insert ON public.{table} FOR INSERT TO {Authenticated} WITH CHECK ({owner} AND {ownerCheck});");
    }

    private static void Attached(StringBuilder sql, string table, string parentsOwned)
    {
        sql.AppendLine(CultureInfo.InvariantCulture, $"GRANT SELECT, INSERT, UPDATE, DELETE ON public.{table} TO {Authenticated};");
        sql.AppendLine(CultureInfo.InvariantCulture,
            $"CREATE POLICY {table}_owner_all ON public.{table} FOR ALL TO {Authenticated} USING ({parentsOwned}) WITH CHECK ({parentsOwned});");
    }
}
