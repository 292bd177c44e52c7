using System.Text.Json;
using System.Text.Json.Nodes;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Security;

/// <summary>
/// On whose behalf the library reads and writes. <see cref="Service"/> (the default) works as the connecting role,
/// which on Supabase bypasses row-level security. A user scope runs each transaction as Supabase's
/// <c>authenticated</c> role with the user's JWT claims set for that transaction only, so owner policies apply —
/// to queued writes too, which carry the scope they were recorded in.
/// </summary>
/// <remarks>
/// The current scope is ambient: <see cref="Begin"/> sets it for the calling flow (an MCP request, say) until the
/// returned handle is disposed.
/// </remarks>
public sealed class ExaiScope
{
    private static readonly AsyncLocal<ExaiScope?> Ambient = new();

    private ExaiScope(Guid? userId, string? claimsJson)
    {
        UserId = userId;
        ClaimsJson = claimsJson;
    }

    /// <summary>The service scope: the connecting role's own privileges.</summary>
    public static ExaiScope Service { get; } = new(null, null);

    /// <summary>The scope in effect for the calling flow; <see cref="Service"/> unless <see cref="Begin"/> set another.</summary>
    public static ExaiScope Current => Ambient.Value ?? Service;

    /// <summary>The user acted for; <see langword="null"/> in the service scope.</summary>
    public Guid? UserId { get; }

    /// <summary>Whether this is the service scope.</summary>
    public bool IsService => UserId is null;

    /// <summary>The claims set as <c>request.jwt.claims</c> for each transaction (JSON); null for the service scope.</summary>
    internal string? ClaimsJson { get; }

    /// <summary>A scope acting as <paramref name="userId"/> with the claims <c>sub</c> and <c>role = authenticated</c>.</summary>
    /// <param name="userId">The user's id (Supabase's <c>auth.users.id</c>, the JWT's <c>sub</c>).</param>
    /// <param name="claims">Further claims to expose through <c>auth.jwt()</c>; <c>sub</c> and <c>role</c> are set by the library.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="userId"/> is empty, or <paramref name="claims"/> cannot be stored as the transaction's claims
    /// (a NUL character, a lone surrogate, a value JSON cannot hold, more than 256 KiB).
    /// </exception>
    public static ExaiScope ForUser(Guid userId, JsonObject? claims = null)
    {
        if (userId == Guid.Empty)
        {
            throw new ArgumentException("userId must not be the empty GUID.", nameof(userId));
        }

        if (claims is not null)
        {
            InputGuard.Metadata(claims, nameof(claims));
        }

        var all = claims is null ? new JsonObject() : (JsonObject)claims.DeepClone();
        all["sub"] = userId.ToString();
        all["role"] = "authenticated";
        return new ExaiScope(userId, all.ToJsonString());
    }

    /// <summary>Makes <paramref name="scope"/> current for the calling flow until the handle is disposed.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>A handle that restores the previous scope.</returns>
    public static IDisposable Begin(ExaiScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var previous = Ambient.Value;
        Ambient.Value = scope;
        return new Restore(previous);
    }

    /// <inheritdoc />
    public override string ToString() => IsService ? "service" : $"user {UserId}";

    internal static ExaiScope FromStored(Guid? userId, string? claimsJson) =>
        userId is null ? Service : new ExaiScope(userId, claimsJson ?? JsonSerializer.Serialize(new { sub = userId.ToString(), role = "authenticated" }));

    private sealed class Restore(ExaiScope? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Ambient.Value = previous;
            }
        }
    }
}
