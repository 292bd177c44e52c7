using Microsoft.Extensions.Options;

namespace Exai.Supabase.McpServer.Chat;

/// <summary>Checks <see cref="ChatSettings"/> when the host starts; each failure names the setting and the fix.</summary>
internal sealed class ChatSettingsValidator : IValidateOptions<ChatSettings>
{
    public ValidateOptionsResult Validate(string? name, ChatSettings options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
