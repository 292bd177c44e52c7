using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// How structured content is stored in <c>messages.contents</c>: a JSON array of <see cref="AIContent"/> in
/// Microsoft.Extensions.AI's own shape (<c>$type</c> <c>text</c>, <c>functionCall</c>, <c>functionResult</c>, …).
/// jsonb reorders keys, so reading allows the <c>$type</c> discriminator anywhere in an object.
/// </summary>
internal static class ContentJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static string Serialize(IEnumerable<AIContent> contents) =>
        JsonSerializer.Serialize(contents as IList<AIContent> ?? contents.ToList(), Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { AllowOutOfOrderMetadataProperties = true };
        options.MakeReadOnly();
        return options;
    }
}
