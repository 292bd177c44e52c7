using System.Text;
using Exai.Supabase.Files;
using Exai.Supabase.Conversations;
using Exai.Supabase.Outbox;
using Exai.Supabase.Security;
using Exai.Supabase.Prompts;
using Exai.Supabase.Realtime;
using Npgsql;

namespace Exai.Supabase;

/// <summary>
/// Settings of <c>AddExaiSupabase</c>. Bound from the configuration section <c>Exai</c> when one is given; the
/// connection strings default to <c>ConnectionStrings:Exai</c> and <c>ConnectionStrings:ExaiDirect</c>.
/// </summary>
public sealed class ExaiSupabaseOptions
{
    /// <summary>The name of the connection string read from <c>ConnectionStrings</c> by default.</summary>
    public const string ConnectionStringName = "Exai";

    /// <summary>The name of the direct (session) connection string read from <c>ConnectionStrings</c> by default.</summary>
    public const string DirectConnectionStringName = "ExaiDirect";

    /// <summary>The configuration section bound by the overloads that read configuration.</summary>
    public const string SectionName = "Exai";

    /// <summary>
    /// The connection string every query and the outbox use. On Supabase, the transaction pooler (port 6543).
    /// </summary>
    /// <value>The default value is <c>ConnectionStrings:Exai</c> from configuration; required.</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The connection string for features that need a session of their own: migrations (an advisory lock),
    /// LISTEN/NOTIFY and logical replication. On Supabase, the direct connection (port 5432).
    /// </summary>
    /// <value>The default value is <c>ConnectionStrings:ExaiDirect</c>, else <see cref="ConnectionString"/>.</value>
    public string? DirectConnectionString { get; set; }

    /// <summary>The <c>Application Name</c> given to connections that do not set one (visible in <c>pg_stat_activity</c>).</summary>
    /// <value>The default value is <c>Exai.Supabase</c>.</value>
    public string ApplicationName { get; set; } = "Exai.Supabase";

    /// <summary>The outbox every write goes through: memory and spill caps, batching, retries.</summary>
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>How Supabase access tokens are verified to act as a user.</summary>
    public SupabaseAuthOptions Auth { get; set; } = new();

    /// <summary>Files: providers' files APIs by name, storage buckets and their limits, the store, the deletion worker.</summary>
    public FilesOptions Files { get; set; } = new();

    /// <summary>Prompt lookups: the cache, its refresh and change notifications, fallbacks registered in code. Bound from <c>Exai:Prompts</c>.</summary>
    public PromptOptions Prompts { get; set; } = new();

    /// <summary>The change feed: status interval, reconnect backoff, retained-WAL warning, slot name prefix.</summary>
    public RealtimeOptions Realtime { get; set; } = new();

    /// <summary>Conversation threads: expiry, clean-up, and the in-process views that serve reads during outages.</summary>
    public ConversationOptions Conversations { get; set; } = new();

    /// <summary>The direct connection string in effect: <see cref="DirectConnectionString"/> or, when unset, <see cref="ConnectionString"/>.</summary>
    public string? EffectiveDirectConnectionString =>
        string.IsNullOrWhiteSpace(DirectConnectionString) ? ConnectionString : DirectConnectionString;

    /// <summary>Describes the settings without any password.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("ExaiSupabaseOptions { ");
        text.Append("ConnectionString = ").Append(Redact(ConnectionString));
        text.Append(", DirectConnectionString = ").Append(Redact(DirectConnectionString));
        text.Append(", ApplicationName = ").Append(ApplicationName);
        text.Append(", Auth = ").Append(Auth);
        return text.Append(" }").ToString();
    }

    /// <summary>A connection string with its password (and any other secret) replaced, for messages and logs.</summary>
    internal static string Redact(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "(not set)";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username}" +
                (string.IsNullOrEmpty(builder.Password) ? string.Empty : ";Password=***");
        }
        catch (ArgumentException)
        {
            return "(malformed)";
        }
    }
}
