namespace Exai.Supabase.Prompts;

/// <summary>Whether an import makes the versions it brings in active.</summary>
public enum PromptImportActivation
{
    /// <summary>
    /// Activate an imported version only where its tool and provider have no active version yet: a first import makes
    /// the prompts live, later imports never undo an activation or rollback made in the database.
    /// </summary>
    IfNoneActive,

    /// <summary>Make every imported version active (code is the source of truth).</summary>
    Always,

    /// <summary>Store versions only; activation is left to <see cref="IPromptManager.ActivateAsync"/>.</summary>
    Never,
}
