using Exai.Supabase.Testing;

namespace Exai.Supabase.Tests;

/// <summary>
/// (In the root namespace: NUnit runs a set-up fixture for its namespace and those below it.)
/// One PostgreSQL server for the whole test assembly (EXAI_TEST_POSTGRES, else Testcontainers, else local binaries);
/// each fixture creates its own database on it.
/// </summary>
[SetUpFixture]
public sealed class TestPostgres
{
    private static PostgresServer? _server;

    public static PostgresServer Server => _server ?? throw new InvalidOperationException("The test PostgreSQL server is not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await PostgresServer.AcquireAsync(new PostgresServerOptions { Log = TestContext.Progress.WriteLine });
        await TestContext.Progress.WriteLineAsync($"Tests run against: {_server.Description}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
