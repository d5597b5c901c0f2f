using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure.Persistence;

namespace ChaosModular.Migrations.PostgreSql;

/// <summary>
/// dotnet ef runs this project (both --project and --startup-project) and finds every module's DbContext on
/// this provider in the host it builds. At run time the hosts load this assembly only for its migrations.
/// </summary>
internal static class Program
{
    public static void Main(string[] args) => DesignTimeHost.Build(args, DatabaseProvider.PostgreSql);
}
