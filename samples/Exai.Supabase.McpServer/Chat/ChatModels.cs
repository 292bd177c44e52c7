using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Exai.Supabase.McpServer.Chat;

/// <summary>Makes the <see cref="IChatClient"/> the settings ask for.</summary>
internal static class ChatModels
{
    public static IChatClient Create(ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.UsesEcho)
        {
            return new EchoChatClient();
        }

        // Kimi, GLM and most other providers speak OpenAI's chat completions API at their own base URL.
        var client = new OpenAIClient(new ApiKeyCredential(settings.ApiKey!), new OpenAIClientOptions { Endpoint = new Uri(settings.Endpoint!) });
        return client.GetChatClient(settings.Model!).AsIChatClient();
    }
}
