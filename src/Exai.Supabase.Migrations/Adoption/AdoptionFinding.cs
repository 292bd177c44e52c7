namespace Exai.Supabase.Migrations.Adoption;

/// <summary>
/// Something worth a look in the adopted data, also recorded on the row itself under <c>metadata.adoption</c>: a
/// duplicate message (<c>duplicate_of</c>), a provider file id recorded with different hashes (<c>conflicts_with</c>)
/// or twice for the same upload (<c>same_upload_as</c>), a UUID two legacy tables shared (<c>shares_legacy_id_with</c>),
/// a reference nothing resolved (<c>unresolved</c>, and the <c>stand_in</c> rows made for them), a value the tracker's
/// vocabulary has no word for (<c>unmapped</c>), a value the new schema rejects (<c>invalid</c>), and so on.
/// </summary>
/// <param name="Kind">The key under <c>metadata.adoption</c>.</param>
/// <param name="Table">The consolidated table.</param>
/// <param name="SourceTable">The row's <c>source_table</c>.</param>
/// <param name="SourceId">The row's <c>source_id</c>.</param>
/// <param name="Detail">The note, as JSON.</param>
public sealed record AdoptionFinding(string Kind, string Table, string SourceTable, string SourceId, string Detail);
