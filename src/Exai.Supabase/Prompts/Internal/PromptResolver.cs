using System.Text.Json.Nodes;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// The tool-facing side: lookups from the cache's snapshot, execution records into the outbox. The warm path is a
/// volatile read, two ordinal frozen-dictionary probes (tool, then provider) and a <see cref="ValueTask{TResult}"/>
/// around an instance the snapshot already holds: no lock, no concatenation, no allocation.
/// </summary>
internal sealed class PromptResolver(PromptCache cache, OutboxProcessor outbox, TimeProvider time) : IPromptResolver
{
    /// <summary>The longest error message kept with an execution.</summary>
    public const int ErrorMessageLength = Limits.ShortTextLength;

    public ValueTask<ResolvedPrompt> ResolveAsync(string tool, string provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(provider);
        if (cache.Snapshot.TryGet(tool, provider, out var entry) && entry.Prompt is { } prompt)
        {
            return new ValueTask<ResolvedPrompt>(prompt);
        }

        return cache.ResolveSlowAsync(tool, provider, cancellationToken);
    }

    public void RecordExecution(ResolvedPrompt prompt, TimeSpan duration, bool success, int? tokenCount = null, string? errorMessage = null, JsonObject? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        // A prompt from ResolveAsync always passes; one built by hand must not reach the outbox with text PostgreSQL refuses.
        InputGuard.Required(prompt.Tool, $"{nameof(prompt)}.{nameof(ResolvedPrompt.Tool)}", Limits.NameLength);
        InputGuard.Required(prompt.Provider, $"{nameof(prompt)}.{nameof(ResolvedPrompt.Provider)}", Limits.NameLength);
        InputGuard.Optional(prompt.Version, $"{nameof(prompt)}.{nameof(ResolvedPrompt.Version)}", Limits.NameLength);
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must not be negative.");
        }

        InputGuard.NonNegative(tokenCount, nameof(tokenCount));
        var metadataJson = InputGuard.Metadata(metadata, nameof(metadata));
        var now = time.GetUtcNow();
        outbox.Record(new PromptExecutionRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            // prompt_performance is service-written telemetry: no user scope (see PromptExecutionKind).
            ScopeUserId = null,
            ScopeClaims = null,
            PromptId = prompt.PromptId,
            PromptVersion = prompt.Version,
            Tool = prompt.Tool,
            Provider = prompt.Provider,
            ExecutionTimeMs = duration.TotalMilliseconds,
            TokenCount = tokenCount,
            Success = success,
            ErrorMessage = Clean(errorMessage),
            Metadata = metadataJson,
        });
    }

    /// <summary>
    /// An upstream error's text made storable: cut to <see cref="ErrorMessageLength"/> (never through a surrogate
    /// pair), NUL and lone surrogates replaced by U+FFFD. Recording a failure must not fail on the failure's text.
    /// </summary>
    internal static string? Clean(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var length = Math.Min(message.Length, ErrorMessageLength);
        if (length < message.Length && char.IsHighSurrogate(message[length - 1]))
        {
            length--;
        }

        var span = message.AsSpan(0, length);
        if (!span.Contains('\0') && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return length == message.Length ? message : span.ToString();
        }

        return string.Create(length, message, static (buffer, source) =>
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                var c = source[i];
                if (c == '\0')
                {
                    buffer[i] = '\uFFFD';
                }
                else if (char.IsHighSurrogate(c) && i + 1 < buffer.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    buffer[i] = c;
                    buffer[++i] = source[i];
                }
                else
                {
                    buffer[i] = char.IsSurrogate(c) ? '\uFFFD' : c;
                }
            }
        });
    }
}
