using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Testing;

#pragma warning disable CS1591 // A test double: its members say what they do; the summaries below say why.
#pragma warning disable CA2007 // Kestrel request handlers and test helpers: no synchronization context to avoid

/// <summary>
/// A loopback HTTP server (Kestrel on 127.0.0.1, a free port) that answers with the documented shapes of Moonshot's
/// files API (<c>/kimi/v1/files</c>), ZhipuAI's (<c>/glm/api/paas/v4/files</c>) and Supabase Storage
/// (<c>/storage/v1/object/…</c>), in memory, with switches to inject failures, 429s with Retry-After, and hangs.
/// </summary>
public sealed class LocalFileApis : IAsyncDisposable
{
    /// <summary>The API key the Kimi stand-in accepts (a test value, not a secret).</summary>
    public const string KimiKey = "sk-kimi-test-7c1f0e93b2d84a56";
    public const string GlmKey = "glm-test-key.5f2e9d8c7b6a";
    public const string ServiceKey = "service-role-test-key-31a9c0";

    private readonly WebApplication _app;

    private LocalFileApis(WebApplication app, Uri address, TimeProvider time)
    {
        _app = app;
        Address = address;
        Kimi = new("kimi", KimiKey, glmStyle: false, time);
        Glm = new("glm", GlmKey, glmStyle: true, time);
        Storage = new(ServiceKey, time);
    }

    public Uri Address { get; }

    public FakeProvider Kimi { get; }

    public FakeProvider Glm { get; }

    public FakeStorage Storage { get; }

    public string KimiBaseUrl => new Uri(Address, "kimi/v1").ToString();

    public string GlmBaseUrl => new Uri(Address, "glm/api/paas/v4").ToString();

    public string SupabaseUrl => Address.ToString().TrimEnd('/');

    /// <summary>Starts the server on a free loopback port.</summary>
    /// <param name="time">The clock the stand-ins stamp files and objects with, as a provider's server would; the system clock by default.</param>
    /// <returns>The running server.</returns>
    public static async Task<LocalFileApis> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        LocalFileApis? self = null;
        app.Run(context => self!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new LocalFileApis(app, new Uri(address.EndsWith('/') ? address : address + "/"), time ?? TimeProvider.System);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith("/kimi/v1/files", StringComparison.Ordinal))
        {
            return Kimi.HandleAsync(context, path["/kimi/v1".Length..]);
        }

        if (path.StartsWith("/glm/api/paas/v4/files", StringComparison.Ordinal))
        {
            return Glm.HandleAsync(context, path["/glm/api/paas/v4".Length..]);
        }

        if (path.StartsWith("/storage/v1/object/", StringComparison.Ordinal))
        {
            return Storage.HandleAsync(context, path["/storage/v1/object/".Length..]);
        }

        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    /// <summary>What to do to the next matching request instead of answering it.</summary>
    public sealed record Fault(string? Method, int Status, string? RetryAfter, TimeSpan Delay);

    /// <summary>The fault switches and request log both fakes share.</summary>
    public abstract class FakeEndpoint
    {
        private readonly ConcurrentQueue<Fault> _faults = new();

        public ConcurrentQueue<(string Method, string Path)> Requests { get; } = new();

        /// <summary>Added before every answer (to make workers overlap).</summary>
        public TimeSpan Latency { get; set; }

        public int Count(string method, string? pathContains = null) =>
            Requests.Count(r => r.Method == method && (pathContains is null || r.Path.Contains(pathContains, StringComparison.Ordinal)));

