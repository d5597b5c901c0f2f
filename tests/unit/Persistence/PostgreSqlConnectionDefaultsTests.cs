using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using Npgsql;

namespace ChaosModular.UnitTests.Persistence;

/// <summary>
/// The modules' PostgreSQL connections skip the reset on every open and prepare repeated statements, unless the
/// connection string says otherwise (README, Performance).
/// </summary>
public sealed class PostgreSqlConnectionDefaultsTests
{
    [Fact]
    public void A_plain_connection_string_gets_no_reset_on_close_and_automatic_preparation()
    {
        var result = new NpgsqlConnectionStringBuilder(ModuleDatabase.PostgreSqlConnectionString("Host=db;Database=chaos;Username=portal;Password=secret"));

        Assert.True(result.NoResetOnClose);
        Assert.Equal(64, result.MaxAutoPrepare);
        Assert.Equal("db", result.Host);
        Assert.Equal("chaos", result.Database);
        Assert.Equal("secret", result.Password);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0", false, 0)]
    [InlineData("Host=db;NoResetOnClose=false;MaxAutoPrepare=10", false, 10)]
    [InlineData("Host=db;Max Auto Prepare=5", true, 5)]
    public void Settings_in_the_connection_string_win(string connectionString, bool noReset, int maxAutoPrepare)
    {
        var result = new NpgsqlConnectionStringBuilder(ModuleDatabase.PostgreSqlConnectionString(connectionString));

        Assert.Equal(noReset, result.NoResetOnClose);
        Assert.Equal(maxAutoPrepare, result.MaxAutoPrepare);
    }

    [Fact]
    public void A_module_context_on_PostgreSQL_connects_with_the_defaults()
    {
        using var context = new NotificationsDbContext((DbContextOptions<NotificationsDbContext>)DesignTimeDatabase.Options(
            typeof(NotificationsDbContext), DatabaseProvider.PostgreSql, NotificationsDbContext.Schema));

        var used = new NpgsqlConnectionStringBuilder(context.Database.GetConnectionString());

        Assert.True(used.NoResetOnClose);
        Assert.Equal(ModuleDatabase.DefaultMaxAutoPrepare, used.MaxAutoPrepare);
    }
}
