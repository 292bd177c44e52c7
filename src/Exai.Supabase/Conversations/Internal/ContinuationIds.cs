using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>Checks continuation ids at the call site, turning the generic input checks into <see cref="InvalidContinuationIdException"/>.</summary>
internal static class ContinuationIds
{
    public static void Validate(string? continuationId, string parameterName)
    {
        if (continuationId is null)
        {
            throw new ArgumentNullException(parameterName, $"{parameterName} is required.");
        }

        try
        {
            InputGuard.Required(continuationId, parameterName, ConversationLimits.MaxContinuationIdLength);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidContinuationIdException(ex.Message, parameterName, ex);
        }
    }
}
