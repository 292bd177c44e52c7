using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Supabase Storage over its REST API (<c>/storage/v1/object/…</c>) with the service key in <c>Authorization</c> and
/// <c>apikey</c>. Supabase answers some errors with HTTP 400 and the real status in the body's <c>statusCode</c>
/// (<c>"404"</c>, <c>"409"</c>); both forms are understood.
/// </summary>
internal sealed class SupabaseFileStorage : IFileStorage
{
    private readonly Uri _objects;
    private readonly string _serviceKey;
    private readonly BucketPolicy _buckets;
    private readonly RetryPolicy _retry;
    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger _logger;

    public SupabaseFileStorage(FilesOptions options, IHttpClientFactory httpClients, ILogger<SupabaseFileStorage> logger)
    {
        var root = options.Storage.SupabaseUrl!.TrimEnd('/');
        _objects = new Uri(root + "/storage/v1/object/", UriKind.Absolute);
        _serviceKey = options.Storage.ServiceKey ?? string.Empty;
        _buckets = new BucketPolicy(options);
        _retry = new RetryPolicy(options.Storage.MaxAttempts, options.Storage.Timeout, options.Storage.RetryDelay, FilesDefaults.MaxRetryDelay, FilesDefaults.MaxRetryAfter);
        _httpClients = httpClients;
        _logger = logger;
    }

