namespace Exai.Supabase.Persistence.Internal;

/// <summary>
/// Whether the schema is in place. Writers hold their queued records until it is. Ready from the start unless a
/// start-up migrator is registered, which opens it once the migrations are applied.
/// </summary>
internal sealed class SchemaReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expectMigration;

    public SchemaReadiness()
    {
    }

    public bool IsReady => _ready.Task.IsCompleted || Volatile.Read(ref _expectMigration) == 0;

    /// <summary>Called once by a registered migrator: readiness now waits for it.</summary>
    public void ExpectMigration() => Volatile.Write(ref _expectMigration, 1);

    /// <summary>Called by the migrator when the schema is current.</summary>
    public void MarkReady() => _ready.TrySetResult();

    public Task WhenReadyAsync(CancellationToken cancellationToken) =>
        IsReady ? Task.CompletedTask : _ready.Task.WaitAsync(cancellationToken);
}
