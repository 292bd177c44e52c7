using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// A provider's OpenAI-style files API over HTTP: Moonshot, ZhipuAI, or any provider configured with a base URL.
/// Every limit is checked before an upload is sent; account-wide limits (file count, total bytes, files per purpose)
/// against the provider's own listing, trusted for <see cref="ProviderSettings.UsageCacheDuration"/> and kept up
/// to date with this process's uploads and deletes.
/// </summary>
internal sealed class OpenAiStyleFileClient(ProviderSettings settings, IHttpClientFactory httpClients, ILogger logger) : IProviderFileClient
{
    private static readonly TimeProvider Clock = TimeProvider.System;
    private readonly SemaphoreSlim _usageGate = new(1, 1);
    private Usage? _usage;

    public string Provider => settings.Name;

    internal ProviderSettings Settings => settings;

    public async Task<ProviderFile> UploadAsync(Stream content, string fileName, string purpose, string? mimeType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        InputGuard.Required(fileName, nameof(fileName), Limits.ShortTextLength);
        CheckPurpose(purpose);
        InputGuard.Optional(mimeType, nameof(mimeType), Limits.NameLength);
        if (!content.CanSeek)
        {
            throw new ArgumentException("The content stream must be seekable (a retry sends it again); copy it to a file or a MemoryStream first.", nameof(content));
        }

        var start = content.Position;
        var length = content.Length - start;
        await CheckLimitsAsync(length, purpose, mimeType, cancellationToken).ConfigureAwait(false);

        using var outcome = await SendAsync(
            "POST files",
            () =>
            {
                var form = new MultipartFormDataContent
                {
                    { new StringContent(purpose), "purpose" },
                    { new RewindableContent(content, start, mimeType), "file", fileName },
                };
                return new HttpRequestMessage(HttpMethod.Post, new Uri(settings.BaseUrl, "files")) { Content = form };
            },
            idempotent: false,
            cancellationToken).ConfigureAwait(false);
        var file = ProviderFileJson.ReadFile(await ReadJsonAsync(outcome, "POST files", cancellationToken).ConfigureAwait(false));
        _usage?.Add(file.Purpose ?? purpose, file.Bytes ?? length);
        return file;
    }

