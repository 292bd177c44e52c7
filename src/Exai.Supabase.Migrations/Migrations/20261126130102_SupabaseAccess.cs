using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exai.Supabase.Migrations.Migrations
{
    /// <summary>
    /// Supabase's roles and <c>auth</c> functions where missing, grants, row-level security, the realtime
    /// publication, the deferrable checklist order and prompt change notifications.
    /// </summary>
    internal partial class SupabaseAccess : Migration
    {
        private static readonly string[] FullIdentityTables =
        [
            TableNames.Conversations, TableNames.Files, TableNames.ProviderFileUploads, TableNames.Issues, TableNames.SystemPrompts,
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SupabaseSql.Roles());
            migrationBuilder.Sql(SupabaseSql.AuthFunctions());
            migrationBuilder.Sql(SupabaseSql.Security());
            migrationBuilder.Sql(SupabaseSql.ReplicaIdentityFull(FullIdentityTables));
            migrationBuilder.Sql(SupabaseSql.AddToPublication(TableNames.Realtime));
            migrationBuilder.Sql(SupabaseSql.ChecklistPositionConstraint());
            migrationBuilder.Sql(SupabaseSql.PromptChangeNotification());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SupabaseSql.DropPromptChangeNotification());
            migrationBuilder.Sql($"ALTER TABLE public.{TableNames.IssueChecklistItems} DROP CONSTRAINT IF EXISTS uq_issue_checklist_items_issue_id_position;");
            migrationBuilder.Sql(SupabaseSql.DropFromPublication(TableNames.Realtime));
            migrationBuilder.Sql(string.Concat(FullIdentityTables.Select(t => $"ALTER TABLE public.{t} REPLICA IDENTITY DEFAULT;\n")));
            migrationBuilder.Sql(SupabaseSql.DropSecurity());
        }
    }
}
