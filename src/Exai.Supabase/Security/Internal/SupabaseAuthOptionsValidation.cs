using System.Text;

namespace Exai.Supabase.Security.Internal;

/// <summary>The checks of <see cref="SupabaseAuthOptions"/>; messages never repeat the secret.</summary>
internal static class SupabaseAuthOptionsValidation
{
    public static void Validate(SupabaseAuthOptions options, List<string> failures)
    {
        const string Prefix = "ExaiSupabaseOptions.Auth.";
        if (options.JwtSecret is { Length: > 0 } secret && Encoding.UTF8.GetByteCount(secret) < 32)
        {
            failures.Add($"{Prefix}{nameof(SupabaseAuthOptions.JwtSecret)} is shorter than 32 bytes; use the project's JWT secret (Project Settings → API → JWT Settings).");
        }

        foreach (var (name, uri) in new[] { (nameof(SupabaseAuthOptions.ProjectUrl), options.ProjectUrl), (nameof(SupabaseAuthOptions.JwksUri), options.JwksUri) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)))
            {
                failures.Add($"{Prefix}{name} ({uri}) must be an absolute https address (http only on loopback), e.g. https://<ref>.supabase.co.");
            }
        }

        if (options.Audiences.Count == 0 || options.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Prefix}{nameof(SupabaseAuthOptions.Audiences)} must name at least one audience and no empty one (Supabase uses 'authenticated').");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.KeysCacheDuration <= TimeSpan.Zero || options.KeysRefreshInterval < TimeSpan.Zero || options.KeysFetchTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}ClockSkew, KeysCacheDuration, KeysRefreshInterval and KeysFetchTimeout must not be negative (and the cache and fetch timeouts must be positive).");
        }
    }
}