    public async Task<ProviderFileList> ListAsync(string? purpose = null, string? after = null, CancellationToken cancellationToken = default)
    {
        InputGuard.Optional(purpose, nameof(purpose), Limits.NameLength);
        InputGuard.Optional(after, nameof(after), Limits.NameLength);
        var query = new List<string>();
        if (purpose is not null)
        {
            query.Add("purpose=" + Uri.EscapeDataString(purpose));
        }

        if (settings.ListPageSize is { } size)
        {
            query.Add("limit=" + size.ToString(CultureInfo.InvariantCulture));
        }

        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        var relative = query.Count == 0 ? "files" : "files?" + string.Join('&', query);
        using var outcome = await SendAsync("GET files", () => new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, relative)), idempotent: true, cancellationToken).ConfigureAwait(false);
        return ProviderFileJson.ReadList(await ReadJsonAsync(outcome, "GET files", cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<ProviderFile>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        const int MaxPages = 100_000;
        var files = new Dictionary<string, ProviderFile>(StringComparer.Ordinal);
        IEnumerable<string?> purposes = settings.ListByPurpose && settings.Purposes.Count > 0 ? settings.Purposes.Cast<string?>() : new string?[] { null };
        foreach (var purpose in purposes)
        {
            string? after = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var list = await ListAsync(purpose, after, cancellationToken).ConfigureAwait(false);
                foreach (var file in list.Data)
                {
                    files.TryAdd(file.Id, file);
                }

                // A provider that ignores 'after' would hand out the same page forever: stop when the cursor stalls.
                var next = list.Data.Count > 0 ? list.Data[^1].Id : null;
                if (!list.HasMore || next is null || next == after)
                {
                    break;
                }

                after = next;
            }
        }

        var all = files.Values.ToList();
        _usage = Usage.From(all, Clock.GetUtcNow());
        return all;
    }

    public async Task<ProviderFile?> GetAsync(string fileId, CancellationToken cancellationToken = default)
    {
        var path = FilePath(fileId);
        using var outcome = await SendAsync("GET files/{id}", () => new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, path)), idempotent: true, cancellationToken).ConfigureAwait(false);
        if (outcome.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return ProviderFileJson.ReadFile(await ReadJsonAsync(outcome, "GET files/{id}", cancellationToken).ConfigureAwait(false));
    }

    public async Task<byte[]?> GetContentAsync(string fileId, CancellationToken cancellationToken = default)
    {
        var path = FilePath(fileId) + "/content";
        using var outcome = await SendAsync("GET files/{id}/content", () => new HttpRequestMessage(HttpMethod.Get, new Uri(settings.BaseUrl, path)), idempotent: true, cancellationToken).ConfigureAwait(false);
        if (outcome.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var response = await EnsureSuccessAsync(outcome, "GET files/{id}/content", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string fileId, CancellationToken cancellationToken = default)
    {
        var path = FilePath(fileId);
        using var outcome = await SendAsync("DELETE files/{id}", () => new HttpRequestMessage(HttpMethod.Delete, new Uri(settings.BaseUrl, path)), idempotent: true, cancellationToken).ConfigureAwait(false);
        if (outcome.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            _usage = null;
            return false;
        }

        await EnsureSuccessAsync(outcome, "DELETE files/{id}", cancellationToken).ConfigureAwait(false);
        // The size of the deleted file is unknown here: the next limit check lists afresh.
        _usage = null;
        return true;
    }

    private static string FilePath(string fileId)
    {
        InputGuard.Required(fileId, nameof(fileId), Limits.NameLength);
        return "files/" + Uri.EscapeDataString(fileId);
    }

    private void CheckPurpose(string purpose)
    {
        InputGuard.Required(purpose, nameof(purpose), Limits.NameLength);
        if (!settings.Purposes.Contains(purpose, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"'{purpose}' is not a purpose of provider '{settings.Name}' (it accepts: {string.Join(", ", settings.Purposes)}); set {settings.Option("Purposes")} to add one.",
                nameof(purpose));
        }
    }

    private async Task CheckLimitsAsync(long length, string purpose, string? mimeType, CancellationToken cancellationToken)
    {
        var what = $"The file's size at {settings.Name}";
        if (settings.MaxFileBytes is { } max && length > max)
        {
            throw new FileLimitExceededException(settings.Option("MaxFileBytes"), max, length, what);
        }

        settings.PurposeLimits.TryGetValue(purpose, out var limits);
        if (limits?.MaxFileBytes is { } purposeMax && length > purposeMax)
        {
            throw new FileLimitExceededException(settings.Option($"PurposeLimits[{purpose}].MaxFileBytes"), purposeMax, length, $"{what} for purpose {purpose}");
        }

        if (limits?.MaxImageBytes is { } imageMax && length > imageMax && mimeType is not null && mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            throw new FileLimitExceededException(settings.Option($"PurposeLimits[{purpose}].MaxImageBytes"), imageMax, length, $"The image's size at {settings.Name} for purpose {purpose}");
        }

        if (!settings.TracksUsage)
        {
            return;
        }

        var usage = await CurrentUsageAsync(cancellationToken).ConfigureAwait(false);
        if (settings.MaxFiles is { } maxFiles && usage.Count + 1 > maxFiles)
        {
            throw new FileLimitExceededException(settings.Option("MaxFiles"), maxFiles, usage.Count + 1, $"The number of files at {settings.Name}", "files");
        }

        if (settings.MaxTotalBytes is { } maxTotal && usage.Bytes + length > maxTotal)
        {
            throw new FileLimitExceededException(settings.Option("MaxTotalBytes"), maxTotal, usage.Bytes + length, $"The total size of the files at {settings.Name}");
        }

        if (limits?.MaxFiles is { } purposeFiles && usage.CountOf(purpose) + 1 > purposeFiles)
        {
            throw new FileLimitExceededException(settings.Option($"PurposeLimits[{purpose}].MaxFiles"), purposeFiles, usage.CountOf(purpose) + 1, $"The number of {purpose} files at {settings.Name}", "files");
        }
    }

    private async Task<Usage> CurrentUsageAsync(CancellationToken cancellationToken)
    {
        if (_usage is { } fresh && Clock.GetUtcNow() - fresh.At < settings.UsageCacheDuration)
        {
            return fresh;
        }

        await _usageGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_usage is { } again && Clock.GetUtcNow() - again.At < settings.UsageCacheDuration)
            {
                return again;
            }

            await ListAllAsync(cancellationToken).ConfigureAwait(false);
            return _usage!;
        }
        finally
        {
            _usageGate.Release();
        }
    }

    private Task<HttpOutcome> SendAsync(string operation, Func<HttpRequestMessage> create, bool idempotent, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(FilesHttp.ProviderClient);
        return HttpRetry.SendAsync(
            http,
            () =>
            {
                var request = create();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            },
            settings.Retry,
            idempotent,
            logger,
            $"{settings.Name} {operation}",
            cancellationToken);
    }

    private async Task<JsonElement> ReadJsonAsync(HttpOutcome outcome, string operation, CancellationToken cancellationToken)
    {
        var response = await EnsureSuccessAsync(outcome, operation, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ProviderFileException(settings.Name, $"{settings.Name}: {operation} answered {(int)response.StatusCode} with a body that is not JSON: {Secrets.Scrub(body, settings.ApiKey)}", response.StatusCode, null, ex);
        }
    }

    private async Task<HttpResponseMessage> EnsureSuccessAsync(HttpOutcome outcome, string operation, CancellationToken cancellationToken)
    {
        var attempts = outcome.Attempts == 1 ? "1 attempt" : $"{outcome.Attempts} attempts";
        if (outcome.Response is not { } response)
        {
            var reason = outcome.Failure is TimeoutException timeout ? $"timed out ({timeout.Message})" : $"failed ({Secrets.Scrub(outcome.Failure?.Message ?? "no response", settings.ApiKey)})";
            throw new ProviderFileException(settings.Name, $"{settings.Name}: {operation} {reason} after {attempts}.", null, outcome.RetryAfter, outcome.Failure);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var text = Secrets.Scrub(ProviderFileJson.ErrorText(body), settings.ApiKey);
        var retry = outcome.RetryAfter is { } after ? $" (Retry-After {after.TotalSeconds:0.#} s)" : string.Empty;
        throw new ProviderFileException(
            settings.Name,
            $"{settings.Name}: {operation} answered {(int)response.StatusCode} {response.ReasonPhrase} after {attempts}{retry}: {text}",
            response.StatusCode,
            outcome.RetryAfter);
    }

    /// <summary>The account's files at the provider when last listed, updated with this process's uploads.</summary>
    private sealed class Usage
    {
        private readonly Dictionary<string, int> _byPurpose = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public required DateTimeOffset At { get; init; }

        public int Count { get; private set; }

        public long Bytes { get; private set; }

        public static Usage From(IReadOnlyList<ProviderFile> files, DateTimeOffset at)
        {
            var usage = new Usage { At = at };
            foreach (var file in files)
            {
                usage.Add(file.Purpose, file.Bytes ?? 0);
            }

            return usage;
        }

        public int CountOf(string purpose)
        {
            lock (_gate)
            {
                return _byPurpose.GetValueOrDefault(purpose);
            }
        }

        public void Add(string? purpose, long bytes)
        {
            lock (_gate)
            {
                Count++;
                Bytes += bytes;
                if (purpose is not null)
                {
                    _byPurpose[purpose] = _byPurpose.GetValueOrDefault(purpose) + 1;
                }
            }
        }
    }
}
