using System.ComponentModel;
using Exai.Supabase.Prompts;
using ModelContextProtocol.Server;

namespace Exai.Supabase.McpServer.Tools;

/// <summary>
/// <c>prompt_get</c>, <c>prompt_set</c>, <c>prompt_rollback</c>: versioned system prompts, one active version per
/// tool and provider, through <see cref="IPromptResolver"/> (what a tool would use now) and <see cref="IPromptManager"/>.
/// </summary>
[McpServerToolType]
internal sealed class PromptTools(IPromptResolver resolver, IPromptManager manager)
{
    [McpServerTool(Name = "prompt_get", Title = "Read a system prompt", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the system prompt a tool uses with a provider now: the active version for the provider, else the "
        + "provider 'base', else the one registered in code. Optionally lists every stored version.")]
    public async Task<PromptAnswer> GetAsync(
        [Description("The tool, such as chat, debug or codereview.")] string tool,
        [Description("The provider, such as kimi or glm; 'base' is the prompt for every provider.")] string provider = PromptProviders.Base,
        [Description("Whether to list every stored version of this tool and provider too.")] bool include_versions = false,
        CancellationToken cancellationToken = default)
    {
        var prompt = await resolver.ResolveAsync(tool, provider, cancellationToken);
        var versions = include_versions
            ? (await manager.GetVersionsAsync(tool, provider, cancellationToken))
                .Select(v => new PromptVersionEntry(v.Id, v.Version, v.IsActive, v.Tier, v.CreatedBy, v.ChangeDescription, v.CreatedAt, v.ActivatedAt))
                .ToList()
            : null;
        return new PromptAnswer(prompt.Tool, prompt.Provider, prompt.SourceProvider, prompt.Version, prompt.Origin.ToString(), prompt.Tier, prompt.PromptId, prompt.Content, versions);
    }

    [McpServerTool(Name = "prompt_set", Title = "Store a system prompt", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Stores a new version of a tool's system prompt and (by default) makes it the active one. Content identical to "
        + "a stored version reuses that version. The change reaches every instance at once; prompt_rollback undoes it.")]
    public async Task<PromptChangeAnswer> SetAsync(
        [Description("The tool, such as chat, debug or codereview.")] string tool,
        [Description("The prompt text.")] string content,
        [Description("The provider it is written for; 'base' for every provider.")] string provider = PromptProviders.Base,
        [Description("A version label such as v3; omit for the next free vN.")] string? version = null,
        [Description("The tier, 0 to 3.")] int tier = 0,
        [Description("Who writes it (kept in the history).")] string? author = null,
        [Description("What changed and why (kept in the history).")] string? description = null,
        [Description("Whether to make it the active version now.")] bool activate = true,
        CancellationToken cancellationToken = default)
    {
        var stored = await manager.StoreVersionAsync(
            new NewPromptVersion { Tool = tool, Provider = provider, Content = content, Version = version, Tier = tier, Author = author, ChangeDescription = description },
            cancellationToken);
        PromptActivation? activation = null;
        if (activate)
        {
            activation = await manager.ActivateAsync(tool, provider, stored.Version.Version, author, description, cancellationToken);
        }

        return new PromptChangeAnswer(
            tool, provider, stored.Version.Version, stored.Version.Id, stored.Created,
            Active: activate || stored.Version.IsActive, PreviousVersion: activation?.FromVersion, Changed: activation?.Changed ?? stored.Created);
    }

    [McpServerTool(Name = "prompt_rollback", Title = "Roll a system prompt back", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Makes the version that was active before the current one active again (repeat to walk further back).")]
    public async Task<PromptChangeAnswer> RollbackAsync(
        [Description("The tool.")] string tool,
        [Description("The provider; 'base' for every provider.")] string provider = PromptProviders.Base,
        [Description("Who rolls back (kept in the history).")] string? changed_by = null,
        [Description("Why (kept in the history).")] string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var activation = await manager.RollbackAsync(tool, provider, changed_by, reason, cancellationToken);
        return new PromptChangeAnswer(
            tool, provider, activation.ToVersion ?? string.Empty, activation.ToPromptId, Created: false,
            Active: activation.ToPromptId is not null, PreviousVersion: activation.FromVersion, Changed: activation.Changed);
    }

    /// <summary>The <c>prompt_get</c> tool's answer.</summary>
    /// <param name="Tool">The tool asked for.</param>
    /// <param name="Provider">The provider asked for.</param>
    /// <param name="SourceProvider">The provider whose prompt answered (the one asked for, or base).</param>
    /// <param name="Version">The version label.</param>
    /// <param name="Origin">Active, BaseProvider or CodeFallback.</param>
    /// <param name="Tier">The tier.</param>
    /// <param name="PromptId">The stored version's id; none for the prompt in code.</param>
    /// <param name="Content">The prompt.</param>
    /// <param name="Versions">Every stored version, oldest first, when asked for.</param>
    internal sealed record PromptAnswer(
        string Tool, string Provider, string SourceProvider, string Version, string Origin, int Tier, Guid? PromptId, string Content,
        IReadOnlyList<PromptVersionEntry>? Versions);

    /// <summary>A stored version.</summary>
    /// <param name="Id">Its id.</param>
    /// <param name="Version">Its label.</param>
    /// <param name="IsActive">Whether it is the active one.</param>
    /// <param name="Tier">Its tier.</param>
    /// <param name="CreatedBy">Who wrote it.</param>
    /// <param name="ChangeDescription">What changed.</param>
    /// <param name="CreatedAt">When it was stored.</param>
    /// <param name="ActivatedAt">When it was last made active.</param>
    internal sealed record PromptVersionEntry(
        Guid Id, string Version, bool IsActive, int Tier, string? CreatedBy, string? ChangeDescription, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt);

    /// <summary>The answer of <c>prompt_set</c> and <c>prompt_rollback</c>.</summary>
    /// <param name="Tool">The tool.</param>
    /// <param name="Provider">The provider.</param>
    /// <param name="Version">The version stored (set) or now active (rollback).</param>
    /// <param name="PromptId">Its id.</param>
    /// <param name="Created">Whether a new version was stored (false: identical content existed).</param>
    /// <param name="Active">Whether it is the active version now.</param>
    /// <param name="PreviousVersion">The version active before, if any.</param>
    /// <param name="Changed">Whether anything changed.</param>
    internal sealed record PromptChangeAnswer(
        string Tool, string Provider, string Version, Guid? PromptId, bool Created, bool Active, string? PreviousVersion, bool Changed);
}
