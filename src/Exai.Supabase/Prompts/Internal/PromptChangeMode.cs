namespace Exai.Supabase.Prompts.Internal;

/// <summary>The changes of which version is active.</summary>
internal enum PromptChangeMode
{
    Activate,
    Rollback,
    Deactivate,
}
