using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Files.Internal;

/// <summary>Builds one client per configured provider, on first use.</summary>
internal sealed class ProviderFileClientFactory(
    IOptions<ExaiSupabaseOptions> options,
    IHttpClientFactory httpClients,
    ILoggerFactory loggerFactory) : IProviderFileClientFactory
{
    private readonly ConcurrentDictionary<string, IProviderFileClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger = loggerFactory.CreateLogger("Exai.Supabase.Files.ProviderFileClient");

    public IReadOnlyCollection<string> Providers => options.Value.Files.Providers.Keys.Select(k => k.ToLowerInvariant()).ToArray();

    public IProviderFileClient GetClient(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return _clients.GetOrAdd(provider, name =>
        {
            if (!options.Value.Files.Providers.TryGetValue(name, out var configured))
            {
                var known = options.Value.Files.Providers.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", options.Value.Files.Providers.Keys);
                throw new ArgumentException(
                    $"No files provider named '{name}' ({known}). Add it as Exai:Files:Providers:{name} (BaseUrl, ApiKey).",
                    nameof(provider));
            }

            return new OpenAiStyleFileClient(ProviderSettings.Resolve(name, configured), httpClients, _logger);
        });
    }
}
