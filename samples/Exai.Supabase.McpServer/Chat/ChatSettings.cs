namespace Exai.Supabase.McpServer.Chat;

/// <summary>
/// The model behind the <c>chat</c> tool, bound from <c>Exai:Chat</c>. Without an <see cref="Endpoint"/> the server
/// answers with <see cref="EchoChatClient"/>, so it runs (and its tests run) without a key or a network.
/// </summary>
internal sealed class ChatSettings
{
    public const string SectionName = "Exai:Chat";

    /// <summary>The provider name used when no endpoint is configured.</summary>
    public const string EchoProvider = "echo";

    /// <summary>
    /// The base URL of an OpenAI-compatible chat API: <c>https://api.moonshot.ai/v1</c> (Kimi),
    /// <c>https://open.bigmodel.cn/api/paas/v4</c> (GLM), <c>https://api.openai.com/v1</c>, a local server, …
    /// Empty: the echo model.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The API key, sent as a bearer token. Required with <see cref="Endpoint"/>; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model (<c>kimi-k2-0905-preview</c>, <c>glm-4.6</c>, …). Required with <see cref="Endpoint"/>.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The provider name the system prompt is looked up for (<c>chat</c>/<c>provider</c>) and stored with the turns.
    /// Empty: <c>kimi</c> for a Moonshot endpoint, <c>glm</c> for a ZhipuAI one, <c>openai</c> for any other, <c>echo</c> without one.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>How many of a thread's newest turns are sent to the model ahead of the new message.</summary>
    public int HistoryMessages { get; set; } = 50;

    public bool UsesEcho => string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The provider name in effect.</summary>
    public string EffectiveProvider
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(Provider))
            {
                return Provider;
            }

            if (UsesEcho)
            {
                return EchoProvider;
            }

            var host = Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) ? uri.Host : string.Empty;
            return host.Contains("moonshot", StringComparison.OrdinalIgnoreCase) ? "kimi"
                : host.Contains("bigmodel", StringComparison.OrdinalIgnoreCase) ? "glm"
                : "openai";
        }
    }

    /// <summary>The model name in effect.</summary>
    public string EffectiveModel => UsesEcho ? EchoChatClient.ModelName : Model ?? string.Empty;

    /// <summary>What is wrong with the settings, one message per problem (each names the setting and the fix).</summary>
    public IEnumerable<string> Problems()
    {
        if (HistoryMessages is < 1 or > 10_000)
        {
            yield return $"{SectionName}:HistoryMessages is {HistoryMessages}; use a count from 1 to 10000.";
        }

        if (UsesEcho)
        {
            yield break;
        }

        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{SectionName}:Endpoint '{Endpoint}' is not an http(s) URL; use the API's base URL, such as https://api.moonshot.ai/v1.";
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return $"{SectionName}:ApiKey is not set; set it (any non-empty value for a local server that takes none) or remove {SectionName}:Endpoint to use the echo model.";
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return $"{SectionName}:Model is not set; name the model, such as kimi-k2-0905-preview or glm-4.6.";
        }
    }
}