        /// <summary>The next <paramref name="times"/> requests (of <paramref name="method"/>, or any) answer <paramref name="status"/>.</summary>
        public void Fail(int status, int times = 1, string? method = null, string? retryAfter = null)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Enqueue(new Fault(method, status, retryAfter, TimeSpan.Zero));
            }
        }

        /// <summary>The next <paramref name="times"/> requests hang for <paramref name="delay"/> before any answer.</summary>
        public void Hang(TimeSpan delay, int times = 1, string? method = null)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Enqueue(new Fault(method, 200, null, delay));
            }
        }

        public void ClearFaults() => _faults.Clear();

        protected async Task<bool> FaultedAsync(HttpContext context)
        {
            Requests.Enqueue((context.Request.Method, context.Request.Path.Value + context.Request.QueryString));
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }

            if (!_faults.TryPeek(out var fault) || (fault.Method is not null && fault.Method != context.Request.Method) || !_faults.TryDequeue(out fault))
            {
                return false;
            }

            if (fault.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up.
                }

                context.Abort();
                return true;
            }

            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            await context.Response.WriteAsJsonAsync(new { error = new { message = $"injected {fault.Status}", type = "fake" } });
            return true;
        }

        protected static Task JsonAsync(HttpContext context, JsonNode body, int status = 200)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(body.ToJsonString());
        }
    }

    public sealed class FakeProvider(string name, string apiKey, bool glmStyle, TimeProvider time) : FakeEndpoint
    {
        private long _sequence;

        public string Name { get; } = name;

        public ConcurrentDictionary<string, FakeFile> Files { get; } = new(StringComparer.Ordinal);

        /// <summary>Pages of this size even when the client asks for none (a provider that paginates on its own).</summary>
        public int? ForcedPageSize { get; set; }

        public FakeFile Add(string purpose = "file-extract", DateTimeOffset? createdAt = null, string filename = "seeded.txt", long bytes = 10)
        {
            var file = new FakeFile(NewId(), purpose, filename, bytes, createdAt ?? time.GetUtcNow(), []);
            Files[file.Id] = file;
            return file;
        }

        public async Task HandleAsync(HttpContext context, string path)
        {
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}")
            {
                // Echoes the key it was given, as some providers do: the client must not pass it on.
                Requests.Enqueue((context.Request.Method, path));
                await JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["message"] = $"Invalid API key: {context.Request.Headers.Authorization}", ["type"] = "invalid_authentication_error" } }, 401);
                return;
            }

            if (await FaultedAsync(context))
            {
                return;
            }

            var parts = path.Trim('/').Split('/');
            switch (context.Request.Method, parts.Length)
            {
                case ("POST", 1):
                    await UploadAsync(context);
                    return;
                case ("GET", 1):
                    await ListAsync(context);
                    return;
                case ("GET", 2):
                    if (Files.TryGetValue(parts[1], out var found))
                    {
                        await JsonAsync(context, Describe(found));
                    }
                    else
                    {
                        await NotFoundAsync(context);
                    }

                    return;
                case ("GET", 3) when parts[2] == "content":
                    if (Files.TryGetValue(parts[1], out var withContent))
                    {
                        await context.Response.Body.WriteAsync(withContent.Content);
                    }
                    else
                    {
                        await NotFoundAsync(context);
                    }

                    return;
                case ("DELETE", 2):
                    if (Files.TryRemove(parts[1], out _))
                    {
                        await JsonAsync(context, new JsonObject { ["id"] = parts[1], ["object"] = "file", ["deleted"] = true });
                    }
                    else
                    {
                        await NotFoundAsync(context);
                    }

                    return;
                default:
                    context.Response.StatusCode = 405;
                    return;
            }
        }

        private static Task NotFoundAsync(HttpContext context) =>
            JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["message"] = "file not found", ["type"] = "resource_not_found_error" } }, 404);

        private string NewId()
        {
            var n = Interlocked.Increment(ref _sequence);
            // Kimi: 20 lower-case base-32 characters (d3ovitn37oq66hmhr4jg); GLM: <unix seconds>_<32 hex>.
            return glmStyle
                ? $"{time.GetUtcNow().ToUnixTimeSeconds()}_{Guid.NewGuid():N}"
                : string.Concat("d3", Convert.ToString(n, 8).PadLeft(6, '0'), Guid.NewGuid().ToString("N").AsSpan(0, 12));
        }

        private async Task UploadAsync(HttpContext context)
        {
            var form = await context.Request.ReadFormAsync();
            var upload = form.Files.GetFile("file");
            var purpose = form["purpose"].ToString();
            if (upload is null || string.IsNullOrEmpty(purpose))
            {
                await JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["message"] = "file and purpose are required" } }, 400);
                return;
            }

            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer);
            var file = new FakeFile(NewId(), purpose, upload.FileName, buffer.Length, time.GetUtcNow(), buffer.ToArray()) { ContentType = upload.ContentType };
            Files[file.Id] = file;
            await JsonAsync(context, Describe(file));
        }

        private async Task ListAsync(HttpContext context)
        {
            var query = context.Request.Query;
            IEnumerable<FakeFile> files = Files.Values.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal);
            if (query.TryGetValue("purpose", out var purpose) && !string.IsNullOrEmpty(purpose))
            {
                files = files.Where(f => f.Purpose == purpose.ToString());
            }

            var all = files.ToList();
            if (query.TryGetValue("after", out var after) && !string.IsNullOrEmpty(after))
            {
                var index = all.FindIndex(f => f.Id == after.ToString());
                all = index < 0 ? [] : all.Skip(index + 1).ToList();
            }

            int? size = query.TryGetValue("limit", out var limit) ? int.Parse(limit.ToString(), CultureInfo.InvariantCulture) : ForcedPageSize;
            var page = size is { } n ? all.Take(n).ToList() : all;
            var body = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(page.Select(f => (JsonNode)Describe(f)).ToArray()) };
            if (glmStyle || size is not null)
            {
                body["has_more"] = page.Count < all.Count;
            }

            await JsonAsync(context, body);
        }

        private JsonObject Describe(FakeFile file)
        {
            var json = new JsonObject
            {
                ["id"] = file.Id,
                ["object"] = "file",
                ["bytes"] = file.Bytes,
                ["created_at"] = file.CreatedAt.ToUnixTimeSeconds(),
                ["filename"] = file.Filename,
                ["purpose"] = file.Purpose,
            };
            if (!glmStyle)
            {
                json["status"] = "ok";
                json["status_details"] = string.Empty;
            }

            return json;
        }
    }

    public sealed record FakeFile(string Id, string Purpose, string Filename, long Bytes, DateTimeOffset CreatedAt, byte[] Content)
    {
        public string? ContentType { get; init; }
    }

    public sealed class FakeStorage(string serviceKey, TimeProvider time) : FakeEndpoint
    {
        public ConcurrentDictionary<string, (byte[] Content, string? ContentType, DateTimeOffset UpdatedAt)> Objects { get; } = new(StringComparer.Ordinal);

        public bool Has(string bucket, string path) => Objects.ContainsKey($"{bucket}/{path}");

        public async Task HandleAsync(HttpContext context, string rest)
        {
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {serviceKey}" || context.Request.Headers["apikey"].ToString() != serviceKey)
            {
                Requests.Enqueue((context.Request.Method, rest));
                await JsonAsync(context, new JsonObject { ["statusCode"] = "403", ["error"] = "Unauthorized", ["message"] = "invalid signature" }, 400);
                return;
            }

            if (await FaultedAsync(context))
            {
                return;
            }

            var method = context.Request.Method;
            if (method == "POST" && rest.StartsWith("list/", StringComparison.Ordinal))
            {
                await ListAsync(context, rest["list/".Length..]);
                return;
            }

            if (method == "GET" && rest.StartsWith("authenticated/", StringComparison.Ordinal))
            {
                var key = rest["authenticated/".Length..];
                if (Objects.TryGetValue(key, out var found))
                {
                    context.Response.ContentType = found.ContentType ?? "application/octet-stream";
                    await context.Response.Body.WriteAsync(found.Content);
                }
                else
                {
                    await JsonAsync(context, new JsonObject { ["statusCode"] = "404", ["error"] = "not_found", ["message"] = "Object not found" }, 400);
                }

                return;
            }

            if (method == "POST")
            {
                var upsert = context.Request.Headers["x-upsert"].ToString() == "true";
                if (!upsert && Objects.ContainsKey(rest))
                {
                    await JsonAsync(context, new JsonObject { ["statusCode"] = "409", ["error"] = "Duplicate", ["message"] = "The resource already exists" }, 400);
                    return;
                }

                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                Objects[rest] = (buffer.ToArray(), context.Request.ContentType, time.GetUtcNow());
                await JsonAsync(context, new JsonObject { ["Key"] = rest, ["Id"] = Guid.NewGuid().ToString() });
                return;
            }

            if (method == "DELETE")
            {
                var bucket = rest.Trim('/');
                var body = await JsonNode.ParseAsync(context.Request.Body);
                var deleted = new JsonArray();
                foreach (var prefix in body!["prefixes"]!.AsArray())
                {
                    var key = $"{bucket}/{prefix!.GetValue<string>()}";
                    if (Objects.TryRemove(key, out _))
                    {
                        deleted.Add(new JsonObject { ["name"] = prefix.GetValue<string>(), ["bucket_id"] = bucket });
                    }
                }

                await JsonAsync(context, deleted);
                return;
            }

            context.Response.StatusCode = 405;
        }

        private async Task ListAsync(HttpContext context, string bucket)
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            var prefix = body["prefix"]?.GetValue<string>() ?? string.Empty;
            var limit = body["limit"]?.GetValue<int>() ?? 100;
            var offset = body["offset"]?.GetValue<int>() ?? 0;
            var folder = $"{bucket}/" + (prefix.Length == 0 ? string.Empty : prefix.TrimEnd('/') + "/");
            var entries = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var (key, value) in Objects)
            {
                if (!key.StartsWith(folder, StringComparison.Ordinal))
                {
                    continue;
                }

                var rest = key[folder.Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                entries[slash < 0 ? rest : rest[..slash]] = slash < 0
                    ? new JsonObject { ["name"] = rest, ["id"] = Guid.NewGuid().ToString(), ["updated_at"] = value.UpdatedAt.ToString("O"), ["metadata"] = new JsonObject { ["size"] = value.Content.Length, ["mimetype"] = value.ContentType } }
                    : new JsonObject { ["name"] = rest[..slash], ["id"] = null, ["metadata"] = null };
            }

            await JsonAsync(context, new JsonArray(entries.Values.Skip(offset).Take(limit).Select(e => (JsonNode)e).ToArray()));
        }
    }
}