    public async Task<long> PutAsync(string bucket, string path, Stream content, string? mimeType = null, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = ObjectPath(bucket, path);
        _buckets.CheckMimeType(bucket, mimeType);
        StorageAccess.EnsureService(nameof(PutAsync));
        var (stream, owned, length) = await StorageContent.PrepareAsync(_buckets, bucket, content, cancellationToken).ConfigureAwait(false);
        var start = stream.Position;
        try
        {
            // Uploads are retried on 429/5xx only: with x-upsert false a blind resend after a lost answer would
            // report a conflict for our own object.
            using var outcome = await SendAsync(
                "upload",
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_objects, relative)) { Content = new RewindableContent(stream, start, mimeType) };
                    request.Headers.Add("x-upsert", overwrite ? "true" : "false");
                    return request;
                },
                idempotent: overwrite,
                cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(outcome, $"upload of {bucket}/{path}", cancellationToken).ConfigureAwait(false);
            return length;
        }
        finally
        {
            if (owned)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<Stream?> OpenReadAsync(string bucket, string path, CancellationToken cancellationToken = default)
    {
        var relative = "authenticated/" + ObjectPath(bucket, path);
        StorageAccess.EnsureService(nameof(OpenReadAsync));
        using var outcome = await SendAsync("download", () => new HttpRequestMessage(HttpMethod.Get, new Uri(_objects, relative)), idempotent: true, cancellationToken).ConfigureAwait(false);
        if (await IsNotFoundAsync(outcome, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var response = await EnsureSuccessAsync(outcome, $"download of {bucket}/{path}", cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new MemoryStream(bytes, writable: false);
    }

    public async Task<bool> DeleteAsync(string bucket, string path, CancellationToken cancellationToken = default)
    {
        _buckets.Get(bucket);
        StoragePaths.Path(path);
        StorageAccess.EnsureService(nameof(DeleteAsync));
        var body = new JsonObject { ["prefixes"] = new JsonArray(path) };
        using var outcome = await SendAsync(
            "delete",
            () => new HttpRequestMessage(HttpMethod.Delete, new Uri(_objects, Uri.EscapeDataString(bucket))) { Content = JsonContent.Create(body) },
            idempotent: true,
            cancellationToken).ConfigureAwait(false);
        if (await IsNotFoundAsync(outcome, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var response = await EnsureSuccessAsync(outcome, $"delete of {bucket}/{path}", cancellationToken).ConfigureAwait(false);
        // The answer lists the objects removed; an empty list means there was nothing at the path.
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() > 0;
    }

    public async Task<IReadOnlyList<StorageObject>> ListAsync(string bucket, string prefix = "", int limit = 100, int offset = 0, CancellationToken cancellationToken = default)
    {
        _buckets.Get(bucket);
        var folder = StoragePaths.Prefix(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        StorageAccess.EnsureService(nameof(ListAsync));
        var body = new JsonObject
        {
            ["prefix"] = folder,
            ["limit"] = limit,
            ["offset"] = offset,
            ["sortBy"] = new JsonObject { ["column"] = "name", ["order"] = "asc" },
        };
        using var outcome = await SendAsync(
            "list",
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(_objects, "list/" + Uri.EscapeDataString(bucket))) { Content = JsonContent.Create(body) },
            idempotent: true,
            cancellationToken).ConfigureAwait(false);
        var response = await EnsureSuccessAsync(outcome, $"listing of {bucket}/{folder}", cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var entries = new List<StorageObject>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var name = ProviderFileJson.String(item, "name") ?? string.Empty;
            var full = folder.Length == 0 ? name : $"{folder}/{name}";
            // Folders come back as entries without an id.
            var isFolder = !item.TryGetProperty("id", out var id) || id.ValueKind == JsonValueKind.Null;
            var metadata = item.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            DateTimeOffset? updated = DateTimeOffset.TryParse(ProviderFileJson.String(item, "updated_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var u) ? u : null;
            entries.Add(new StorageObject(
                name,
                full,
                metadata.ValueKind == JsonValueKind.Object ? ProviderFileJson.Int64(metadata, "size") : null,
                metadata.ValueKind == JsonValueKind.Object ? ProviderFileJson.String(metadata, "mimetype") : null,
                updated,
                isFolder));
        }

        return entries;
    }

    private string ObjectPath(string bucket, string path)
    {
        _buckets.Get(bucket);
        StoragePaths.Path(path);
        return Uri.EscapeDataString(bucket) + "/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    private Task<HttpOutcome> SendAsync(string operation, Func<HttpRequestMessage> create, bool idempotent, CancellationToken cancellationToken)
    {
        var http = _httpClients.CreateClient(FilesHttp.StorageClient);
        return HttpRetry.SendAsync(
            http,
            () =>
            {
                var request = create();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _serviceKey);
                request.Headers.Add("apikey", _serviceKey);
                return request;
            },
            _retry,
            idempotent,
            _logger,
            $"storage {operation}",
            cancellationToken);
    }

    private static async Task<bool> IsNotFoundAsync(HttpOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Response is not { } response)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }

        return response.StatusCode == HttpStatusCode.BadRequest && await BodyStatusAsync(response, cancellationToken).ConfigureAwait(false) == "404";
    }

    private static async Task<string?> BodyStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            return ProviderFileJson.String(document.RootElement, "statusCode");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> EnsureSuccessAsync(HttpOutcome outcome, string operation, CancellationToken cancellationToken)
    {
        var attempts = outcome.Attempts == 1 ? "1 attempt" : $"{outcome.Attempts} attempts";
        if (outcome.Response is not { } response)
        {
            var reason = outcome.Failure is TimeoutException ? "timed out" : $"failed ({Secrets.Scrub(outcome.Failure?.Message ?? "no response", _serviceKey)})";
            throw new FileStorageException($"Supabase Storage: the {operation} {reason} after {attempts}.", null, outcome.Failure);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = response.StatusCode;
        if (status == HttpStatusCode.BadRequest && int.TryParse(await BodyStatusAsync(response, cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out var inBody))
        {
            status = (HttpStatusCode)inBody;
        }

        var text = Secrets.Scrub(ProviderFileJson.ErrorText(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)), _serviceKey);
        var hint = status == HttpStatusCode.Conflict ? " (an object exists there; pass overwrite: true to replace it)" : string.Empty;
        throw new FileStorageException($"Supabase Storage: the {operation} answered {(int)status} after {attempts}{hint}: {text}", status);
    }
}
