using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Exai.Supabase.Migrations.Design;

/// <summary>
/// Lets <c>dotnet ef</c> build the context: <c>dotnet ef migrations add &lt;Name&gt; --project
/// src/Exai.Supabase.Migrations</c>. Uses <c>ConnectionStrings__Exai</c> when set (for <c>database update</c>);
/// generating migrations needs no server.
/// </summary>
internal sealed class DesignTimeExaiDbContextFactory : IDesignTimeDbContextFactory<ExaiDbContext>
{
    public ExaiDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Exai")
            ?? "Host=localhost;Database=exai_design_time;Username=postgres";
        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        return new ExaiDbContext(ExaiDbContextConfigurator.Create(dataSource));
    }
}
