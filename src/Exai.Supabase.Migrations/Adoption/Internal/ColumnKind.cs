namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>What a legacy column holds, as far as converting it to the new schema's types is concerned.</summary>
internal enum ColumnKind
{
    Other,
    Text,
    Uuid,
    TimestampTz,
    Timestamp,
    Date,
    Integer,
    BigInt,
    Numeric,
    Boolean,
    Json,
    Jsonb,
    Enum,
    TextArray,
    OtherArray,
}
