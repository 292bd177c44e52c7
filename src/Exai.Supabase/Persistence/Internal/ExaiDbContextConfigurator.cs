using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>The one way every part of the library (runtime, migrations, design time) configures the context.</summary>
internal static class ExaiDbContextConfigurator
{
    /// <summary>The assembly that holds the migrations (a package of its own, beside the runtime).</summary>
    public const string MigrationsAssembly = "Exai.Supabase.Migrations";

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, NpgsqlDataSource dataSource)
    {
        builder
            .UseNpgsql(dataSource, npgsql => npgsql
                .MigrationsAssembly(MigrationsAssembly)
                .MigrationsHistoryTable(TableNames.MigrationsHistory, TableNames.Schema))
            .UseSnakeCaseNamingConvention();
        return builder;
    }

    public static DbContextOptions<ExaiDbContext> Create(NpgsqlDataSource dataSource) =>
        (DbContextOptions<ExaiDbContext>)Configure(new DbContextOptionsBuilder<ExaiDbContext>(), dataSource).Options;
}
