using System.Data.Common;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// Holds one module's SQL commands that <paramref name="matches"/> at a <see cref="RaceHold"/> before they run: put the
/// hold on the write a request decided from an earlier read (a conditional UPDATE, the save of a spent credit), and
/// every racing request has read before any writes. Register with <see cref="AddTo"/> in <see cref="PortalFactory.TestServices"/>.
/// </summary>
public sealed class SqlHold(string module, Func<string, bool> matches, RaceHold hold) : DbCommandInterceptor, IModuleDbContextConfiguration
{
    public void AddTo(IServiceCollection services) => services.AddSingleton<IModuleDbContextConfiguration>(this);

    public void Configure(string moduleName, DbContextOptionsBuilder options)
    {
        if (moduleName == module)
        {
            options.AddInterceptors(this);
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command);
        return result;
    }

    private async Task HoldAsync(DbCommand command)
    {
        if (matches(command.CommandText))
        {
            await hold.ArriveAsync();
        }
    }
}
