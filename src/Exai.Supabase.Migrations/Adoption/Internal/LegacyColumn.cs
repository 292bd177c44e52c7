namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>A column of a legacy table as the catalog describes it.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The type as <c>format_type</c> prints it.</param>
/// <param name="Kind">How it converts.</param>
internal sealed record LegacyColumn(string Name, string Type, ColumnKind Kind);
