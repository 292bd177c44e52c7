using Exai.Supabase.Security;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Keeps the raw store to the service scope. The store works with the service's key on every user's objects, so a
/// user's flow reaches storage only through <see cref="IFileSync"/>, which checks that a path is the user's own.
/// </summary>
internal static class StorageAccess
{
    public static void EnsureService(string operation)
    {
        if (!ExaiScope.Current.IsService)
        {
            throw new InvalidOperationException(
                $"IFileStorage.{operation} runs in the service scope only: the store holds every user's objects. In a user scope use IFileSync, which checks that the file is the user's.");
        }
    }
}
