namespace Exai.Supabase.Persistence.Internal;

/// <summary>Database defaults shared by every table's configuration.</summary>
internal static class ModelDefaults
{
    public const string NewId = "gen_random_uuid()";
    public const string Now = "now()";
    public const string EmptyJsonObject = "'{}'::jsonb";
    public const string EmptyTextArray = "'{}'::text[]";
    public const string Jsonb = "jsonb";
}
